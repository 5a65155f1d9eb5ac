import type { Segment, Speaker } from '../analyze/types.ts';
import type { Config } from '../core/config.ts';
import { resolveModel } from './models.ts';
import { WhisperCppTranscriber } from './whisper.transcriber.ts';

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
 * stronger on Mandarin) can be added in createTranscriber without touching callers.
 */
export interface Transcriber {
  readonly engine: string;
  readonly model: string;
  /** `wavPath` must be 16 kHz mono s16le (normalizeAudio's output). */
  transcribe(wavPath: string, opts: TranscribeOptions): Promise<TranscriptionResult>;
}

export type TranscriberConfig = Pick<
  Config,
  'WHISPER_MODEL' | 'TINGJIAN_CACHE_DIR' | 'WHISPER_BIN' | 'WHISPER_THREADS' | 'WHISPER_TIMEOUT_FACTOR'
>;

export interface CreateTranscriberOptions {
  /** Overrides WHISPER_THREADS; a worker running N transcriptions at once passes cores ÷ N. */
  threads?: number;
  /** Receives one-off notices such as the first-use whisper.cpp build. */
  log?: (message: string) => void;
}

/** Picks the engine and its model; throws AppError('no_model') when there is no model to run. */
export function createTranscriber(config: TranscriberConfig, opts: CreateTranscriberOptions = {}): Transcriber {
  const model = resolveModel(config);
  return new WhisperCppTranscriber({
    model,
    binOverride: config.WHISPER_BIN,
    threads: opts.threads ?? config.WHISPER_THREADS,
    timeoutFactor: config.WHISPER_TIMEOUT_FACTOR,
    log: opts.log,
  });
}
