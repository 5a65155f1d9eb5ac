import { describe, expect, it } from 'vitest';
import { HOP_SEC, N_MFCC, frameFeatures } from './voice-features.ts';

/** A glottal-like tone: the first ten harmonics of `hz`, falling off as 1/k. */
const voiceLike = (hz: number, seconds: number) =>
  Float32Array.from({ length: Math.round(16000 * seconds) }, (_, i) => {
    let v = 0;
    for (let k = 1; k <= 10; k++) v += Math.sin((2 * Math.PI * k * hz * i) / 16000) / k;
    return 0.2 * v;
  });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe('frameFeatures', () => {
  it('frames every 20 ms and measures the pitch of a man’s and a woman’s voice range without octave errors', () => {
    for (const hz of [110, 220, 310]) {
      const f = frameFeatures(voiceLike(hz, 1));
      expect(f.frames).toBe(Math.floor((16000 - 512) / (HOP_SEC * 16000)) + 1);
      expect(f.mfcc).toHaveLength(f.frames * N_MFCC);
      expect(median(Array.from(f.f0))).toBeGreaterThan(hz * 0.97);
      expect(median(Array.from(f.f0))).toBeLessThan(hz * 1.03);
    }
  });

  it('calls silence and white noise unvoiced', () => {
    expect(Array.from(frameFeatures(new Float32Array(16000)).f0).every((v) => v === 0)).toBe(true);
    let seed = 3;
    const noise = Float32Array.from({ length: 16000 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed / 2 ** 32) * 2 - 1;
    });
    const voiced = Array.from(frameFeatures(noise).f0).filter((v) => v > 0).length;
    expect(voiced).toBeLessThan(5);
  });
});
