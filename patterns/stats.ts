/** Statistics used by the miner: Mann–Whitney U, Fisher's exact test, Benjamini–Hochberg. Pure, no dependencies. */

const SQRT_PI = Math.sqrt(Math.PI);

/** Complementary error function to ~1e-15 relative: power series below 2, Lentz continued fraction above. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  if (x > 27) return 0;
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** Two-sided p-value of a standard normal z. */
export function normalTwoSided(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

export interface MannWhitney {
  /** U statistic of the first sample. */
  u: number;
  z: number;
  pValue: number;
}

/**
 * Two-sided Mann–Whitney U from integer-valued samples given as histograms (`h[v]` = how many equal v), normal
 * approximation with tie and continuity correction (as scipy's `mannwhitneyu(method="asymptotic")`). Counts per
 * lead are small integers, so ranking by histogram is O(n) instead of a sort per row.
 */
export function mannWhitneyHistogram(h1: ArrayLike<number>, h2: ArrayLike<number>): MannWhitney {
  let n1 = 0;
  let n2 = 0;
  for (let v = 0; v < h1.length; v++) n1 += h1[v];
  for (let v = 0; v < h2.length; v++) n2 += h2[v];
  const len = Math.max(h1.length, h2.length);
  let below = 0;
  let r1 = 0;
  let tieSum = 0;
  for (let v = 0; v < len; v++) {
    const a = v < h1.length ? h1[v] : 0;
    const b = v < h2.length ? h2[v] : 0;
    const t = a + b;
    if (t === 0) continue;
    r1 += a * (below + (t + 1) / 2);
    tieSum += t * t * t - t;
    below += t;
  }
  return mwFromRankSum(r1, n1, n2, tieSum);
}

/** Same test for arbitrary real samples (sorting); used by tests to cross-check the histogram form. */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitney {
  const all = [...x.map((v) => [v, 0] as const), ...y.map((v) => [v, 1] as const)].sort((a, b) => a[0] - b[0]);
  let r1 = 0;
  let tieSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const t = j - i;
    const rank = i + (t + 1) / 2;
    for (let k = i; k < j; k++) if (all[k][1] === 0) r1 += rank;
    tieSum += t * t * t - t;
    i = j;
  }
  return mwFromRankSum(r1, x.length, y.length, tieSum);
}

function mwFromRankSum(r1: number, n1: number, n2: number, tieSum: number): MannWhitney {
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  if (n1 === 0 || n2 === 0) return { u, z: 0, pValue: 1 };
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieSum / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const uMax = Math.max(u, n1 * n2 - u);
  const z = (uMax - mu - 0.5) / Math.sqrt(variance);
  return { u, z, pValue: z <= 0 ? 1 : normalTwoSided(z) };
}

let logFact = new Float64Array([0, 0]);

function ensureLogFactorial(n: number): Float64Array {
  if (n < logFact.length) return logFact;
  const size = Math.max(n + 1, logFact.length * 2);
  const next = new Float64Array(size);
  next.set(logFact);
  for (let i = logFact.length; i < size; i++) next[i] = next[i - 1] + Math.log(i);
  logFact = next;
  return next;
}

/**
 * Two-sided Fisher's exact test on [[a, b], [c, d]]: the probability of tables (same margins) no more likely than
 * the observed one, with scipy's/R's relative tolerance of 1e-7. Tails are summed outward from their inner end and
 * stop once terms no longer change the sum, so large tables cost O(tail width), not O(n).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  if (n === 0) return 1;
  const lf = ensureLogFactorial(n);
  const row = a + b;
  const col = a + c;
  const lo = Math.max(0, row + col - n);
  const hi = Math.min(row, col);
  const base = lf[col] + lf[n - col] + lf[row] + lf[n - row] - lf[n];
  const logPmf = (x: number) => base - lf[x] - lf[col - x] - lf[row - x] - lf[n - col - row + x];
  const mode = Math.floor(((row + 1) * (col + 1)) / (n + 2));
  const lExact = logPmf(a);
  const lMode = logPmf(mode);
  if (Math.abs(Math.exp(lExact - lMode) - 1) <= 1e-14) return 1;
  const threshold = lExact + Math.log1p(1e-7);
  const tail = (from: number, step: 1 | -1, end: number) => {
    let sum = 0;
    for (let x = from; step === 1 ? x <= end : x >= end; x += step) {
      const p = Math.exp(logPmf(x));
      sum += p;
      if (p < sum * 1e-17) break;
    }
    return sum;
  };
  // First x on the far side of the mode (moving away from it) whose probability is at most the observed one.
  const farStart = (from: number, to: number): number | null => {
    if (logPmf(to) > threshold) return null;
    let inner = from;
    let outer = to;
    while (Math.abs(outer - inner) > 1) {
      const mid = Math.floor((inner + outer) / 2);
      if (logPmf(mid) > threshold) inner = mid;
      else outer = mid;
    }
    return logPmf(inner) <= threshold ? inner : outer;
  };
  let p: number;
  if (a < mode) {
    p = tail(a, -1, lo);
    const g = farStart(mode, hi);
    if (g !== null) p += tail(g, 1, hi);
  } else {
    p = tail(a, 1, hi);
    const g = farStart(mode, lo);
    if (g !== null) p += tail(g, -1, lo);
  }
  return Math.min(1, p);
}

/** Benjamini–Hochberg adjusted p-values (R's p.adjust(method = "BH")), in input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const idx = pValues.map((_, i) => i).sort((i, j) => pValues[j] - pValues[i]);
  const q = new Array<number>(m);
  let min = 1;
  for (let k = 0; k < m; k++) {
    const i = idx[k];
    const rank = m - k;
    min = Math.min(min, (pValues[i] * m) / rank);
    q[i] = min;
  }
  return q;
}
