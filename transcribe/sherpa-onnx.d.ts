/**
 * The part of sherpa-onnx-node's API that tingjian uses. The package ships JSDoc only (types.js), no .d.ts; these
 * shapes follow its types.js and the C++ bindings (scripts/node-addon-api/src of sherpa-onnx 1.13).
 */
declare module 'sherpa-onnx-node' {
  export interface SpeechSegment {
    /** First sample of the segment, counted from the first sample ever accepted. */
    start: number;
    samples: Float32Array;
  }

  export interface VadConfig {
    sileroVad: {
      model: string;
      threshold?: number;
      minSilenceDuration?: number;
      minSpeechDuration?: number;
      windowSize?: number;
      maxSpeechDuration?: number;
    };
    sampleRate?: number;
    numThreads?: number;
    provider?: string;
    debug?: boolean | number;
  }

  export class Vad {
    constructor(config: VadConfig, bufferSizeInSeconds: number);
    acceptWaveform(samples: Float32Array): void;
    isEmpty(): boolean;
    front(enableExternalBuffer?: boolean): SpeechSegment;
    pop(): void;
    flush(): void;
  }

  export interface OfflineRecognizerConfig {
    featConfig?: { sampleRate?: number; featureDim?: number };
    modelConfig: {
      senseVoice?: { model: string; language?: string; useInverseTextNormalization?: number };
      tokens: string;
      numThreads?: number;
      provider?: string;
      debug?: number;
    };
    decodingMethod?: string;
  }

  export interface OfflineRecognizerResult {
    text: string;
    tokens: string[];
    /** Seconds from the start of the stream, one per token. */
    timestamps: number[];
    lang?: string;
    emotion?: string;
    event?: string;
  }

  export class OfflineStream {
    acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
  }

  export class OfflineRecognizer {
    constructor(config: OfflineRecognizerConfig);
    static createAsync(config: OfflineRecognizerConfig): Promise<OfflineRecognizer>;
    createStream(): OfflineStream;
    decode(stream: OfflineStream): void;
    decodeAsync(stream: OfflineStream): Promise<OfflineRecognizerResult>;
    getResult(stream: OfflineStream): OfflineRecognizerResult;
  }

  export interface OfflineSpeakerDiarizationConfig {
    segmentation: { pyannote: { model: string }; numThreads?: number; debug?: number };
    embedding: { model: string; numThreads?: number; debug?: number };
    clustering: { numClusters?: number; threshold?: number };
    minDurationOn?: number;
    minDurationOff?: number;
  }

  export class OfflineSpeakerDiarization {
    constructor(config: OfflineSpeakerDiarizationConfig);
    readonly sampleRate: number;
    process(samples: Float32Array): Array<{ start: number; end: number; speaker: number }>;
  }

  export const version: string;
  export const onnxruntimeVersion: string;
}
