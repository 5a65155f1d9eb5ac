import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { muteArgs, muteSpans } from './mute.ts';
import { runProcess } from './run-process.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-mute-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** RMS of 16-bit mono samples between two times of a 16 kHz WAV with a 44-byte header. */
function rms(file: string, from: number, to: number): number {
  const pcm = fs.readFileSync(file).subarray(44);
  let sum = 0;
  let n = 0;
  for (let i = Math.floor(from * 16000); i < Math.floor(to * 16000); i++) {
    const v = pcm.readInt16LE(i * 2);
    sum += v * v;
    n++;
  }
  return Math.sqrt(sum / n);
}

describe('muting redacted spans in the normalized audio', () => {
  it('builds the volume filter as arguments', () => {
    expect(muteArgs('in.wav', 'out.wav', [{ start: 1, end: 2.5 }, { start: 4, end: 5 }])).toContain("volume=enable='between(t,1.000,2.500)+between(t,4.000,5.000)':volume=0");
  });

  it('silences exactly the spans with the real ffmpeg', async () => {
    const config = loadConfig({});
    const tone = path.join(dir, 'tone.wav');
    const made = await runProcess(ffmpegPath(config), ['-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', tone], { timeoutMs: 30_000 });
    expect(made.code).toBe(0);
    const out = path.join(dir, 'muted.wav');
    await muteSpans(tone, out, [{ start: 1, end: 2 }], config);
    const muted = out.replace('.wav', '.bitexact.wav');
    // Normalise the header to 44 bytes so the sample offsets are known.
    await runProcess(ffmpegPath(config), ['-y', '-i', out, '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1', muted], { timeoutMs: 30_000 });
    expect(rms(muted, 0.1, 0.9)).toBeGreaterThan(1000);
    expect(rms(muted, 1.05, 1.95)).toBe(0);
    expect(rms(muted, 2.1, 2.9)).toBeGreaterThan(1000);
  });
});
