import { STAGE_BASE, type EventTable } from './events.ts';
import type { Groups } from './groups.ts';
import type { Timelines } from './timeline.ts';
import { STAGE_IDS, type StageId } from '../core/stages.ts';

/**
 * Stages that are outcomes rather than steps a rep takes: comparing behaviour "before won" restates how the top
 * group was chosen (by won amount), and legal review is where won deals go. They are never coaching material and
 * never a progress stratum.
 */
export const OUTCOME_STAGES: ReadonlySet<StageId> = new Set(['legal_review', 'won', 'lost']);
/** The stages a lead passes on its way, in order; a lead's stratum is the furthest of these it reached. */
export const PROGRESS_STAGES: readonly StageId[] = STAGE_IDS.filter((s) => !OUTCOME_STAGES.has(s));
export const STRATA = PROGRESS_STAGES.length;
const STRATUM_OF_CODE = new Int32Array(STAGE_IDS.length).fill(-1);
PROGRESS_STAGES.forEach((s, i) => (STRATUM_OF_CODE[STAGE_IDS.indexOf(s)] = i));

/**
 * Reps in performance order (best first) and what each lead contributes: its rep, how far it got, and which half
 * of the period it started in. Performance order is canonical (amount, won leads, rep id), so permutations drawn
 * over it never depend on input order.
 */
export interface RepLayout {
  /** Rep ids, best first; index = rep position everywhere in the inference. */
  reps: string[];
  topCount: number;
  /** Lead → rep position. */
  leadRep: Int32Array;
  /** Lead → furthest progress stage reached (index into PROGRESS_STAGES); 0 when none recorded. */
  stratum: Int32Array;
  /** Lead → 0 when it started in the first half of the period, 1 in the second. */
  half: Uint8Array;
  /** Per rep position: centred performance score (minus the average rank; ties share a rank). */
  perfScore: Float64Array;
  /** Per rep position: leads owned. */
  leads: Int32Array;
}

export function buildRepLayout(t: EventTable, tl: Timelines, g: Groups): RepLayout {
  const reps = g.performance.map((p) => p.rep);
  const posOfName = new Map(reps.map((r, i) => [r, i]));
  const posOfIndex = Int32Array.from(t.reps, (r) => posOfName.get(r)!);
  const L = tl.leadCount;
  const leadRep = new Int32Array(L);
  const stratum = new Int32Array(L);
  const firstAt = new Float64Array(L);
  const leads = new Int32Array(reps.length);
  let lo = Infinity;
  let hi = -Infinity;
  for (let l = 0; l < L; l++) {
    leadRep[l] = posOfIndex[tl.owner[l]];
    leads[leadRep[l]]++;
    let s = 0;
    for (let p = tl.start[l]; p < tl.start[l + 1]; p++) {
      const code = tl.step[p];
      if (code >= STAGE_BASE) s = Math.max(s, STRATUM_OF_CODE[code - STAGE_BASE]);
    }
    stratum[l] = s;
    firstAt[l] = tl.time[tl.start[l]];
    lo = Math.min(lo, firstAt[l]);
    hi = Math.max(hi, firstAt[l]);
  }
  const mid = (lo + hi) / 2;
  const half = Uint8Array.from(firstAt, (x) => (x > mid ? 1 : 0));
  return { reps, topCount: g.top.length, leadRep, stratum, half, perfScore: performanceScores(g), leads };
}

/** Average ranks of (won amount, won leads), best = highest score, centred to mean 0. */
function performanceScores(g: Groups): Float64Array {
  const p = g.performance;
  const score = new Float64Array(p.length);
  for (let i = 0; i < p.length; ) {
    let j = i;
    while (j < p.length && p[j].wonAmount === p[i].wonAmount && p[j].wonLeads === p[i].wonLeads) j++;
    for (let k = i; k < j; k++) score[k] = -(i + j - 1) / 2;
    i = j;
  }
  const mean = score.reduce((a, b) => a + b, 0) / (p.length || 1);
  return score.map((s) => s - mean);
}
