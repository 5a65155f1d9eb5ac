import { mulberry32 } from '../core/random.ts';

/**
 * Permutation tests over reps, the unit of evidence. Every tested figure ("column") has one value per rep; the
 * columns of one finding (its variants: other stages, gap windows, customer types) are tested together by the
 * largest standardized statistic among them, so picking the strongest variant afterwards costs nothing in validity.
 *
 * Matrices are rep-major (`value[r * columns + c]`): a relabelling adds whole rep rows into per-column
 * accumulators, so the work per relabelling is (reps moved) × columns, never leads.
 */
export interface RepColumns {
  reps: number;
  columns: number;
  /** 0 where the rep has no value. */
  value: Float64Array;
  /** 1 where the rep has a value, else 0. */
  has: Float64Array;
  /** Column → finding. */
  finding: Int32Array;
  findings: number;
}

export interface PermutationOptions {
  /** Enumerate every relabelling when there are at most this many. */
  enumerateLimit: number;
  /** Relabellings to sample otherwise. */
  samples: number;
  seed: number;
  /** Besag–Clifford: stop sampling a finding after this many relabellings at least as extreme as the observed one. */
  stopAfter: number;
}

export interface PermutationResult {
  /** Per finding. */
  pValue: Float64Array;
  /** Per column: the observed standardized statistic, signed (positive: top group / better reps higher). */
  z: Float64Array;
  /** Relabellings evaluated (enumerated, or the most sampled for any finding). */
  draws: number;
  exhaustive: boolean;
  /** The smallest p-value this design can produce. */
  minPValue: number;
}

const REL_TOL = 1e-9;

/** C(n, k) as a float (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(c);
}

/** Smallest p-value of the top-vs-rest relabelling test for these group sizes. */
export function groupTestMinP(reps: number, top: number, o: PermutationOptions): number {
  const n = binomial(reps, top);
  return n <= o.enumerateLimit ? 1 / n : Math.max(1 / n, 1 / (o.samples + 1));
}

/** Smallest p-value of the sampled rank-correlation test over this many reps. */
export function rankTestMinP(reps: number, o: PermutationOptions): number {
  let f = 1;
  for (let i = 2; i <= reps && f < 1e12; i++) f *= i;
  return Math.max(1 / f, 1 / (o.samples + 1));
}

/** The observed standardized rank statistic of every column (positive: better reps higher). */
export function observedRankZ(ranks: RepColumns, perf: Float64Array): Float64Array {
  return rankSetup(ranks, perf).z;
}

/** The observed standardized top-vs-rest statistic of every column (positive: the top group higher). */
export function observedGroupZ(cols: RepColumns, top: number): Float64Array {
  return groupSetup(cols, top).z;
}

/**
 * Top group (reps 0..top-1) against the rest: difference of the groups' mean per-rep values, each column scaled by
 * its standard deviation under random relabelling, two-sided. Exact when C(reps, top) ≤ enumerateLimit.
 */
export function groupPermutationTest(cols: RepColumns, top: number, o: PermutationOptions): PermutationResult {
  const R = cols.reps;
  const V = cols.columns;
  const { small, S, C, scale, z, observed } = groupSetup(cols, top);
  const sT = new Float64Array(V);
  const cT = new Float64Array(V);
  const zOf = (out: Float64Array) => standardizedDifference(S, C, sT, cT, scale, out);
  const total = binomial(R, small);
  const draw = new Float64Array(V);
  if (total <= o.enumerateLimit) {
    const exceed = new Float64Array(cols.findings);
    sT.fill(0);
    cT.fill(0);
    const c = Array.from({ length: small }, (_, i) => i);
    for (const r of c) addRow(cols, r, sT, cT, 1);
    for (;;) {
      zOf(draw);
      countExceed(cols, draw, observed, exceed);
      let i = small - 1;
      while (i >= 0 && c[i] === R - small + i) i--;
      if (i < 0) break;
      for (let j = i; j < small; j++) addRow(cols, c[j], sT, cT, -1);
      c[i]++;
      for (let j = i + 1; j < small; j++) c[j] = c[j - 1] + 1;
      for (let j = i; j < small; j++) addRow(cols, c[j], sT, cT, 1);
    }
    return { pValue: exceed.map((e) => e / total), z, draws: total, exhaustive: true, minPValue: 1 / total };
  }
  const rnd = mulberry32(o.seed);
  const idx = Int32Array.from({ length: R }, (_, i) => i);
  const res = sequential(cols, observed, o, (active) => {
    sT.fill(0);
    cT.fill(0);
    for (let j = 0; j < small; j++) {
      const k = j + Math.floor(rnd() * (R - j));
      const t = idx[j];
      idx[j] = idx[k];
      idx[k] = t;
      addRowMasked(cols, idx[j], sT, cT, active);
    }
    zOf(draw);
    return draw;
  });
  return { ...res, z, minPValue: Math.max(1 / total, 1 / (o.samples + 1)) };
}

