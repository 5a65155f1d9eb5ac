import { InvalidInputError } from '../core/errors.ts';
import { WON_CODE, type EventTable } from './events.ts';
import type { RepPerformance } from './types.ts';

export interface Groups {
  /** Rep ids, best first. */
  top: string[];
  rest: string[];
  performance: RepPerformance[];
  /** Per rep index (EventTable.reps): true when in the top group. */
  isTopRep: Uint8Array;
}

export function checkTopShare(topShare: number): void {
  if (!(Number.isFinite(topShare) && topShare > 0 && topShare <= 1)) {
    throw new InvalidInputError('invalid_top_share', `top-share 必须在 (0, 1] 之间，收到 ${topShare} / --top-share must be in (0, 1]`);
  }
}

/**
 * Ranks reps by won amount, then won leads, then rep id, and takes the best ceil(topShare × reps) as the top group,
 * but only reps with at least one won deal: a rep who won nothing is not "top" however the share rounds, and with
 * fewer winners than the share asks the group is smaller (none at all when nobody won; mining then says the groups
 * are too small). Amounts are summed in sorted order so float rounding cannot depend on input order.
 */
export function splitGroups(t: EventTable, leadOwner: Int32Array, topShare: number): Groups {
  checkTopShare(topShare);
  const repCount = t.reps.length;
  const amounts: number[][] = Array.from({ length: repCount }, () => []);
  const wonLeads: Array<Set<number>> = Array.from({ length: repCount }, () => new Set());
  for (let i = 0; i < t.size; i++) {
    if (t.step[i] !== WON_CODE) continue;
    amounts[t.rep[i]].push(t.amount[i]);
    wonLeads[t.rep[i]].add(t.lead[i]);
  }
  const leads = new Int32Array(repCount);
  for (const o of leadOwner) leads[o]++;
  const performance: RepPerformance[] = t.reps.map((rep, r) => ({
    rep,
    wonAmount: amounts[r].sort((a, b) => a - b).reduce((s, a) => s + a, 0),
    wonLeads: wonLeads[r].size,
    leads: leads[r],
  }));
  performance.sort((a, b) => b.wonAmount - a.wonAmount || b.wonLeads - a.wonLeads || (a.rep < b.rep ? -1 : a.rep > b.rep ? 1 : 0));
  // The epsilon keeps ceil(0.1 × 30) at 3 although 0.1 × 30 is 3.0000000000000004 in floating point.
  const winners = performance.filter((p) => p.wonLeads > 0).length;
  const topCount = Math.min(winners, Math.ceil(topShare * repCount - 1e-9));
  const top = performance.slice(0, topCount).map((p) => p.rep);
  const rest = performance.slice(topCount).map((p) => p.rep);
  const isTopRep = new Uint8Array(repCount);
  const topSet = new Set(top);
  t.reps.forEach((rep, r) => (isTopRep[r] = topSet.has(rep) ? 1 : 0));
  return { top, rest, performance, isTopRep };
}
