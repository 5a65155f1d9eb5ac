import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { errorInfo } from '../core/errors.ts';
import { audioFixture, audioManifest, longRecording } from '../fixtures/audio/index.ts';
import { normalizeAudio } from './normalize.ts';
import { readWavInfo } from './wav-info.ts';

// Real ffmpeg (@ffmpeg-installer) and ffprobe (@ffprobe-installer) on committed clips.
const config = loadConfig({});
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-normalize-test-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const outDir = (name: string) => path.join(tmp, name.replace(/[^a-z0-9.]/gi, '_'));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return errorInfo(err).code;
  }
}

describe('normalizeAudio on every committed format', () => {
  const formats = ['visit.wav', 'visit.mp3', 'visit.m4a', 'visit.ogg', 'visit.webm', 'visit.flac', 'visit.amr', 'real-read.wav'];
  it.each(formats)('%s → 16 kHz mono s16le, decoded duration within 2 %%', async (name) => {
    const expected = audioManifest.good[name];
    const res = await normalizeAudio(audioFixture(name), { outDir: outDir(name), config });
    const wav = await readWavInfo(res.wavPath);
    expect(wav).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(Math.abs(wav.durationSec - expected.durationSec) / expected.durationSec).toBeLessThan(0.02);
    expect(res.durationSec).toBeCloseTo(wav.durationSec, 6);
    expect(res.source).toMatchObject({ codec: expected.codec, sampleRate: expected.sampleRate, channels: expected.channels });
    expect(res.speechRatio).toBeGreaterThan(0.5);
    expect(res.speechRatio).toBeLessThanOrEqual(1);
    expect(res.channelWavs).toBeNull();
  });

  it('measures silence: the stereo call has 1.5 s of quiet out of 8 s', async () => {
    const res = await normalizeAudio(audioFixture('call-stereo.wav'), { outDir: outDir('call-mix'), config });
    expect(res.source).toMatchObject({ channels: 2, sampleRate: 8000 });
    expect(res.speechRatio).toBeGreaterThan(0.6);
    expect(res.speechRatio).toBeLessThan(0.95);
  });

  it('splits a stereo call into one file per channel, the rep on the left and the customer on the right', async () => {
    const res = await normalizeAudio(audioFixture('call-stereo.wav'), { outDir: outDir('call-split'), config, channels: 'split' });
    expect(res.channelWavs).not.toBeNull();
    const energy = (file: string, from: number, to: number) => {
      const pcm = fs.readFileSync(file).subarray(44);
      let sum = 0;
      for (let i = from * 16000; i < to * 16000; i++) sum += Math.abs(pcm.readInt16LE(i * 2));
      return sum / ((to - from) * 16000);
    };
    for (const f of [res.wavPath, res.channelWavs!.left, res.channelWavs!.right]) {
      expect(await readWavInfo(f)).toMatchObject({ sampleRate: 16000, channels: 1 });
      expect((await readWavInfo(f)).durationSec).toBeCloseTo(8, 1);
    }
    // left speaks in 0–4 s and is silent after; right is silent until 4.5 s
    expect(energy(res.channelWavs!.left, 0.5, 3.5)).toBeGreaterThan(20 * (energy(res.channelWavs!.left, 5, 7) + 1));
    expect(energy(res.channelWavs!.right, 5, 7)).toBeGreaterThan(20 * (energy(res.channelWavs!.right, 0.5, 3.5) + 1));
  });

  it('processes a mono file as a mix with a warning when a split is asked for', async () => {
    const res = await normalizeAudio(audioFixture('visit.mp3'), { outDir: outDir('mono-split'), config, channels: 'split' });
    expect(res.channelWavs).toBeNull();
    expect(res.warnings.join()).toMatch(/双声道/);
  });
});

describe('longRecording fixture', () => {
  it('loops a clip to about the asked length (AAC priming trims a little per loop)', async () => {
    const res = await normalizeAudio(longRecording(120), { outDir: outDir('long-fixture'), config });
    expect(Math.abs(res.durationSec - 120)).toBeLessThan(1.2);
  });
});

describe('normalizeAudio reports what was decoded, not what headers claim', () => {
  it('a truncated mp3 whose Xing header claims 10 s decodes to its real ~4 s, with a warning', async () => {
    const res = await normalizeAudio(audioFixture('truncated.mp3'), { outDir: outDir('trunc'), config });
    expect(res.declaredDurationSec).toBeCloseTo(10, 0);
    expect(res.durationSec).toBeGreaterThan(3.5);
    expect(res.durationSec).toBeLessThan(4.5);
    expect(res.warnings.join()).toMatch(/截断|truncated/);
  });

  it('a WAV whose header claims 1 GiB of samples decodes to its 2 s and is not rejected as too long', async () => {
    const res = await normalizeAudio(audioFixture('huge-header.wav'), { outDir: outDir('huge'), config, maxSeconds: 60 });
    expect(res.durationSec).toBeCloseTo(2, 1);
  });
});

describe('normalizeAudio errors', () => {
  it.each(Object.entries(audioManifest.bad))('%s → %s', async (name, code) => {
    expect(await codeOf(normalizeAudio(audioFixture(name), { outDir: outDir(`bad-${name}`), config }))).toBe(code);
  });

  it('SILK says it is WeChat voice and how to convert it', async () => {
    await expect(normalizeAudio(audioFixture('voice.silk'), { outDir: outDir('silk'), config })).rejects.toThrow(/SILK.*silk-v3-decoder/);
  });

  it('a missing file and a directory get their own codes', async () => {
    expect(await codeOf(normalizeAudio(path.join(tmp, 'nope.m4a'), { outDir: outDir('missing'), config }))).toBe('file_not_found');
    expect(await codeOf(normalizeAudio(tmp, { outDir: outDir('dir'), config }))).toBe('not_audio');
  });

  it('too_long: a recording over the configured maximum', async () => {
    const err = await normalizeAudio(audioFixture('visit.m4a'), { outDir: outDir('long'), config, maxSeconds: 5 }).catch((e) => e);
    expect(errorInfo(err).code).toBe('too_long');
    expect(errorInfo(err).message).toMatch(/MAX_AUDIO_SECONDS/);
  });

  it('ffmpeg_timeout: ffmpeg is killed when it exceeds its time budget', async () => {
    expect(await codeOf(normalizeAudio(audioFixture('visit.m4a'), { outDir: outDir('timeout'), config, timeoutMs: 1 }))).toBe(
      'ffmpeg_timeout',
    );
  });

  it('a wrong FFMPEG_PATH is reported as such, not as a broken file', async () => {
    const bad = { ...config, FFMPEG_PATH: path.join(tmp, 'no-ffmpeg') };
    expect(await codeOf(normalizeAudio(audioFixture('visit.mp3'), { outDir: outDir('noff'), config: bad }))).toBe('ffmpeg_not_found');
  });
});

describe('file names are data', () => {
  it('a name with spaces, quotes and $(…) is processed and runs nothing', async () => {
    const dir = path.join(tmp, 'meta');
    fs.mkdirSync(dir);
    const name = `客户 拜访 $(touch x) \`touch y\`; touch z 'q".mp3`;
    fs.copyFileSync(audioFixture('visit.mp3'), path.join(dir, name));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const res = await normalizeAudio(name, { outDir: path.join(dir, '$(touch out)'), config });
      expect(res.durationSec).toBeGreaterThan(9);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['$(touch out)', name].sort());
    for (const f of ['x', 'y', 'z']) expect(fs.existsSync(path.join(cwd, f))).toBe(false);
  });
});
