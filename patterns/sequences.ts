import { STEP_COUNT } from './events.ts';
import type { Timelines } from './timeline.ts';

/**
 * PrefixSpan-style miner over per-lead timelines with a maximum gap between consecutive steps.
 *
 * A projection keeps, for each lead that supports the prefix, every timeline position where the prefix can end
 * (with a bounded gap the earliest end does not dominate: a later end may leave a closer next step). With an
 * unbounded gap only the earliest end is kept. One scan per supporting lead counts all 16 possible next steps at
 * once; a second scan materializes only the children that are frequent and will be extended again. Which steps may
 * follow which is the caller's grammar; support is counted per lead class, so the caller can form per-rep figures.
 */
export interface Projection {
  leads: Int32Array;
  /** ends of leads[i] are ends[off[i] .. off[i+1]-1], ascending global timeline positions. */
  off: Int32Array;
  ends: Int32Array;
}

export interface MinedPattern {
  codes: number[];
  /** Index into the gap list; -1 for one-step patterns (no gap applies). */
  gapIndex: number;
  /** Leads that support the pattern. */
  support: number;
  /** Supporting leads per lead class. */
  byClass: Int32Array;
}

export interface SequenceOptions {
  maxSteps: number;
  /** Hours; Infinity for unbounded. */
  gaps: number[];
  /** Lead → class (the caller's grouping, e.g. rep × progress stratum); support is counted per class. */
  leadClass: Int32Array;
  classes: number;
  /**
   * A prefix is kept only while at least this many leads support it. Support can only shrink as a pattern grows, so
   * this prunes safely; and it does not look at who is in the top group, so the tested family is fixed before any
   * comparison is made.
   */
  minLeads: number;
  maxPatterns: number;
  /** The pattern grammar: whether step `x` may follow `codes` (empty for the first step). */
  allow: (codes: readonly number[], x: number) => boolean;
  /** Whether a pattern is reported (a prefix may be needed for longer patterns without being reported itself). */
  report: (codes: readonly number[]) => boolean;
}

export interface SequenceResult {
  patterns: MinedPattern[];
  capReached: boolean;
}

/** Packs steps (4 bits each), length (3 bits) and gap slot into one integer key. */
export function patternKey(codes: readonly number[], gapIndex: number): number {
  let k = 0;
  for (const c of codes) k = k * 16 + c;
  return (k * 8 + codes.length) * 8 + (gapIndex + 1);
}

export function minePatterns(tl: Timelines, opts: SequenceOptions): SequenceResult {
  const patterns: MinedPattern[] = [];
  let capReached = false;
  const K = opts.classes;
  const { leadClass } = opts;
  const record = (codes: number[], gapIndex: number, support: number, byClass: Int32Array) => {
    if (!opts.report(codes)) return;
    patterns.push({ codes, gapIndex, support, byClass });
    if (patterns.length >= opts.maxPatterns) capReached = true;
  };

  const roots = rootProjections(tl, leadClass, K);
  const rootOk = (x: number) => roots.support[x] >= opts.minLeads && opts.allow([], x);
  for (let x = 0; x < STEP_COUNT; x++) {
    if (roots.support[x] > 0 && rootOk(x)) record([x], -1, roots.support[x], roots.byClass.slice(x * K, (x + 1) * K));
  }
  const support = new Int32Array(STEP_COUNT);
  const byClass = new Int32Array(STEP_COUNT * K);
  const cEnds = new Int32Array(STEP_COUNT);
  const lastLead = new Int32Array(STEP_COUNT);
  const allowed = new Uint8Array(STEP_COUNT);

  const expand = (proj: Projection, codes: number[], gapIndex: number) => {
    if (capReached) return;
    const gap = opts.gaps[gapIndex];
    const unbounded = gap === Infinity;
    const childDepth = codes.length + 1;
    for (let x = 0; x < STEP_COUNT; x++) allowed[x] = opts.allow(codes, x) ? 1 : 0;
    support.fill(0);
    byClass.fill(0);
    cEnds.fill(0);
    lastLead.fill(-1);
    scan(tl, proj, gap, unbounded, (i, l, _p, x) => {
      if (!allowed[x]) return;
      if (lastLead[x] !== i) {
        lastLead[x] = i;
        support[x]++;
        byClass[x * K + leadClass[l]]++;
        cEnds[x]++;
      } else if (!unbounded) cEnds[x]++;
    });
    const keep: number[] = [];
    for (let x = 0; x < STEP_COUNT; x++) {
      if (support[x] === 0 || support[x] < opts.minLeads) continue;
      record([...codes, x], gapIndex, support[x], byClass.slice(x * K, (x + 1) * K));
      if (childDepth < opts.maxSteps) keep.push(x);
      if (capReached) return;
    }
    if (keep.length === 0) return;
    const children = materialize(tl, proj, gap, unbounded, keep, support, cEnds);
    for (let k = 0; k < keep.length; k++) {
      expand(children[k], [...codes, keep[k]], gapIndex);
      children[k] = EMPTY;
      if (capReached) return;
    }
  };

  for (let gi = 0; gi < opts.gaps.length && !capReached; gi++) {
    for (let x = 0; x < STEP_COUNT && !capReached; x++) {
      if (!rootOk(x) || opts.maxSteps < 2) continue;
      expand(roots.projections[x], [x], gi);
    }
  }
  return { patterns, capReached };
}

