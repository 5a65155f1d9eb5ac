import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { findingKeyOf, MIN_REP_LEADS, MIN_TEST_REPS, testable, type Column } from './columns.ts';
import { STAGE_BASE, type EventTable } from './events.ts';
import { OUTCOME_STAGES, type RepLayout } from './rep-layout.ts';
import type { Timelines } from './timeline.ts';
import { type BeforeStageRow } from './types.ts';
import { STAGE_IDS } from '../core/stages.ts';

const NB = BEHAVIOR_IDS.length;
const NS = STAGE_IDS.length;
/** Before the lead exists nothing happens; outcomes restate how the top group was chosen. */
const TESTED_STAGES = new Set(STAGE_IDS.filter((s) => s !== 'new_lead' && !OUTCOME_STAGES.has(s)));
/**
 * Customer types are free text: per-type figures are kept for the types with the most leads, and only those with
 * enough leads that MIN_TEST_REPS reps could each have MIN_REP_LEADS of them. This bounds memory (types × stages ×
 * behaviours × reps) and the variants per finding; everything still counts in the all-customers figures.
 */
const MAX_CUSTOMER_TYPES = 12;

export interface BeforeStageData {
  /** Every behaviour that occurs × every stage some lead reached, overall and per customer type (descriptive). */
  rows: BeforeStageRow[];
  /** The tested figures: behaviour × stage a rep works towards × customer type. */
  columns: Column[];
  /** Per lead × stage: timeline position of the lead's first event of that stage, -1 if never reached. */
  firstStagePos: Int32Array;
  /** Per lead × stage × behaviour: behaviour events at or before the first stage event (valid when reached). */
  countBefore: Uint16Array;
}

/**
 * beforeStage(B, S): for each rep, over the rep's leads that reached S, the mean count of B at or before the lead's
 * first S event; the groups' figures are means over their reps (each rep counts once, as the inference does).
 */
export function beforeStage(t: EventTable, tl: Timelines, layout: RepLayout): BeforeStageData {
  const L = tl.leadCount;
  const R = layout.reps.length;
  const types = customerTypeSlots(t, tl);
  const slots = 1 + types.names.length;
  const firstStagePos = new Int32Array(L * NS).fill(-1);
  const countBefore = new Uint16Array(L * NS * NB);
  // Per slot × stage × rep: leads that reached it; per slot × stage × behaviour × rep: summed counts.
  const n = new Int32Array(slots * NS * R);
  const sum = new Float64Array(slots * NS * NB * R);
  const behaviorSeen = new Uint8Array(NB);
  const running = new Int32Array(NB);
  for (let l = 0; l < L; l++) {
    running.fill(0);
    const r = layout.leadRep[l];
    const ct = tl.customerType[l] < 0 ? -1 : types.slotOf[tl.customerType[l]] - 1;
    for (let p = tl.start[l]; p < tl.start[l + 1]; p++) {
      const code = tl.step[p];
      if (code < STAGE_BASE) {
        running[code]++;
        behaviorSeen[code] = 1;
        continue;
      }
      const s = code - STAGE_BASE;
      if (firstStagePos[l * NS + s] !== -1) continue;
      firstStagePos[l * NS + s] = p;
      for (let b = 0; b < NB; b++) countBefore[(l * NS + s) * NB + b] = Math.min(running[b], 65535);
      for (const slot of ct < 0 ? [0] : [0, ct + 1]) {
        n[(slot * NS + s) * R + r]++;
        for (let b = 0; b < NB; b++) sum[((slot * NS + s) * NB + b) * R + r] += running[b];
      }
    }
  }

  const typeOrder = types.names.map((name, i) => ({ name, slot: i + 1 })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const slotList = [{ name: null as string | null, slot: 0 }, ...typeOrder];
  const rows: BeforeStageRow[] = [];
  const columns: Column[] = [];
  for (let s = 0; s < NS; s++) {
    for (let b = 0; b < NB; b++) {
      if (!behaviorSeen[b]) continue;
      for (const { name, slot } of slotList) {
        const leads = n.subarray((slot * NS + s) * R, (slot * NS + s + 1) * R);
        if (!leads.some((x) => x > 0)) continue;
        const sums = sum.subarray(((slot * NS + s) * NB + b) * R, ((slot * NS + s) * NB + b + 1) * R);
        const shown = Float64Array.from(leads, (k, r) => (k >= MIN_REP_LEADS ? sums[r] / k : NaN));
        const behavior = BEHAVIOR_IDS[b];
        const stage = STAGE_IDS[s];
        const tested = TESTED_STAGES.has(stage) && testable(shown);
        rows.push({ behavior, stage, customerType: name, ...groupMeans(shown, leads, layout.topCount), findingId: tested ? findingKeyOf('before_stage', [behavior]) : null });
        if (!tested) continue;
        columns.push({
          kind: 'before_stage',
          findingKey: findingKeyOf('before_stage', [behavior]),
          behaviors: [behavior],
          stage,
          steps: null,
          gap: null,
          customerType: name,
          shown,
          tested: shown,
          leads: Int32Array.from(leads),
          adjust: false,
          perLead: () => {
            const lead: number[] = [];
            const x: number[] = [];
            for (let l = 0; l < L; l++) {
              if (firstStagePos[l * NS + s] < 0 || (slot > 0 && types.slotOf[tl.customerType[l]] !== slot)) continue;
              lead.push(l);
              x.push(countBefore[(l * NS + s) * NB + b]);
            }
            return { lead: Int32Array.from(lead), x: Float64Array.from(x) };
          },
        });
      }
    }
  }
  return { rows, columns, firstStagePos, countBefore };
}

/** The customer types that get their own figures, and each table type's slot (0 = none: all customers only). */
function customerTypeSlots(t: EventTable, tl: Timelines): { names: string[]; slotOf: Int32Array } {
  const leads = new Int32Array(t.customerTypes.length);
  for (let l = 0; l < tl.leadCount; l++) if (tl.customerType[l] >= 0) leads[tl.customerType[l]]++;
  const kept = t.customerTypes
    .map((name, i) => ({ name, i, n: leads[i] }))
    .filter((x) => x.n >= MIN_TEST_REPS * MIN_REP_LEADS)
    .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1))
    .slice(0, MAX_CUSTOMER_TYPES);
  const slotOf = new Int32Array(t.customerTypes.length + 1);
  kept.forEach((x, k) => (slotOf[x.i] = k + 1));
  return { names: kept.map((x) => x.name), slotOf };
}

/** Means over the reps that have a value, per group (reps 0..top-1 are the top group), with reps and leads behind. */
export function groupMeans(values: Float64Array, leads: ArrayLike<number>, top: number) {
  const g = [
    { sum: 0, carry: 0, reps: 0, leads: 0 },
    { sum: 0, carry: 0, reps: 0, leads: 0 },
  ];
  values.forEach((v, r) => {
    if (Number.isNaN(v)) return;
    const x = g[r < top ? 0 : 1];
    // Neumaier summation: 27 reps at 0.7 average to 0.7, not 0.6999999999999997.
    const t = x.sum + v;
    x.carry += Math.abs(x.sum) >= Math.abs(v) ? x.sum - t + v : v - t + x.sum;
    x.sum = t;
    x.reps++;
    x.leads += leads[r];
  });
  const mean = (x: (typeof g)[number]) => (x.reps ? (x.sum + x.carry) / x.reps : null);
  return { top: mean(g[0]), rest: mean(g[1]), repsTop: g[0].reps, repsRest: g[1].reps, leadsTop: g[0].leads, leadsRest: g[1].leads };
}
