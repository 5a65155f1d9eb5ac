import { HOP_SEC, N_MFCC, type FrameFeatures } from './voice-features.ts';

/** A stretch of speech from one voice, in seconds of the original file. */
export interface VoiceTurn {
  start: number;
  end: number;
  voice: string;
}

/** One VAD speech region and the features of its frames (frame i is centred at start + 16 ms + i × 20 ms). */
export interface RegionFrames {
  start: number;
  end: number;
  feats: FrameFeatures;
}

export interface DiarizeOptions {
  /** The stopping rule never lets more voices than this stand (a visit has one to four). */
  maxVoices?: number;
  /** Stretches this long are the units of change detection and clustering. */
  windowSec?: number;
  /** BIC penalty weight: higher merges more readily (fewer voices). */
  lambda?: number;
  /** Weight of the pitch model against the 19 cepstral dimensions. */
  pitchWeight?: number;
  /** Cost in log-likelihood of switching voice between two frames, for resegmentation. */
  switchPenalty?: number;
  /** A voice with less than this share of the speech is folded into the others. */
  minShare?: number;
}

const D = N_MFCC - 1;
const FRAME_CENTRE = 0.016;
/** Frames more than ≈30 dB below the loudest frame of their region are pauses between words, not voice. */
const ENERGY_FLOOR = 55;

interface Stats {
  n: number;
  sum: Float64Array;
  sq: Float64Array;
  pn: number;
  psum: number;
  psq: number;
}

interface Unit {
  region: number;
  from: number;
  to: number;
  stats: Stats;
}

/**
 * Who spoke when, from frame features alone (no trained weights): each region is cut into short stretches; adjacent
 * stretches that a Bayesian information criterion (BIC) says are one Gaussian source are joined (change detection
 * inside long regions); the resulting segments are clustered bottom-up with the same criterion as the stopping rule
 * (merge while the merged model is cheaper, then at most `maxVoices`); finally every frame is re-labelled by the
 * voices' models with a penalty for switching, which puts the changes where the voice actually changes.
 */
export function diarize(regions: readonly RegionFrames[], opts: DiarizeOptions = {}): VoiceTurn[] {
  const o = {
    maxVoices: opts.maxVoices ?? 4,
    windowSec: opts.windowSec ?? 1,
    lambda: opts.lambda ?? 4,
    pitchWeight: opts.pitchWeight ?? 2,
    switchPenalty: opts.switchPenalty ?? 80,
    minShare: opts.minShare ?? 0.05,
  };
  const active = regions.map((r) => activeFrames(r.feats));
  const win = Math.max(1, Math.round(o.windowSec / HOP_SEC));
  let units: Unit[] = [];
  regions.forEach((r, ri) => {
    const n = r.feats.frames;
    if (n === 0) return;
    const parts = Math.max(1, Math.round(n / win));
    const regionUnits: Unit[] = [];
    for (let p = 0; p < parts; p++) {
      const from = Math.floor((p * n) / parts);
      const to = Math.floor(((p + 1) * n) / parts);
      regionUnits.push({ region: ri, from, to, stats: statsOf(r.feats, active[ri], from, to) });
    }
    units.push(...linearMerge(regionUnits, o));
  });
  units = units.filter((u) => u.stats.n > 0);
  if (!units.length) return [];

  const clusters = cluster(units, o);
  let models = clusters.map((members) => model(mergeAll(members.map((i) => units[i].stats)), o.pitchWeight));
  let labels = resegment(regions, active, models, o.switchPenalty);
  for (let round = 0; round < 2; round++) {
    const keep = dominant(labels, models.length, o.minShare);
    models = refit(regions, active, labels, models.length, o.pitchWeight).filter((_, k) => keep[k]);
    labels = resegment(regions, active, models, o.switchPenalty);
  }
  return toTurns(regions, labels);
}

function activeFrames(f: FrameFeatures): Uint8Array {
  let max = -Infinity;
  for (let i = 0; i < f.frames; i++) max = Math.max(max, f.mfcc[i * N_MFCC]);
  return Uint8Array.from({ length: f.frames }, (_, i) => (f.mfcc[i * N_MFCC] >= max - ENERGY_FLOOR ? 1 : 0));
}