const EMPTY: Projection = { leads: new Int32Array(0), off: new Int32Array(1), ends: new Int32Array(0) };

/**
 * Calls visit(i, lead, position, step) for every position that can follow one of projection entry i's ends within
 * the gap. Positions are visited in ascending order per lead.
 */
function scan(
  tl: Timelines,
  proj: Projection,
  gap: number,
  unbounded: boolean,
  visit: (i: number, lead: number, p: number, step: number) => void,
): void {
  const { start, step, time } = tl;
  const { leads, off, ends } = proj;
  for (let i = 0; i < leads.length; i++) {
    const l = leads[i];
    const stop = start[l + 1];
    const e0 = off[i];
    const eN = unbounded ? e0 + 1 : off[i + 1];
    let ei = e0;
    let p = ends[e0] + 1;
    while (p < stop) {
      while (ei + 1 < eN && ends[ei + 1] < p) ei++;
      if (!unbounded && time[p] - time[ends[ei]] > gap) {
        if (ei + 1 >= eN) break;
        p = ends[ei + 1] + 1;
        continue;
      }
      visit(i, l, p, step[p]);
      p++;
    }
  }
}

function materialize(
  tl: Timelines,
  proj: Projection,
  gap: number,
  unbounded: boolean,
  keep: number[],
  support: Int32Array,
  cEnds: Int32Array,
): Projection[] {
  const slot = new Int32Array(STEP_COUNT).fill(-1);
  const out = keep.map((x, k) => {
    slot[x] = k;
    const m = support[x];
    return { leads: new Int32Array(m), off: new Int32Array(m + 1), ends: new Int32Array(cEnds[x]) };
  });
  const nLeads = new Int32Array(keep.length);
  const nEnds = new Int32Array(keep.length);
  const lastLead = new Int32Array(keep.length).fill(-1);
  scan(tl, proj, gap, unbounded, (i, l, p, x) => {
    const k = slot[x];
    if (k < 0) return;
    const c = out[k];
    if (lastLead[k] !== i) {
      lastLead[k] = i;
      c.leads[nLeads[k]] = l;
      c.off[nLeads[k]] = nEnds[k];
      nLeads[k]++;
      c.ends[nEnds[k]++] = p;
    } else if (!unbounded) c.ends[nEnds[k]++] = p;
  });
  out.forEach((c, k) => (c.off[nLeads[k]] = nEnds[k]));
  return out;
}

function rootProjections(
  tl: Timelines,
  leadClass: Int32Array,
  K: number,
): { projections: Projection[]; support: Int32Array; byClass: Int32Array } {
  const L = tl.leadCount;
  const support = new Int32Array(STEP_COUNT);
  const byClass = new Int32Array(STEP_COUNT * K);
  const ends = new Int32Array(STEP_COUNT);
  const last = new Int32Array(STEP_COUNT).fill(-1);
  for (let l = 0; l < L; l++) {
    for (let p = tl.start[l]; p < tl.start[l + 1]; p++) {
      const x = tl.step[p];
      ends[x]++;
      if (last[x] !== l) {
        last[x] = l;
        support[x]++;
        byClass[x * K + leadClass[l]]++;
      }
    }
  }
  const projections: Projection[] = [];
  for (let x = 0; x < STEP_COUNT; x++) {
    projections.push({ leads: new Int32Array(support[x]), off: new Int32Array(support[x] + 1), ends: new Int32Array(ends[x]) });
  }
  const nLeads = new Int32Array(STEP_COUNT);
  const nEnds = new Int32Array(STEP_COUNT);
  last.fill(-1);
  for (let l = 0; l < L; l++) {
    for (let p = tl.start[l]; p < tl.start[l + 1]; p++) {
      const x = tl.step[p];
      const c = projections[x];
      if (last[x] !== l) {
        last[x] = l;
        c.leads[nLeads[x]] = l;
        c.off[nLeads[x]++] = nEnds[x];
      }
      c.ends[nEnds[x]++] = p;
    }
  }
  projections.forEach((c, x) => (c.off[nLeads[x]] = nEnds[x]));
  return { projections, support, byClass };
}

/** Whether lead `l` supports the steps with at most `gap` hours between consecutive steps (Infinity = unbounded). */
export function leadSupports(tl: Timelines, l: number, codes: readonly number[], gap: number): boolean {
  let ends: number[] = [];
  for (let p = tl.start[l]; p < tl.start[l + 1]; p++) if (tl.step[p] === codes[0]) ends.push(p);
  for (let k = 1; k < codes.length && ends.length > 0; k++) {
    const next: number[] = [];
    let ei = 0;
    for (let p = ends[0] + 1; p < tl.start[l + 1]; p++) {
      while (ei + 1 < ends.length && ends[ei + 1] < p) ei++;
      if (tl.step[p] === codes[k] && tl.time[p] - tl.time[ends[ei]] <= gap) next.push(p);
    }
    ends = next;
  }
  return ends.length > 0;
}
