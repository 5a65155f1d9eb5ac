import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorInfo } from '../core/errors.ts';
import { buildConversation } from '../fixtures/audio/conversations.ts';
import { encodeWav } from './pcm.ts';
import { overlapSec, totalSec, type Region } from './regions.ts';
import { bundledVadModel, detectSpeech } from './vad.ts';

// Real Silero VAD (the weights npm ci installs) in sherpa-onnx's runtime, on real voices with known silences.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-vad-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, samples: Float32Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, encodeWav(samples));
  return file;
}

describe('detectSpeech', () => {
  it('finds the speech of real voices and none of the pauses or the long silence', async () => {
    const conv = buildConversation({ speakers: ['aishell3-SSB0139', 'aishell1-S0724'], turnsEach: 6, seed: 21, longSilenceSec: 25 });
    const vad = await detectSpeech(write('conv.wav', conv.samples));
    const truth: Region[] = conv.truth.map((t) => [t.start, t.end]);
    const speechSec = totalSec(truth);
    const found = truth.reduce((s, [a, b]) => s + overlapSec(vad.regions, a, b), 0);
    const falseAlarm = totalSec(vad.regions) - found;
    expect(found / speechSec).toBeGreaterThan(0.9);
    expect(falseAlarm / (conv.durationSec - speechSec)).toBeLessThan(0.05);
    const longGap = conv.truth.findIndex((t, i) => i > 0 && t.start - conv.truth[i - 1].end >= 25);
    expect(overlapSec(vad.regions, conv.truth[longGap - 1].end + 0.5, conv.truth[longGap].start - 0.5)).toBe(0);
    expect(vad.durationSec).toBeCloseTo(conv.durationSec, 2);
    expect(vad.speechRatio).toBeCloseTo(vad.speechSec / vad.durationSec, 2);
    for (let i = 1; i < vad.regions.length; i++) expect(vad.regions[i][0]).toBeGreaterThanOrEqual(vad.regions[i - 1][1]);
  });

  it('finds no speech in room noise', async () => {
    const noise = new Float32Array(16000 * 30);
    let seed = 7;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      noise[i] = ((seed / 2 ** 32) * 2 - 1) * 0.01;
    }
    const vad = await detectSpeech(write('noise.wav', noise));
    expect(vad.regions).toEqual([]);
    expect(vad.speechRatio).toBe(0);
  });

  it('refuses audio that is not the normalized format and a missing model with a clear error', async () => {
    const stereo = encodeWav(new Float32Array(3200));
    stereo.writeUInt16LE(2, 22);
    const file = path.join(tmp, 'stereo.wav');
    fs.writeFileSync(file, stereo);
    await expect(detectSpeech(file)).rejects.toThrow(/16 kHz mono/);
    const err = await detectSpeech(write('ok.wav', new Float32Array(3200)), { model: path.join(tmp, 'missing.onnx') }).catch((e) => e);
    expect(errorInfo(err).code).toBe('vad_model_missing');
    expect(fs.existsSync(bundledVadModel())).toBe(true);
  });
});
