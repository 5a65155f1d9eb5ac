/** The audio stage: ffmpeg normalization and speech-to-text engines (adapters around external processes). */
export { normalizeAudio, type NormalizedAudio, type NormalizeOptions, type ChannelMode } from './normalize.ts';
export { normalizeArgs } from './normalize-args.ts';
export { probeAudio, type AudioProbe } from './probe.ts';
export {
  createTranscriber,
  type Transcriber,
  type TranscribeOptions,
  type TranscriptionResult,
} from './transcriber.ts';
export {
  transcribeAudioFile,
  findSidecar,
  type AudioFileOptions,
  type AudioSummary,
  type AudioTranscript,
  type ChannelRoles,
} from './audio-file.ts';
export { resolveModel, MODEL_CATALOG, MODEL_NAMES, type ModelName } from './models.ts';
export { ensureWhisperBinary } from './whisper-binary.ts';
export { writeTestModel } from './test-model.ts';