function emptyStats(): Stats {
  return { n: 0, sum: new Float64Array(D), sq: new Float64Array(D), pn: 0, psum: 0, psq: 0 };
}

function statsOf(f: FrameFeatures, active: Uint8Array, from: number, to: number): Stats {
  const s = emptyStats();
  for (let i = from; i < to; i++) addFrame(s, f, active, i);
  return s;
}

function addFrame(s: Stats, f: FrameFeatures, active: Uint8Array, i: number): void {
  if (!active[i]) return;
  s.n++;
  for (let d = 0; d < D; d++) {
    const v = f.mfcc[i * N_MFCC + 1 + d];
    s.sum[d] += v;
    s.sq[d] += v * v;
  }
  if (f.f0[i] > 0) {
    const p = Math.log(f.f0[i]);
    s.pn++;
    s.psum += p;
    s.psq += p * p;
  }
}

function merge(a: Stats, b: Stats): Stats {
  const s = emptyStats();
  s.n = a.n + b.n;
  for (let d = 0; d < D; d++) {
    s.sum[d] = a.sum[d] + b.sum[d];
    s.sq[d] = a.sq[d] + b.sq[d];
  }
  s.pn = a.pn + b.pn;
  s.psum = a.psum + b.psum;
  s.psq = a.psq + b.psq;
  return s;
}

function mergeAll(list: Stats[]): Stats {
  return list.reduce(merge, emptyStats());
}

/** n/2 · Σ log σ² of the diagonal Gaussian fitted to the stats (its negative log-likelihood up to constants). */
function cost(s: Stats, pitchWeight: number): number {
  let c = 0;
  for (let d = 0; d < D; d++) {
    const m = s.sum[d] / s.n;
    c += Math.log(Math.max(s.sq[d] / s.n - m * m, 1e-2));
  }
  c *= s.n / 2;
  if (s.pn >= 2) {
    const m = s.psum / s.pn;
    c += pitchWeight * (s.pn / 2) * Math.log(Math.max(s.psq / s.pn - m * m, 1e-3));
  }
  return c;
}

/** ΔBIC of modelling a and b as one source: negative means one source explains them better. */
function deltaBic(a: Stats, b: Stats, o: { lambda: number; pitchWeight: number }): number {
  const m = merge(a, b);
  const gain = cost(m, o.pitchWeight) - cost(a, o.pitchWeight) - cost(b, o.pitchWeight);
  const params = 2 * D + (m.pn >= 2 ? 2 * o.pitchWeight : 0);
  return gain - o.lambda * 0.5 * params * Math.log(Math.max(2, m.n));
}

function linearMerge(units: Unit[], o: { lambda: number; pitchWeight: number }): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    const last = out[out.length - 1];
    if (last && (last.stats.n === 0 || u.stats.n === 0 || deltaBic(last.stats, u.stats, o) < 0)) {
      last.to = u.to;
      last.stats = merge(last.stats, u.stats);
    } else out.push({ ...u });
  }
  return out;
}

/** Bottom-up clustering; stops when no merge lowers the BIC and at most maxVoices clusters remain. */
function cluster(units: Unit[], o: { lambda: number; pitchWeight: number; maxVoices: number }): number[][] {
  const members = units.map((_, i) => [i]);
  const stats = units.map((u) => u.stats);
  const alive = units.map(() => true);
  const n = units.length;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dist[i * n + j] = deltaBic(stats[i], stats[j], o);
  let count = n;
  while (count > 1) {
    let best = Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (alive[j] && dist[i * n + j] < best) {
          best = dist[i * n + j];
          bi = i;
          bj = j;
        }
      }
    }
    if (best >= 0 && count <= o.maxVoices) break;
    stats[bi] = merge(stats[bi], stats[bj]);
    members[bi].push(...members[bj]);
    alive[bj] = false;
    count--;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi) continue;
      const [a, b] = k < bi ? [k, bi] : [bi, k];
      dist[a * n + b] = deltaBic(stats[a], stats[b], o);
    }
  }
  return members.filter((_, i) => alive[i]);
}

interface Model {
  mean: Float64Array;
  invVar: Float64Array;
  logNorm: number;
  pMean: number;
  pInvVar: number;
  pLogNorm: number;
  pitchWeight: number;
}

