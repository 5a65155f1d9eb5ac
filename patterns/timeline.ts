import type { EventTable } from './events.ts';

/**
 * Per-lead timelines in canonical order (time, then step code) stored flat: lead `l` owns positions
 * `start[l] .. start[l+1]-1` of `step` / `time`. Canonical order makes every result independent of input order.
 */
export interface Timelines {
  leadCount: number;
  start: Int32Array;
  step: Uint8Array;
  time: Float64Array;
  /** Index into the source table of each timeline position. */
  source: Int32Array;
  /** Owner rep of each lead: the rep with most events on it (ties: smallest rep id). */
  owner: Int32Array;
  /** Most frequent customer type on the lead's events (ties: smallest name); -1 if none. */
  customerType: Int32Array;
  customerRole: Int32Array;
}

function majority(counts: Map<number, number>, names: string[]): number {
  let best = -1;
  let bestCount = 0;
  for (const [id, c] of counts) {
    if (c > bestCount || (c === bestCount && names[id] < names[best])) {
      best = id;
      bestCount = c;
    }
  }
  return best;
}

export function buildTimelines(t: EventTable): Timelines {
  const n = t.size;
  const leadCount = t.leads.length;
  const start = new Int32Array(leadCount + 1);
  for (let i = 0; i < n; i++) start[t.lead[i] + 1]++;
  for (let l = 0; l < leadCount; l++) start[l + 1] += start[l];
  const fill = start.slice(0, leadCount);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[t.lead[i]]++] = i;

  const time = t.time;
  const stepArr = t.step;
  const cmp = (a: number, b: number) => time[a] - time[b] || stepArr[a] - stepArr[b];
  const owner = new Int32Array(leadCount);
  const customerType = new Int32Array(leadCount);
  const customerRole = new Int32Array(leadCount);
  const step = new Uint8Array(n);
  const ts = new Float64Array(n);
  for (let l = 0; l < leadCount; l++) {
    const s = start[l];
    const e = start[l + 1];
    const seg = order.subarray(s, e);
    if (e - s <= 16) insertionSort(seg, cmp);
    else seg.set(Array.from(seg).sort(cmp));
    const reps = new Map<number, number>();
    const types = new Map<number, number>();
    const roles = new Map<number, number>();
    for (let p = s; p < e; p++) {
      const i = order[p];
      step[p] = stepArr[i];
      ts[p] = time[i];
      reps.set(t.rep[i], (reps.get(t.rep[i]) ?? 0) + 1);
      if (t.customerType[i] >= 0) types.set(t.customerType[i], (types.get(t.customerType[i]) ?? 0) + 1);
      if (t.customerRole[i] >= 0) roles.set(t.customerRole[i], (roles.get(t.customerRole[i]) ?? 0) + 1);
    }
    owner[l] = majority(reps, t.reps);
    customerType[l] = majority(types, t.customerTypes);
    customerRole[l] = majority(roles, t.customerRoles);
  }
  return { leadCount, start, step, time: ts, source: order, owner, customerType, customerRole };
}

function insertionSort(a: Int32Array, cmp: (x: number, y: number) => number): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && cmp(a[j], v) > 0) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
