import type { Config } from '../core/config.ts';
import { resolveModel } from './models.ts';
import { resolveSenseVoiceModel } from './sensevoice-model.ts';
import { SenseVoiceTranscriber } from './sensevoice.transcriber.ts';
import type { CreateTranscriberOptions, Transcriber, TranscriberConfig } from './transcriber.ts';
import { WhisperCppTranscriber } from './whisper.transcriber.ts';

export type EngineConfig = TranscriberConfig & Pick<Config, 'TRANSCRIBE_ENGINE' | 'SENSEVOICE_MODEL'>;

/**
 * The engine TRANSCRIBE_ENGINE names, with its model: whisper.cpp (default) or SenseVoice-Small through
 * sherpa-onnx. Throws `no_model` naming the pull command when the chosen engine has no model.
 */
export function selectTranscriber(config: EngineConfig, opts: CreateTranscriberOptions = {}): Transcriber {
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