function model(s: Stats, pitchWeight: number): Model {
  const mean = new Float64Array(D);
  const invVar = new Float64Array(D);
  let logNorm = 0;
  for (let d = 0; d < D; d++) {
    mean[d] = s.sum[d] / Math.max(1, s.n);
    const v = Math.max(s.sq[d] / Math.max(1, s.n) - mean[d] * mean[d], 1e-2);
    invVar[d] = 1 / v;
    logNorm -= 0.5 * Math.log(v);
  }
  const pMean = s.pn ? s.psum / s.pn : Math.log(160);
  const pv = s.pn >= 2 ? Math.max(s.psq / s.pn - pMean * pMean, 1e-3) : 0.1;
  return { mean, invVar, logNorm, pMean, pInvVar: 1 / pv, pLogNorm: -0.5 * Math.log(pv), pitchWeight };
}

function logLik(m: Model, f: FrameFeatures, i: number): number {
  let ll = m.logNorm;
  for (let d = 0; d < D; d++) {
    const x = f.mfcc[i * N_MFCC + 1 + d] - m.mean[d];
    ll -= 0.5 * x * x * m.invVar[d];
  }
  if (f.f0[i] > 0) {
    const x = Math.log(f.f0[i]) - m.pMean;
    ll += m.pitchWeight * (m.pLogNorm - 0.5 * x * x * m.pInvVar);
  }
  return ll;
}

/** Viterbi over each region's frames: the best voice per frame with `penalty` for each switch. */
function resegment(regions: readonly RegionFrames[], active: Uint8Array[], models: Model[], penalty: number): Int8Array[] {
  const k = models.length;
  return regions.map((r, ri) => {
    const n = r.feats.frames;
    const labels = new Int8Array(n);
    if (n === 0 || k === 0) return labels;
    const back = new Int8Array(n * k);
    let score = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const next = new Float64Array(k);
      let bestPrev = 0;
      for (let c = 1; c < k; c++) if (score[c] > score[bestPrev]) bestPrev = c;
      for (let c = 0; c < k; c++) {
        const stay = score[c];
        const move = score[bestPrev] - penalty;
        const from = stay >= move ? c : bestPrev;
        back[i * k + c] = from;
        next[c] = Math.max(stay, move) + (active[ri][i] ? logLik(models[c], r.feats, i) : 0);
      }
      score = next;
    }
    let c = 0;
    for (let j = 1; j < k; j++) if (score[j] > score[c]) c = j;
    for (let i = n - 1; i >= 0; i--) {
      labels[i] = c;
      c = back[i * k + c];
    }
    return labels;
  });
}

function refit(regions: readonly RegionFrames[], active: Uint8Array[], labels: Int8Array[], k: number, pitchWeight: number): Model[] {
  const stats = Array.from({ length: k }, emptyStats);
  regions.forEach((r, ri) => {
    for (let i = 0; i < r.feats.frames; i++) addFrame(stats[labels[ri][i]], r.feats, active[ri], i);
  });
  return stats.map((s) => model(s, pitchWeight));
}

function dominant(labels: Int8Array[], k: number, minShare: number): boolean[] {
  const counts = new Array(k).fill(0);
  let total = 0;
  for (const l of labels) for (const c of l) {
    counts[c]++;
    total++;
  }
  const keep = counts.map((c) => c >= minShare * total);
  if (!keep.some(Boolean)) keep[counts.indexOf(Math.max(...counts))] = true;
  return keep;
}

/** Runs of one label inside each region as turns; voices are named S1, S2, … in order of first appearance. */
function toTurns(regions: readonly RegionFrames[], labels: Int8Array[]): VoiceTurn[] {
  const names = new Map<number, string>();
  const turns: VoiceTurn[] = [];
  regions.forEach((r, ri) => {
    const l = labels[ri];
    let from = 0;
    for (let i = 1; i <= l.length; i++) {
      if (i < l.length && l[i] === l[from]) continue;
      if (!names.has(l[from])) names.set(l[from], `S${names.size + 1}`);
      const start = from === 0 ? r.start : r.start + FRAME_CENTRE + (from - 0.5) * HOP_SEC;
      const end = i === l.length ? r.end : r.start + FRAME_CENTRE + (i - 0.5) * HOP_SEC;
      turns.push({ start: round(start), end: round(end), voice: names.get(l[from])! });
      from = i;
    }
  });
  return turns;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
