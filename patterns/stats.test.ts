import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, erfc, fisherExact, mannWhitneyHistogram, mannWhitneyU } from './stats.ts';

// Reference values computed with SciPy 1.17 (mannwhitneyu method="asymptotic", fisher_exact, false_discovery_control).
const close = (actual: number, expected: number, rel = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));

describe('erfc', () => {
  it('matches reference values across the series / continued-fraction switch', () => {
    close(erfc(0.1), 0.8875370839817152, 1e-13);
    close(erfc(1), 0.15729920705028516, 1e-13);
    close(erfc(1.9), 0.007209570764742531, 1e-12);
    close(erfc(2.1), 0.0029794666563329845, 1e-12);
    close(erfc(5), 1.5374597944280347e-12, 1e-12);
    close(erfc(10), 2.0884875837625446e-45, 1e-12);
  });
});

describe('Mann–Whitney U (normal approximation, tie + continuity correction)', () => {
  it('reproduces the classic depression-scores example (R wilcox.test docs)', () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(58);
    close(r.pValue, 0.13291945818531892);
  });

  it('handles heavy ties, and the histogram form used for counts agrees with the sorting form', () => {
    const a = [0, 1, 1, 2, 2, 2, 3, 0, 1, 2];
    const b = [0, 0, 1, 0, 1, 0, 0, 2, 1, 0, 0, 1];
    const r = mannWhitneyU(a, b);
    expect(r.u).toBe(92);
    close(r.pValue, 0.027630109242828178);
    const hist = (v: number[]) => v.reduce<number[]>((h, x) => ((h[x] = (h[x] ?? 0) + 1), h), [0, 0, 0, 0]);
    const h = mannWhitneyHistogram(hist(a), hist(b));
    expect(h.u).toBe(92);
    close(h.pValue, r.pValue, 1e-12);
  });

  it('gives p = 1 for identical distributions and for constant samples', () => {
    expect(mannWhitneyU([0, 1, 2], [2, 1, 0]).pValue).toBe(1);
    expect(mannWhitneyHistogram([0, 5], [0, 7]).pValue).toBe(1);
  });
});

describe("Fisher's exact test (two-sided)", () => {
  it.each([
    [[3, 1, 1, 3], 0.48571428571428565],
    [[8, 2, 1, 5], 0.034965034965034975],
    [[1, 9, 11, 3], 0.0027594561852200836],
    [[0, 10, 10, 0], 1.082508822446903e-5],
    [[68, 32, 144, 756], 5.7909191963715725e-27],
    [[34, 66, 50, 850], 3.308698499135572e-15],
  ])('table %j', (t, expected) => {
    close(fisherExact(t[0], t[1], t[2], t[3]), expected, 1e-8);
  });

  it('is 1 for proportional tables and symmetric under swapping groups', () => {
    expect(fisherExact(5, 5, 50, 50)).toBe(1);
    close(fisherExact(144, 756, 68, 32), fisherExact(68, 32, 144, 756), 1e-9);
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
