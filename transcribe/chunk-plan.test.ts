import { describe, expect, it } from 'vitest';
import { planChunks, plannedSec, toOriginalTime } from './chunk-plan.ts';
import type { Region } from './regions.ts';

describe('planChunks', () => {
  it('sends only padded speech, packs regions up to 30 s and cuts at the pause before the one that does not fit', () => {
    const regions: Region[] = [[10, 20], [21, 31], [32, 40], [41, 45], [100, 105]];
    const chunks = planChunks(regions, { durationSec: 200, padSec: 0.2 });
    expect(chunks.map((c) => c.pieces.map((p) => [p.at, p.from, p.length]))).toEqual([
      [[0, 9.8, 10.4], [10.4, 20.8, 10.4], [20.8, 31.8, 8.4]],
      [[0, 40.8, 4.4], [4.4, 99.8, 5.4]],
    ]);
    expect(chunks.map((c) => c.durationSec)).toEqual([29.2, 9.8]);
    expect(plannedSec(chunks)).toBe(39);
    expect(chunks.map((c) => c.index)).toEqual([0, 1]);
    expect([chunks[1].start, chunks[1].end]).toEqual([40.8, 105.2]);
  });

  it('merges regions whose padding touches, clamps to the file, and splits a region longer than a chunk', () => {
    const chunks = planChunks([[0.1, 5], [5.3, 9.9], [20, 95]], { durationSec: 100, padSec: 0.2 });
    expect(chunks[0].pieces[0]).toEqual({ at: 0, from: 0, length: 10.1 });
    const long = chunks.slice(1).flatMap((c) => c.pieces);
    expect(long.reduce((s, p) => s + p.length, 0)).toBeCloseTo(75.4, 6);
    expect(chunks.every((c) => c.durationSec <= 30 + 1e-9)).toBe(true);
    expect(planChunks([], { durationSec: 10 })).toEqual([]);
  });
});

describe('toOriginalTime', () => {
  const [chunk] = planChunks([[10, 20], [50, 55]], { durationSec: 100, padSec: 0 });

  it('maps chunk time into the piece it falls in', () => {
    expect(toOriginalTime(chunk, 0)).toBe(10);
    expect(toOriginalTime(chunk, 4.5)).toBe(14.5);
    expect(toOriginalTime(chunk, 12)).toBe(52);
  });

  it('gives a seam to the earlier piece for an end and the later one for a start, and clamps overshoot', () => {
    expect(toOriginalTime(chunk, 10, 'end')).toBe(20);
    expect(toOriginalTime(chunk, 10, 'start')).toBe(50);
    expect(toOriginalTime(chunk, 99, 'end')).toBe(55);
    expect(toOriginalTime(chunk, -1)).toBe(10);
  });
});

describe('planChunks on speech with short pauses', () => {
  it('cuts a long stretch of closely spaced regions at the middle of a pause, so chunks fill up to 30 s', () => {
    const regions: Region[] = Array.from({ length: 20 }, (_, i) => [i * 3, i * 3 + 2.8] as Region);
    const chunks = planChunks(regions, { durationSec: 100, padSec: 0.2 });
    expect(chunks.map((c) => c.durationSec)).toEqual([29.9, 27, 3.1]);
    expect(chunks[0].pieces).toEqual([{ at: 0, from: 0, length: 29.9 }]);
    // The cut lies in the middle of the pause between 29.8 and 30, and nothing is lost or sent twice.
    expect(chunks[1].pieces[0].from).toBe(29.9);
    expect(plannedSec(chunks)).toBe(60);
  });
});
