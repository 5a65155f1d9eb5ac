import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorInfo } from '../core/errors.ts';
import { buildConversation } from '../fixtures/audio/conversations.ts';
import { writeDiarizationTestModels } from './diarization-test-models.ts';
import { encodeWav } from './pcm.ts';
import { diarizationModels, voiceLabeller } from './sherpa-diarization.ts';
import { detectSpeech } from './vad.ts';

// The real sherpa-onnx diarization runtime on random-weight segmentation and embedding models (no real weights can
// be downloaded here): this proves the configuration path and the turn mapping, not how well it tells voices apart.
let tmp: string;
let models: { segmentation: string; embedding: string };
let wav: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-diarization-test-'));
  models = writeDiarizationTestModels(path.join(tmp, 'models'));
  const conv = buildConversation({ speakers: ['aishell3-SSB0073', 'aishell3-SSB0005'], seed: 5, longSilenceSec: 15 });
  wav = path.join(tmp, 'conv.wav');
  fs.writeFileSync(wav, encodeWav(conv.samples));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const config = (segmentation?: string, embedding?: string) => ({
  DIARIZATION_SEGMENTATION_MODEL: segmentation,
  DIARIZATION_EMBEDDING_MODEL: embedding,
});

describe('sherpa-onnx diarization with user-supplied models', () => {
  it('is used when both models are configured, and its turns lie inside the VAD speech, named S1…', async () => {
    const vad = await detectSpeech(wav);
    const label = voiceLabeller(config(models.segmentation, models.embedding));
    const res = await label(wav, vad.regions);
    expect(res.turns.length).toBeGreaterThan(0);
    for (const t of res.turns) {
      expect(t.voice).toMatch(/^S\d$/);
      expect(vad.regions.some(([a, b]) => t.start >= a - 1e-6 && t.end <= b + 1e-6)).toBe(true);
    }
    expect(res.turns[0].voice).toBe('S1');
  });

  it('falls back to the built-in labeller when none is configured, and refuses half or broken configurations', async () => {
    expect(diarizationModels(config())).toBeNull();
    const builtIn = await voiceLabeller(config())(wav, (await detectSpeech(wav)).regions);
    expect(builtIn.voices).toBe(2);
    expect(errorInfo(catchIt(() => diarizationModels(config(models.segmentation)))).code).toBe('bad_model');
    expect(errorInfo(catchIt(() => diarizationModels(config(models.embedding, models.embedding)))).message).toMatch(/window_size/);
    expect(errorInfo(catchIt(() => diarizationModels(config(models.segmentation, path.join(tmp, 'none.onnx'))))).message).toMatch(/找不到/);
  });
});

function catchIt(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
