import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { errorInfo } from '../core/errors.ts';
import { audioFixture, testModelPath } from '../fixtures/audio/index.ts';
import { transcribeAudioFile } from './audio-file.ts';
import { normalizeAudio } from './normalize.ts';
import { createTranscriber } from './create-transcriber.ts';
import { DEFAULT_PROMPT, whisperArgs } from './whisper-args.ts';
import { ensureWhisperBinary } from './whisper-binary.ts';

// The real whisper.cpp v1.5.0 `main` (built by postinstall, or here on first use) with the synthetic model:
// its words are random, so these tests assert structure — segments, times, confidences, errors.
let tmp: string;
let model: string;
let config: ReturnType<typeof loadConfig>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-whisper-test-'));
  model = testModelPath();
  config = loadConfig({ WHISPER_MODEL: model, TINGJIAN_CACHE_DIR: path.join(tmp, 'cache'), WHISPER_THREADS: '1' });
  await ensureWhisperBinary({ log: (m) => console.error(m) });
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('whisperArgs', () => {
  it('asks for Chinese, full JSON with token probabilities, progress, and a simplified-Chinese prompt', () => {
    expect(whisperArgs({ model: '/m/ggml-small.bin', wavPath: '/t/a b.wav', outBase: '/t/out', threads: 4 })).toEqual([
      '-m', '/m/ggml-small.bin', '-f', '/t/a b.wav', '-l', 'zh', '-t', '4', '--prompt', DEFAULT_PROMPT, '-ojf', '-of', '/t/out', '-pp',
    ]);
    expect(DEFAULT_PROMPT).toMatch(/简体中文.*标点/);
  });
});

describe('WhisperCppTranscriber with the real binary', () => {
  it('transcribes normalized audio into segments inside the audio with confidences, deterministically', async () => {
    const audio = await normalizeAudio(audioFixture('real-read.wav'), { outDir: path.join(tmp, 'n1'), config });
    const transcriber = createTranscriber(config);
    expect(transcriber.engine).toBe('whisper.cpp');
    const progress: number[] = [];
    const first = await transcriber.transcribe(audio.wavPath, { durationSec: audio.durationSec, onProgress: (p) => progress.push(p) });
    expect(first.segments.length).toBeGreaterThan(0);
    for (const s of first.segments) {
      expect(s.start).not.toBeNull();
      expect(s.start!).toBeGreaterThanOrEqual(0);
      expect(s.end!).toBeGreaterThanOrEqual(s.start!);
      expect(s.end!).toBeLessThanOrEqual(audio.durationSec);
      expect(s.text.length).toBeGreaterThan(0);
      expect(s.text).not.toMatch(/\uFFFD|\[_/);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(s.speaker).toBe('unknown');
    }
    expect(progress.length).toBeGreaterThan(0);
    const second = await transcriber.transcribe(audio.wavPath, { durationSec: audio.durationSec });
    expect(second.segments).toEqual(first.segments);
  });

  it('transcribes each channel of a stereo call with its role and merges them by time', async () => {
    const res = await transcribeAudioFile(audioFixture('call-stereo.wav'), { config, channels: 'rep-right' });
    expect(res.durationSec).toBeCloseTo(8, 1);
    expect(res.audio.channels).toBe('rep-right');
    const speakers = new Set(res.segments.map((s) => s.speaker));
    expect(speakers).toEqual(new Set(['rep', 'customer']));
    const starts = res.segments.map((s) => s.start!);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(res.audio.transcript).toEqual({ from: 'engine', engine: 'whisper.cpp', model: path.basename(model) });
  });

  it('no_model: without WHISPER_MODEL and an empty models folder, naming the command that fixes it', () => {
    const noModel = loadConfig({ TINGJIAN_CACHE_DIR: path.join(tmp, 'empty-cache') });
    const err = (() => {
      try {
        createTranscriber(noModel);
      } catch (e) {
        return e;
      }
    })();
    expect(errorInfo(err).code).toBe('no_model');
    expect(errorInfo(err).message).toContain('npx tingjian model pull');
  });

  it('finds a model in the models folder of the cache when WHISPER_MODEL is unset', () => {
    const cache = path.join(tmp, 'cache-with-model');
    fs.mkdirSync(path.join(cache, 'models'), { recursive: true });
    fs.copyFileSync(model, path.join(cache, 'models', 'ggml-base.bin'));
    fs.copyFileSync(model, path.join(cache, 'models', 'ggml-small.bin'));
    expect(createTranscriber(loadConfig({ TINGJIAN_CACHE_DIR: cache })).model).toBe(path.join(cache, 'models', 'ggml-small.bin'));
  });

  it('bad_model: a file that is not a ggml model is refused before whisper.cpp runs', () => {
    const fake = path.join(tmp, 'ggml-fake.bin');
    fs.writeFileSync(fake, 'not a model');
    expect(() => createTranscriber(loadConfig({ WHISPER_MODEL: fake }))).toThrow(expect.objectContaining({ code: 'bad_model' }));
  });

  it.each([
    ['inside the tensors (whisper.cpp refuses it)', 1_000_000],
    ['before the tensors (whisper.cpp would run it with empty weights)', 300_000],
  ])('bad_model: a model file cut off %s', async (_what, bytes) => {
    const broken = path.join(tmp, `ggml-cut-${bytes}.bin`);
    fs.writeFileSync(broken, fs.readFileSync(model).subarray(0, bytes));
    const audio = await normalizeAudio(audioFixture('visit.wav'), { outDir: path.join(tmp, `cut-${bytes}`), config });
    const err = await createTranscriber(loadConfig({ WHISPER_MODEL: broken }))
      .transcribe(audio.wavPath, { durationSec: audio.durationSec })
      .catch((e) => e);
    expect(errorInfo(err).code).toBe('bad_model');
  });

  it('transcribe_timeout when whisper.cpp exceeds its budget', async () => {
    const audio = await normalizeAudio(audioFixture('visit.wav'), { outDir: path.join(tmp, 'n3'), config });
    const err = await createTranscriber(config)
      .transcribe(audio.wavPath, { durationSec: audio.durationSec, timeoutMs: 1 })
      .catch((e) => e);
    expect(errorInfo(err).code).toBe('transcribe_timeout');
  });
});
