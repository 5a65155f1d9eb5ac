import type { Segment, Speaker } from '../analyze/types.ts';

export interface TranscribeOptions {
  /** Decoded length of the WAV (from normalizeAudio): bounds segment times and sizes the timeout. */
  durationSec: number;
  /** Speaker label for every segment (a split channel's role); default 'unknown'. */
  speaker?: Speaker;
  /** ISO 639-1; default 'zh'. */
  language?: string;
  /** Steers vocabulary and script; default asks for simplified Chinese with punctuation. */
  prompt?: string;
  timeoutMs?: number;
  /** Keep the engine's known silence phrases in the text: the chunked pipeline's guard drops and counts them. */
  keepSilencePhrases?: boolean;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

export interface TranscriptionResult {
  segments: Segment[];
  engine: string;
  /** The model file or name, stored with results so a re-run with another model is traceable. */
  model: string;
  elapsedMs: number;
}

/**
 * One speech-to-text engine behind a narrow interface, so another (e.g. SenseVoice through sherpa-onnx, much
 * stronger on Mandarin) can be added in createTranscriber (create-transcriber.ts) without touching callers.
 */
export interface Transcriber {
  readonly engine: string;
  readonly model: string;
  /** `wavPath` must be 16 kHz mono s16le (normalizeAudio's output). */
  transcribe(wavPath: string, opts: TranscribeOptions): Promise<TranscriptionResult>;
}
