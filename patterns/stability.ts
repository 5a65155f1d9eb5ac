import { groupMeans } from './before-stage.ts';
import { MIN_REP_LEADS, repValues, type Column } from './columns.ts';
import type { RepLayout } from './rep-layout.ts';
import { spearman } from './stats.ts';
import type { FindingStability } from './types.ts';

/** "Holds" = the same direction and at least this share of the whole-period size. */
export const HOLD_FRACTION = 0.5;
/** In one half of the period a rep has about half the leads, so the per-rep minimum is halved too. */
const HALF_MIN_LEADS = Math.ceil(MIN_REP_LEADS / 2);

/**
 * Whether a significant finding is more than one stretch of time or one person: the statistic that made it
 * significant (top-vs-rest difference, or the rank correlation with performance) is recomputed on each half of the
 * period (leads by when they started) and with each rep left out in turn. The top group stays as chosen over the
 * whole period, so a half tests the habit, not a re-ranking.
 */
export function stabilityOf(column: Column, layout: RepLayout, by: 'group' | 'rank'): FindingStability {
  const { lead, x } = column.perLead();
  const stat = (values: Float64Array): number | null => {
    if (by === 'rank') return spearman(values, layout.perfScore);
    const g = groupMeans(values, new Int32Array(values.length), layout.topCount);
    return g.top === null || g.rest === null ? null : g.top - g.rest;
  };
  const values = (o: { minLeads: number; keep?: (l: number) => boolean }) => repValues(layout, lead, x, { adjust: column.adjust, ...o }).tested;
  const all = values({ minLeads: MIN_REP_LEADS });
  const whole = stat(all);
  const holds = (v: number | null) =>
    whole !== null && whole !== 0 && v !== null && Math.sign(v) === Math.sign(whole) && Math.abs(v) >= HOLD_FRACTION * Math.abs(whole);
  const halves = [0, 1].map((h) => stat(values({ minLeads: HALF_MIN_LEADS, keep: (l) => layout.half[l] === h }))) as [number | null, number | null];

  let weakest: FindingStability['leaveOneOut'] = null;
  let weakestAgreement = Infinity;
  let looHolds = whole !== null;
  for (let r = 0; r < all.length; r++) {
    if (Number.isNaN(all[r])) continue;
    const without = Float64Array.from(all);
    without[r] = NaN;
    const v = stat(without);
    const agreement = v === null || whole === null ? -Infinity : v * Math.sign(whole);
    if (agreement < weakestAgreement) {
      weakestAgreement = agreement;
      weakest = { rep: layout.reps[r], value: v };
    }
    if (!holds(v)) looHolds = false;
  }
  return { whole, halves, halvesHold: holds(halves[0]) && holds(halves[1]), leaveOneOut: weakest, leaveOneOutHolds: looHolds };
}
