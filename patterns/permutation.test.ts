import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/random.ts';
import { binomial, groupPermutationTest, groupTestMinP, rankPermutationTest, rankTestMinP, type PermutationOptions, type RepColumns } from './permutation.ts';

const EXACT: PermutationOptions = { enumerateLimit: 1e6, samples: 10_000, seed: 1, stopAfter: 1e9 };

/** Random per-rep values for `findings` × `perFinding` columns, about 15 % missing. */
function randomColumns(reps: number, findings: number, perFinding: number, seed: number): RepColumns {
  const rnd = mulberry32(seed);
  const columns = findings * perFinding;
  const value = new Float64Array(reps * columns);
  const has = new Float64Array(reps * columns);
  for (let i = 0; i < value.length; i++) {
    if (rnd() < 0.15) continue;
    has[i] = 1;
    value[i] = Math.round(rnd() * 40) / 10;
  }
  return { reps, columns, value, has, finding: Int32Array.from({ length: columns }, (_, v) => Math.floor(v / perFinding)), findings };
}

/** Every subset of size k of 0..n-1. */
function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) yield [...acc];
  else for (let i = start; i < n; i++) yield* subsets(n, k, i + 1, [...acc, i]);
}

/** The group test written out plainly: per column (top mean − rest mean) / its relabelling scale, max per finding. */
function naiveGroupP(c: RepColumns, top: number): number[] {
  const R = c.reps;
  const V = c.columns;
  const small = Math.min(top, R - top);
  const cell = (r: number, v: number) => (c.has[r * V + v] ? c.value[r * V + v] : NaN);
  const scale = Array.from({ length: V }, (_, v) => {
    const xs = Array.from({ length: R }, (_, r) => cell(r, v)).filter((x) => !Number.isNaN(x));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    const k = (xs.length * small) / R;
    return Math.sqrt(variance * (1 / k + 1 / (xs.length - k)));
  });
  const stat = (group: Set<number>) => {
    const m = new Array(c.findings).fill(0);
    for (let v = 0; v < V; v++) {
      const a = [...group].map((r) => cell(r, v)).filter((x) => !Number.isNaN(x));
      const b = [...Array(R).keys()].filter((r) => !group.has(r)).map((r) => cell(r, v)).filter((x) => !Number.isNaN(x));
      if (!a.length || !b.length) continue;
      const d = a.reduce((s, x) => s + x, 0) / a.length - b.reduce((s, x) => s + x, 0) / b.length;
      m[c.finding[v]] = Math.max(m[c.finding[v]], Math.abs(d) / scale[v]);
    }
    return m;
  };
  const observed = stat(new Set(Array.from({ length: top }, (_, i) => i)));
  const count = new Array(c.findings).fill(0);
  let n = 0;
  for (const s of subsets(R, top)) {
    n++;
    stat(new Set(s)).forEach((x, f) => (x >= observed[f] - 1e-9 * Math.max(1, observed[f]) ? count[f]++ : 0));
  }
  return count.map((x) => x / n);
}

describe('top-vs-rest relabelling test', () => {
  it('counts C(n, k) and the smallest reachable p', () => {
    expect(binomial(30, 3)).toBe(4060);
    expect(binomial(12, 2)).toBe(66);
    expect(groupTestMinP(30, 3, EXACT)).toBeCloseTo(1 / 4060, 15);
    expect(groupTestMinP(12, 2, EXACT)).toBeCloseTo(1 / 66, 15);
    expect(groupTestMinP(300, 30, { ...EXACT, enumerateLimit: 1e5 })).toBeCloseTo(1 / 10_001, 15);
  });

  it('enumerates exactly as the plain definition, with missing values and either group the smaller', () => {
    for (const [reps, top, seed] of [[9, 3, 1], [9, 6, 2], [10, 2, 3]]) {
      const c = randomColumns(reps, 3, 3, seed);
      const got = groupPermutationTest(c, top, EXACT);
      expect(got.exhaustive).toBe(true);
      expect(got.draws).toBe(binomial(reps, top));
      const want = naiveGroupP(c, top);
      want.forEach((p, f) => expect(got.pValue[f]).toBeCloseTo(p, 12));
    }
  });

  it('reaches 1 / C(n, k) when the top group is highest in every variant', () => {
    const c = randomColumns(12, 1, 2, 4);
    for (let r = 0; r < 3; r++) for (let v = 0; v < 2; v++) ((c.value[r * 2 + v] = 10 + r), (c.has[r * 2 + v] = 1));
    const got = groupPermutationTest(c, 3, EXACT);
    expect(got.pValue[0]).toBeCloseTo(1 / 220, 15);
    expect(got.z[0]).toBeGreaterThan(0);
  });

  it('samples with a fixed seed, agrees with the exact p, and stops early on clearly null findings', () => {
    const c = randomColumns(14, 4, 2, 5);
    const exact = groupPermutationTest(c, 4, EXACT);
    const sampled = groupPermutationTest(c, 4, { enumerateLimit: 0, samples: 20_000, seed: 7, stopAfter: 1e9 });
    expect(sampled.exhaustive).toBe(false);
    exact.pValue.forEach((p, f) => expect(Math.abs(sampled.pValue[f] - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20_000) + 1e-4));
    const again = groupPermutationTest(c, 4, { enumerateLimit: 0, samples: 20_000, seed: 7, stopAfter: 1e9 });
    expect(Array.from(again.pValue)).toEqual(Array.from(sampled.pValue));
    const early = groupPermutationTest(c, 4, { enumerateLimit: 0, samples: 20_000, seed: 7, stopAfter: 10 });
    const nullish = exact.pValue.findIndex((p) => p > 0.3);
    expect(nullish).toBeGreaterThanOrEqual(0);
    // Stopped after 10 exceedances: p = 10 / draws, close to the exact value.
    expect(early.pValue[nullish]).toBeGreaterThan(0.1);
    expect(10 / early.pValue[nullish]).toBeLessThan(200);
  });
});

describe('rank-correlation test', () => {
  const perm = function* (a: number[]): Generator<number[]> {
    if (a.length <= 1) yield a;
    else for (let i = 0; i < a.length; i++) for (const rest of perm([...a.slice(0, i), ...a.slice(i + 1)])) yield [a[i], ...rest];
  };

  it('agrees with the exact permutation distribution over 7 reps', () => {
    const reps = 7;
    const ranks = [3, -1, 2, -3, 0, 1, -2];
    const c: RepColumns = { reps, columns: 1, value: Float64Array.from(ranks), has: new Float64Array(reps).fill(1), finding: new Int32Array(1), findings: 1 };
    const perf = Float64Array.from([3, 2, 1, 0, -1, -2, -3]);
    const obs = Math.abs(ranks.reduce((s, a, r) => s + a * perf[r], 0));
    let hit = 0;
    let n = 0;
    for (const p of perm([...perf])) {
      n++;
      if (Math.abs(ranks.reduce((s, a, r) => s + a * p[r], 0)) >= obs - 1e-9) hit++;
    }
    const got = rankPermutationTest(c, perf, { enumerateLimit: 0, samples: 40_000, seed: 3, stopAfter: 1e9 });
    const exact = hit / n;
    expect(Math.abs(got.pValue[0] - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / 40_000));
    expect(got.z[0]).toBeGreaterThan(0);
    expect(rankTestMinP(7, { ...EXACT, samples: 40_000 })).toBeCloseTo(1 / 5040, 12);
    expect(rankTestMinP(30, EXACT)).toBeCloseTo(1 / 10_001, 12);
  });
});
