import { describe, expect, it } from 'vitest';
import { averageRanks, benjaminiHochberg, spearman } from './stats.ts';

// Reference values computed with SciPy 1.17 (spearmanr, false_discovery_control).
const close = (actual: number, expected: number, rel = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));

describe('ranks and Spearman', () => {
  it('gives tied values their average rank and leaves missing values out', () => {
    expect(Array.from(averageRanks([10, 20, 10, NaN, 5]))).toEqual([2.5, 4, 2.5, NaN, 1]);
  });

  it('matches scipy.stats.spearmanr, with ties', () => {
    close(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])!, 0.8207826816681233, 1e-12);
    close(spearman([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8])!, 0.19885368120992467, 1e-12);
  });

  it('skips pairs with a missing value and has no value without spread', () => {
    close(spearman([1, 2, NaN, 3, 4, 5], [5, 6, 100, 7, 8, 7])!, 0.8207826816681233, 1e-12);
    expect(spearman([1, 1, 1, 1], [1, 2, 3, 4])).toBeNull();
    expect(spearman([1, 2], [1, 2])).toBeNull();
  });
});

describe('Benjamini–Hochberg', () => {
  it('matches the known vector', () => {
    const q = benjaminiHochberg([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]);
    const expected = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.08457142857142856, 0.205];
    q.forEach((v, i) => close(v, expected[i], 1e-12));
  });

  it('keeps input order for unsorted p-values', () => {
    const q = benjaminiHochberg([0.05, 0.01, 0.2, 0.04, 0.03]);
    [0.0625, 0.05, 0.2, 0.0625, 0.0625].forEach((v, i) => close(q[i], v, 1e-12));
  });
});
