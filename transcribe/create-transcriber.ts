import type { Config } from '../core/config.ts';
import { resolveModel } from './models.ts';
import type { Transcriber } from './transcriber.ts';
import { WhisperCppTranscriber } from './whisper.transcriber.ts';

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
