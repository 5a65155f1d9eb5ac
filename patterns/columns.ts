import type { BehaviorId } from '../core/behaviors.ts';
import type { StageId } from '../core/stages.ts';
import { STRATA, type RepLayout } from './rep-layout.ts';
import type { StepId } from './types.ts';

/** A rep's figure counts only when it stands on at least this many of the rep's leads. */
export const MIN_REP_LEADS = 3;
/** A figure is tested only when at least this many reps have it (whoever they are: the rule ignores the groups). */
export const MIN_TEST_REPS = 4;

/**
 * One tested figure (a "variant" of a finding) with one value per rep: the mean count of a behaviour before a stage,
 * or the share of the rep's eligible leads with a sequence. Rep positions follow RepLayout (best first).
 */
export interface Column {
  kind: 'before_stage' | 'sequence';
  /** The finding it belongs to: kind + the behaviours, in order. */
  findingKey: string;
  behaviors: BehaviorId[];
  /** before_stage: the stage; sequence: the leading stage, if any. */
  stage: StageId | null;
  /** sequence: every step; null for before_stage. */
  steps: StepId[] | null;
  /** sequence: hours between consecutive steps, Infinity = unbounded; null for before_stage. */
  gap: number | null;
  customerType: string | null;
  /** What a trainer reads: per rep, NaN when the rep has fewer than MIN_REP_LEADS eligible leads. */
  shown: Float64Array;
  /** What is tested: `shown`, or for sequences the share above what leads that got as far show in general. */
  tested: Float64Array;
  /** Eligible leads per rep. */
  leads: Int32Array;
  /** Sequence shares are compared with leads that got as far (see repValues). */
  adjust: boolean;
  /** The column's eligible leads and each one's value (count before the stage, or 1/0 for the sequence). */
  perLead: () => { lead: Int32Array; x: Float64Array };
}

export function findingKeyOf(kind: Column['kind'], behaviors: readonly string[]): string {
  return `${kind}:${behaviors.join('>')}`;
}

/**
 * Per-rep means over a set of leads (`keep` selects a subset, e.g. one half of the period). With `adjust`, each
 * lead's value is first reduced by the mean of all kept leads that got exactly as far (same stratum), so a rep whose
 * leads simply progressed further — and had more chances to show a late behaviour — does not stand out for that.
 */
export function repValues(
  layout: RepLayout,
  lead: Int32Array,
  x: Float64Array,
  o: { adjust: boolean; minLeads: number; keep?: (lead: number) => boolean },
): { shown: Float64Array; tested: Float64Array; leads: Int32Array } {
  const R = layout.reps.length;
  const sum = new Float64Array(R);
  const leads = new Int32Array(R);
  const strata = new Float64Array(STRATA);
  const strataN = new Float64Array(STRATA);
  const repStrata = new Float64Array(R * STRATA);
  for (let i = 0; i < lead.length; i++) {
    const l = lead[i];
    if (o.keep && !o.keep(l)) continue;
    const r = layout.leadRep[l];
    const s = layout.stratum[l];
    sum[r] += x[i];
    leads[r]++;
    strata[s] += x[i];
    strataN[s]++;
    repStrata[r * STRATA + s]++;
  }
  const shown = new Float64Array(R).fill(NaN);
  const tested = new Float64Array(R).fill(NaN);
  for (let r = 0; r < R; r++) {
    if (leads[r] < o.minLeads || leads[r] === 0) continue;
    shown[r] = sum[r] / leads[r];
    let expected = 0;
    if (o.adjust) for (let s = 0; s < STRATA; s++) if (strataN[s]) expected += repStrata[r * STRATA + s] * (strata[s] / strataN[s]);
    tested[r] = (sum[r] - expected) / leads[r];
  }
  return { shown, tested, leads };
}

/** Label-free test admission: enough reps with a value, and not all the same. */
export function testable(values: Float64Array): boolean {
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    n++;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return n >= MIN_TEST_REPS && hi - lo > 1e-12 * Math.max(1, Math.abs(hi));
}
