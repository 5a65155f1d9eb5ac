import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { AppError, ConfigurationError } from '../core/errors.ts';
import { readOnnxMetadata } from './onnx-proto.ts';
import { SAMPLE_RATE, openPcmWav, readSamples } from './pcm.ts';
import type { Region } from './regions.ts';
import { sherpaOnnx } from './sherpa.ts';
import type { VoiceTurn } from './voice-cluster.ts';
import { labelVoices, type VoiceLabelling } from './voices.ts';

export interface DiarizationModels {
  segmentation: string;
  embedding: string;
}

/** What sherpa-onnx reads from each model; a missing key makes it end the process, so they are checked first. */
const SEGMENTATION_KEYS = ['sample_rate', 'window_size', 'receptive_field_size', 'receptive_field_shift', 'num_speakers', 'powerset_max_classes', 'num_classes'];
const EMBEDDING_KEYS = ['output_dim', 'sample_rate', 'normalize_samples', 'language', 'framework'];

/**
 * The user's sherpa-onnx diarization models (pyannote segmentation + a wespeaker / 3D-Speaker embedding) when both
 * DIARIZATION_* settings name one, else null (the built-in labeller needs no weights). One without the other is a
 * configuration mistake, said as such.
 */
export function diarizationModels(config: Pick<Config, 'DIARIZATION_SEGMENTATION_MODEL' | 'DIARIZATION_EMBEDDING_MODEL'>): DiarizationModels | null {
  const segmentation = config.DIARIZATION_SEGMENTATION_MODEL;
  const embedding = config.DIARIZATION_EMBEDDING_MODEL;
  if (!segmentation && !embedding) return null;
  if (!segmentation || !embedding) {
    throw badDiarization('DIARIZATION_SEGMENTATION_MODEL 和 DIARIZATION_EMBEDDING_MODEL 需要同时设置 / both must be set');
  }
  checkModel(segmentation, SEGMENTATION_KEYS);
  checkModel(embedding, EMBEDDING_KEYS);
  const framework = readOnnxMetadata(embedding).framework;
  if (framework !== 'wespeaker' && framework !== '3d-speaker') {
    throw badDiarization(`${path.basename(embedding)} 不是 wespeaker / 3D-Speaker 声纹模型（framework=${framework}）`);
  }
  return { segmentation, embedding };
}

/**
 * The voice labeller the configuration asks for: sherpa-onnx's diarization with the user's models, or the built-in
 * one. Both take the VAD's speech regions and return turns named S1, S2, … by first appearance.
 */
export function voiceLabeller(
  config: Pick<Config, 'DIARIZATION_SEGMENTATION_MODEL' | 'DIARIZATION_EMBEDDING_MODEL'>,
): (wavPath: string, regions: readonly Region[]) => Promise<VoiceLabelling> {
  const models = diarizationModels(config);
  return models ? (wav, regions) => diarizeWithSherpa(wav, regions, models) : (wav, regions) => labelVoices(wav, regions);
}

/**
 * sherpa-onnx's offline speaker diarization (segmentation, embeddings, clustering) over the whole file — it needs
 * all samples at once (an hour is 230 MB of floats) — with its turns cut to the VAD's speech regions.
 */
export async function diarizeWithSherpa(wavPath: string, regions: readonly Region[], models: DiarizationModels): Promise<VoiceLabelling> {
  const started = performance.now();
  const wav = await openPcmWav(wavPath);
  const samples = await readSamples(wav, wavPath, 0, wav.dataBytes / 2);
  const sd = new (sherpaOnnx().OfflineSpeakerDiarization)({
    segmentation: { pyannote: { model: models.segmentation }, numThreads: 1, debug: 0 },
    embedding: { model: models.embedding, numThreads: 1, debug: 0 },
    // numClusters -1: let the threshold decide how many voices there are.
    clustering: { numClusters: -1, threshold: 0.5 },
    minDurationOn: 0.3,
    minDurationOff: 0.5,
  });
  if (sd.sampleRate !== SAMPLE_RATE) throw badDiarization(`分割模型采样率为 ${sd.sampleRate}，需要 16000 / segmentation model is not 16 kHz`);
  const names = new Map<number, string>();
  const turns: VoiceTurn[] = [];
  for (const seg of sd.process(samples)) {
    for (const [a, b] of regions) {
      const start = Math.max(a, seg.start);
      const end = Math.min(b, seg.end);
      if (end <= start) continue;
      if (!names.has(seg.speaker)) names.set(seg.speaker, `S${names.size + 1}`);
      turns.push({ start: Math.round(start * 1000) / 1000, end: Math.round(end * 1000) / 1000, voice: names.get(seg.speaker)! });
    }
  }
  turns.sort((x, y) => x.start - y.start);
  return { turns, voices: names.size, elapsedMs: performance.now() - started };
}

function checkModel(file: string, keys: string[]): void {
  if (!fs.existsSync(file)) throw badDiarization(`找不到 ${file} / not found`);
  let meta: Record<string, string>;
  try {
    meta = readOnnxMetadata(file);
  } catch (err) {
    throw badDiarization(`${path.basename(file)}：${(err as Error).message}`);
  }
  const missing = keys.filter((k) => meta[k] === undefined);
  if (missing.length) throw badDiarization(`${path.basename(file)} 缺少元数据 / metadata missing: ${missing.join(', ')}`);
}

function badDiarization(why: string): AppError {
  return new ConfigurationError(
    'bad_model',
    `说话人分离模型无法使用：${why}。请检查 DIARIZATION_SEGMENTATION_MODEL / DIARIZATION_EMBEDDING_MODEL，或都不设置以使用内置的声纹标注。` +
      ` The diarization models cannot be used; fix the settings or unset both to use the built-in voice labelling.`,
  );
}