/**
 * Rank correlation with performance over all reps: `ranks` holds each column's centred ranks (0 where the rep has
 * no value), `perf` the reps' centred performance scores (higher = better). The statistic Σ rank·perf is Spearman's
 * numerator; scaled by its exact permutation standard deviation it is comparable across columns. Two-sided, sampled.
 */
export function rankPermutationTest(ranks: RepColumns, perf: Float64Array, o: PermutationOptions): PermutationResult {
  const R = ranks.reps;
  const { z, zOf } = rankSetup(ranks, perf);
  const observed = findingMax(ranks, z);
  const rnd = mulberry32(o.seed ^ 0x5bd1e995);
  const y = Float64Array.from(perf);
  const draw = new Float64Array(ranks.columns);
  const res = sequential(ranks, observed, o, (active, version) => {
    for (let i = R - 1; i > 0; i--) {
      const k = Math.floor(rnd() * (i + 1));
      const t = y[i];
      y[i] = y[k];
      y[k] = t;
    }
    zOf(y, active, draw, version);
    return draw;
  });
  return { ...res, z, minPValue: rankTestMinP(R, o) };
}

function groupSetup(cols: RepColumns, top: number) {
  const R = cols.reps;
  const V = cols.columns;
  // The smaller group is the one moved around; |difference| is the same seen from either side.
  const small = Math.min(top, R - top);
  const sign = top <= R - top ? 1 : -1;
  const S = new Float64Array(V);
  const C = new Float64Array(V);
  for (let r = 0; r < R; r++) addRow(cols, r, S, C, 1);
  const scale = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    const n = C[v];
    if (n < 2) continue;
    const mean = S[v] / n;
    let ss = 0;
    for (let r = 0; r < R; r++) if (cols.has[r * V + v]) ss += (cols.value[r * V + v] - mean) ** 2;
    const k = (n * small) / R;
    scale[v] = ss > 1e-18 * n && k > 0 && k < n ? Math.sqrt((ss / n) * (1 / k + 1 / (n - k))) : 0;
  }
  const sT = new Float64Array(V);
  const cT = new Float64Array(V);
  for (let i = 0; i < small; i++) addRow(cols, sign > 0 ? i : R - 1 - i, sT, cT, 1);
  const z = standardizedDifference(S, C, sT, cT, scale, new Float64Array(V));
  const observed = findingMax(cols, z);
  for (let v = 0; v < V; v++) z[v] *= sign;
  return { small, S, C, scale, z, observed };
}

