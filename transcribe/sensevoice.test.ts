import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { errorInfo } from '../core/errors.ts';
import { audioFixture } from '../fixtures/audio/index.ts';
import { buildConversation } from '../fixtures/audio/conversations.ts';
import { createTranscriber } from './create-transcriber.ts';
import { normalizeAudio } from './normalize.ts';
import { readOnnxMetadata } from './onnx-proto.ts';
import { encodeWav } from './pcm.ts';
import { checkSenseVoiceModel } from './sensevoice-model.ts';
import { buildSenseVoiceTestModel, writeSenseVoiceTestModel } from './sensevoice-test-model.ts';
import { toSegments } from './sensevoice.transcriber.ts';

// The real sherpa-onnx runtime (npm's prebuilt sherpa-onnx-linux-x64) on a random-weight SenseVoice model written by
// sensevoice-test-model.ts: the words are gibberish, so these tests assert loading, structure, times and errors.
let tmp: string;
let model: string;
let config: ReturnType<typeof loadConfig>;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-sensevoice-test-'));
  model = writeSenseVoiceTestModel(path.join(tmp, 'sv')).model;
  config = loadConfig({ TRANSCRIBE_ENGINE: 'sensevoice', SENSEVOICE_MODEL: model, TINGJIAN_CACHE_DIR: path.join(tmp, 'cache'), WHISPER_THREADS: '1' });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the random-weight SenseVoice model', () => {
  it('is a deterministic ONNX file carrying the metadata sherpa-onnx reads', () => {
    const a = buildSenseVoiceTestModel();
    expect(a.model.equals(buildSenseVoiceTestModel().model)).toBe(true);
    expect(a.model.equals(buildSenseVoiceTestModel({ seed: 2 }).model)).toBe(false);
    const meta = readOnnxMetadata(model);
    expect(meta).toMatchObject({ lfr_window_size: '7', lfr_window_shift: '6', with_itn: '14', without_itn: '15', lang_zh: '3' });
    expect(meta.neg_mean.split(',')).toHaveLength(560);
    expect(Number(meta.vocab_size)).toBe(a.tokens.trim().split('\n').length);
  });
});

describe('SenseVoiceTranscriber on the real sherpa-onnx runtime', () => {
  it('is chosen by TRANSCRIBE_ENGINE=sensevoice and transcribes into segments inside the audio, deterministically', async () => {
    const audio = await normalizeAudio(audioFixture('real-read.wav'), { outDir: path.join(tmp, 'n1'), config });
    const transcriber = createTranscriber(config);
    expect(transcriber.engine).toBe('sensevoice');
    const progress: number[] = [];
    const first = await transcriber.transcribe(audio.wavPath, { durationSec: audio.durationSec, onProgress: (p) => progress.push(p) });
    expect(first.segments.length).toBeGreaterThan(0);
    for (const s of first.segments) {
      expect(s.start!).toBeGreaterThanOrEqual(0);
      expect(s.end!).toBeGreaterThanOrEqual(s.start!);
      expect(s.end!).toBeLessThanOrEqual(audio.durationSec);
      expect(s.text).toMatch(/[\u4e00-\u9fa5]/);
      expect(s.text).not.toMatch(/<\||\|>/);
    }
    expect(progress).toEqual([100]);
    const second = await transcriber.transcribe(audio.wavPath, { durationSec: audio.durationSec });
    expect(second.segments).toEqual(first.segments);
  });

  it('decodes a recording longer than its 30 s input chunk by chunk, with times in the whole file', async () => {
    const conv = buildConversation({ speakers: ['aishell3-SSB0073', 'aishell3-SSB0005'], turnsEach: 8, seed: 3, longSilenceSec: 25 });
    const wav = path.join(tmp, 'long.wav');
    fs.writeFileSync(wav, encodeWav(conv.samples));
    const res = await createTranscriber(config).transcribe(wav, { durationSec: conv.durationSec });
    expect(conv.durationSec).toBeGreaterThan(60);
    expect(res.segments.length).toBeGreaterThan(1);
    expect(Math.max(...res.segments.map((s) => s.end!))).toBeGreaterThan(40);
    expect(res.segments.every((s) => s.end! <= conv.durationSec)).toBe(true);
  });

  it('refuses a broken model with bad_model before sherpa-onnx (which would end the process) sees it', () => {
    const broken = writeSenseVoiceTestModel(path.join(tmp, 'broken'), { omitMetadata: ['lang_zh', 'neg_mean'] }).model;
    expect(codeOf(() => checkSenseVoiceModel(broken))).toBe('bad_model');
    const truncated = path.join(tmp, 'cut', 'model.onnx');
    fs.mkdirSync(path.dirname(truncated));
    fs.writeFileSync(truncated, fs.readFileSync(model).subarray(0, 50_000));
    fs.copyFileSync(path.join(path.dirname(model), 'tokens.txt'), path.join(path.dirname(truncated), 'tokens.txt'));
    expect(codeOf(() => checkSenseVoiceModel(truncated))).toBe('bad_model');
    fs.writeFileSync(path.join(path.dirname(truncated), 'tokens.txt'), '<unk> 0\n');
    fs.copyFileSync(model, truncated);
    expect(errorInfo(catchIt(() => checkSenseVoiceModel(truncated))).message).toMatch(/tokens\.txt/);
  });

  it('says how to get a model when there is none', () => {
    const err = catchIt(() => createTranscriber({ ...config, SENSEVOICE_MODEL: undefined }));
    expect(errorInfo(err).code).toBe('no_model');
    expect(errorInfo(err).message).toMatch(/tingjian model pull sensevoice/);
  });
});

describe('toSegments', () => {
  it('drops prompt tokens, ends a segment at sentence punctuation or a pause, and keeps times in the window', () => {
    const segs = toSegments(
      {
        text: '',
        tokens: ['<|zh|>', '您', '好', '。', '价', '格', '▁ok', '我', '们'],
        timestamps: [0, 0.5, 0.7, 0.8, 1.2, 1.4, 1.5, 3.5, 3.7],
      },
      4,
    );
    expect(segs.map((s) => [s.start, s.end, s.text])).toEqual([
      [0.5, 1.1, '您好。'],
      [1.2, 1.7, '价格 ok'],
      [3.5, 4, '我们'],
    ]);
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

function codeOf(fn: () => unknown): string {
  return errorInfo(catchIt(fn)).code;
}
