import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { STAGE_BASE, type EventTable } from './events.ts';
import { benjaminiHochberg, mannWhitneyHistogram } from './stats.ts';
import type { Timelines } from './timeline.ts';
import { type BeforeStageRow } from './types.ts';
import { STAGE_IDS } from '../core/stages.ts';

const NB = BEHAVIOR_IDS.length;
const NS = STAGE_IDS.length;

export interface BeforeStageData {
  rows: BeforeStageRow[];
  /** Per lead × stage: timeline position of the lead's first event of that stage, -1 if never reached. */
  firstStagePos: Int32Array;
  /** Per lead × stage × behaviour: behaviour events at or before the first stage event (valid when reached). */
  countBefore: Uint16Array;
}

/**
 * beforeStage(B, S): over a group's leads that reached S, the mean count of B at or before the lead's first S
 * event — overall (customerType null) and per customer type, with a Mann–Whitney p-value per row.
 */
export function beforeStage(t: EventTable, tl: Timelines, leadGroup: Uint8Array): BeforeStageData {
  const L = tl.leadCount;
  const slots = 1 + t.customerTypes.length;
  const firstStagePos = new Int32Array(L * NS).fill(-1);
  const countBefore = new Uint16Array(L * NS * NB);
  const hist: number[][] = Array.from({ length: slots * NS * NB * 2 }, () => []);
  const leadsPerSlot = new Int32Array(slots * NS * 2);
  const behaviorSeen = new Uint8Array(NB);
  const running = new Int32Array(NB);
  for (let l = 0; l < L; l++) {
    running.fill(0);
    const g = leadGroup[l];
    const ct = tl.customerType[l];
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
      for (let slotPass = 0; slotPass < 2; slotPass++) {
        const slot = slotPass === 0 ? 0 : ct + 1;
        if (slotPass === 1 && ct < 0) break;
        leadsPerSlot[(slot * NS + s) * 2 + g]++;
        for (let b = 0; b < NB; b++) {
          const h = hist[((slot * NS + s) * NB + b) * 2 + g];
          const v = running[b];
          while (h.length <= v) h.push(0);
          h[v]++;
        }
      }
      for (let b = 0; b < NB; b++) countBefore[(l * NS + s) * NB + b] = Math.min(running[b], 65535);
    }
  }

  const typeOrder = t.customerTypes.map((name, i) => ({ name, slot: i + 1 })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const slotList = [{ name: null as string | null, slot: 0 }, ...typeOrder];
  const rows: BeforeStageRow[] = [];
  for (let s = 0; s < NS; s++) {
    for (let b = 0; b < NB; b++) {
      if (!behaviorSeen[b]) continue;
      for (const { name, slot } of slotList) {
        const leadsTop = leadsPerSlot[(slot * NS + s) * 2];
        const leadsRest = leadsPerSlot[(slot * NS + s) * 2 + 1];
        if (leadsTop + leadsRest === 0) continue;
        const hTop = hist[((slot * NS + s) * NB + b) * 2];
        const hRest = hist[((slot * NS + s) * NB + b) * 2 + 1];
        rows.push({
          behavior: BEHAVIOR_IDS[b],
          stage: STAGE_IDS[s],
          customerType: name,
          top: leadsTop ? weightedSum(hTop) / leadsTop : null,
          rest: leadsRest ? weightedSum(hRest) / leadsRest : null,
          leadsTop,
          leadsRest,
          pValue: leadsTop && leadsRest ? mannWhitneyHistogram(hTop, hRest).pValue : null,
          qValue: null,
        });
      }
    }
  }
  const tested = rows.filter((r) => r.pValue !== null);
  const q = benjaminiHochberg(tested.map((r) => r.pValue as number));
  tested.forEach((r, i) => (r.qValue = q[i]));
  return { rows, firstStagePos, countBefore };
}

function weightedSum(h: number[]): number {
  let s = 0;
  for (let v = 1; v < h.length; v++) s += v * h[v];
  return s;
}