function rankSetup(ranks: RepColumns, perf: Float64Array) {
  const R = ranks.reps;
  const V = ranks.columns;
  let yy = 0;
  for (const y of perf) yy += y * y;
  const scale = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    let aa = 0;
    for (let r = 0; r < R; r++) aa += ranks.value[r * V + v] ** 2;
    scale[v] = aa > 0 && yy > 0 ? Math.sqrt((aa * yy) / (R - 1)) : 0;
  }
  // The columns of findings still being sampled, copied into a dense rep-major block whenever that set shrinks, so
  // the inner loop over reps × columns has no branch and skips finished findings entirely.
  let cols = Int32Array.from({ length: V }, (_, v) => v);
  let block = ranks.value;
  let version = -1;
  const acc = new Float64Array(V);
  const zOf = (y: Float64Array, active: Uint8Array | null, out: Float64Array, activeVersion = 0) => {
    if (active && activeVersion !== version) {
      version = activeVersion;
      cols = Int32Array.from({ length: V }, (_, v) => v).filter((v) => active[ranks.finding[v]]);
      block = new Float64Array(R * cols.length);
      for (let r = 0; r < R; r++) for (let j = 0; j < cols.length; j++) block[r * cols.length + j] = ranks.value[r * V + cols[j]];
    }
    const n = cols.length;
    acc.fill(0, 0, n);
    for (let r = 0; r < R; r++) {
      const w = y[r];
      if (w === 0) continue;
      const row = r * n;
      for (let j = 0; j < n; j++) acc[j] += block[row + j] * w;
    }
    for (let j = 0; j < n; j++) out[cols[j]] = scale[cols[j]] === 0 ? 0 : acc[j] / scale[cols[j]];
    return out;
  };
  return { z: zOf(perf, null, new Float64Array(V)), zOf };
}

/** Per column: (mean of the moved group − mean of the others) / scale; 0 when a group has no rep with a value. */
function standardizedDifference(S: Float64Array, C: Float64Array, sT: Float64Array, cT: Float64Array, scale: Float64Array, out: Float64Array) {
  for (let v = 0; v < out.length; v++) {
    const t = cT[v];
    out[v] = scale[v] === 0 || t === 0 || t === C[v] ? 0 : (sT[v] / t - (S[v] - sT[v]) / (C[v] - t)) / scale[v];
  }
  return out;
}

function addRow(cols: RepColumns, r: number, s: Float64Array, c: Float64Array, w: number): void {
  const V = cols.columns;
  const row = r * V;
  for (let v = 0; v < V; v++) {
    s[v] += w * cols.value[row + v];
    c[v] += w * cols.has[row + v];
  }
}

function addRowMasked(cols: RepColumns, r: number, s: Float64Array, c: Float64Array, active: Uint8Array): void {
  const V = cols.columns;
  const row = r * V;
  for (let v = 0; v < V; v++) {
    if (!active[cols.finding[v]]) continue;
    s[v] += cols.value[row + v];
    c[v] += cols.has[row + v];
  }
}

function findingMax(cols: RepColumns, z: Float64Array): Float64Array {
  const m = new Float64Array(cols.findings);
  for (let v = 0; v < cols.columns; v++) m[cols.finding[v]] = Math.max(m[cols.finding[v]], Math.abs(z[v]));
  return m;
}

function countExceed(cols: RepColumns, z: Float64Array, observed: Float64Array, exceed: Float64Array, active?: Uint8Array): void {
  const m = findingMax(cols, z);
  for (let f = 0; f < cols.findings; f++) {
    if (active && !active[f]) continue;
    if (m[f] >= observed[f] - REL_TOL * Math.max(1, observed[f])) exceed[f]++;
  }
}

/**
 * Sampled relabellings with Besag & Clifford's sequential stopping (Biometrika 1991): a finding stops once `stopAfter`
 * relabellings were at least as extreme (p = h / draws), which is exact and spares the many clearly null findings the
 * full count; the others get (1 + exceedances) / (1 + samples). Stopped findings are skipped in later draws.
 */
function sequential(
  cols: RepColumns,
  observed: Float64Array,
  o: PermutationOptions,
  drawZ: (active: Uint8Array, version: number) => Float64Array,
): { pValue: Float64Array; draws: number; exhaustive: false } {
  const F = cols.findings;
  const active = new Uint8Array(F).fill(1);
  let version = 1;
  const exceed = new Float64Array(F);
  const pValue = new Float64Array(F);
  let left = F;
  let b = 0;
  while (b < o.samples && left > 0) {
    b++;
    countExceed(cols, drawZ(active, version), observed, exceed, active);
    for (let f = 0; f < F; f++) {
      if (active[f] && exceed[f] >= o.stopAfter) {
        active[f] = 0;
        pValue[f] = exceed[f] / b;
        left--;
        version++;
      }
    }
  }
  for (let f = 0; f < F; f++) if (active[f]) pValue[f] = (1 + exceed[f]) / (1 + o.samples);
  return { pValue, draws: b, exhaustive: false };
}
