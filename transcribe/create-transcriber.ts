import type { Config } from '../core/config.ts';
import { resolveModel } from './models.ts';
import { resolveSenseVoiceModel } from './sensevoice-model.ts';
import { SenseVoiceTranscriber } from './sensevoice.transcriber.ts';
import type { Transcriber } from './transcriber.ts';
import { WhisperCppTranscriber } from './whisper.transcriber.ts';

export type TranscriberConfig = Pick<
  Config,
  | 'WHISPER_MODEL'
  | 'TINGJIAN_CACHE_DIR'
  | 'WHISPER_BIN'
  | 'WHISPER_THREADS'
  | 'WHISPER_TIMEOUT_FACTOR'
  | 'TRANSCRIBE_ENGINE'
  | 'SENSEVOICE_MODEL'
>;

export interface CreateTranscriberOptions {
  /** Overrides WHISPER_THREADS; a worker running N transcriptions at once passes cores ÷ N. */
  threads?: number;
  /** Receives one-off notices such as the first-use whisper.cpp build. */
  log?: (message: string) => void;
}

/**
 * The engine TRANSCRIBE_ENGINE names, with its model: whisper.cpp (default) or SenseVoice-Small through
 * sherpa-onnx. Throws `no_model` naming the pull command when the chosen engine has no model.
 */
export function createTranscriber(config: TranscriberConfig, opts: CreateTranscriberOptions = {}): Transcriber {
  const threads = opts.threads ?? config.WHISPER_THREADS;
  if (config.TRANSCRIBE_ENGINE === 'sensevoice') {
    return new SenseVoiceTranscriber({ model: resolveSenseVoiceModel(config), threads });
  }
  return new WhisperCppTranscriber({
    model: resolveModel(config),
    binOverride: config.WHISPER_BIN,
    threads,
    timeoutFactor: config.WHISPER_TIMEOUT_FACTOR,
    log: opts.log,
  });
}
