import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { STAGE_IDS, type StageId } from '../core/stages.ts';
import { groupMeans } from './before-stage.ts';
import { findingKeyOf, MIN_REP_LEADS, testable, type Column } from './columns.ts';
import { STAGE_BASE, STEP_IDS } from './events.ts';
import { PROGRESS_STAGES, STRATA, type RepLayout } from './rep-layout.ts';
import { leadSupports, minePatterns, type MinedPattern } from './sequences.ts';
import type { Timelines } from './timeline.ts';
import type { PatternRow } from './types.ts';

const NS = STAGE_IDS.length;
const ANCHORS = new Set(PROGRESS_STAGES.map((s) => STAGE_BASE + STAGE_IDS.indexOf(s)));
const MAX_BEHAVIORS = 2;

export interface SequenceOptions {
  maxSteps: number;
  gaps: number[];
  minSupport: number;
  maxPatterns: number;
}

/**
 * The sequence family: "after stage S, behaviour B (then C) within g hours" and "after A, B within g hours". An
 * outcome never appears (it would restate how the top group was chosen), stages only lead (a behaviour followed by a
 * stage is what beforeStage measures), and at most two behaviours. A pattern's share is taken over the leads that
 * reached its stage; the test compares it with leads that got as far (see repValues).
 */
export function sequenceColumns(
  tl: Timelines,
  layout: RepLayout,
  firstStagePos: Int32Array,
  o: SequenceOptions,
): { columns: Column[]; rows: PatternRow[]; mined: number; capReached: boolean } {
  const R = layout.reps.length;
  const L = tl.leadCount;
  const leadClass = Int32Array.from(layout.leadRep, (r, l) => r * STRATA + layout.stratum[l]);
  const behaviorsIn = (codes: readonly number[]) => codes.filter((c) => c < STAGE_BASE).length;
  const mined = minePatterns(tl, {
    maxSteps: o.maxSteps,
    gaps: o.gaps,
    leadClass,
    classes: R * STRATA,
    minLeads: Math.max(1, Math.ceil(o.minSupport * L - 1e-9)),
    maxPatterns: o.maxPatterns,
    allow: (codes, x) => (codes.length === 0 ? ANCHORS.has(x) : x < STAGE_BASE && behaviorsIn(codes) < MAX_BEHAVIORS),
    report: (codes) => codes.length >= 2,
  });
  // Eligible leads per (rep, stratum): all leads, and those that reached each anchor stage.
  const eligible = new Map<number, Int32Array>();
  const all = new Int32Array(R * STRATA);
  for (let l = 0; l < L; l++) all[leadClass[l]]++;
  eligible.set(-1, all);
  for (const a of ANCHORS) {
    const e = new Int32Array(R * STRATA);
    for (let l = 0; l < L; l++) if (firstStagePos[l * NS + a - STAGE_BASE] >= 0) e[leadClass[l]]++;
    eligible.set(a, e);
  }

  const ordered = [...mined.patterns].sort(
    (a, b) => a.codes.length - b.codes.length || o.gaps[a.gapIndex] - o.gaps[b.gapIndex] || a.codes.join() .localeCompare(b.codes.join()),
  );
  const columns: Column[] = [];
  const rows: PatternRow[] = [];
  const seen = new Map<string, Set<string>>();
  for (const m of ordered) {
    const anchor = m.codes[0] >= STAGE_BASE ? m.codes[0] : -1;
    const { shown, tested, leads, supporting } = shares(m, eligible.get(anchor)!, R);
    if (!testable(tested)) continue;
    const behaviors = m.codes.filter((c) => c < STAGE_BASE).map((c) => BEHAVIOR_IDS[c]);
    const findingKey = findingKeyOf('sequence', behaviors);
    // The same figure under another window or with a leading stage that changes nothing is one variant, not two.
    const signature = `${Array.from(shown).join()}|${Array.from(tested).join()}`;
    const sigs = seen.get(findingKey) ?? new Set<string>();
    seen.set(findingKey, sigs);
    if (sigs.has(signature)) continue;
    sigs.add(signature);
    const gap = o.gaps[m.gapIndex];
    const steps = m.codes.map((c) => STEP_IDS[c]);
    columns.push({
      kind: 'sequence',
      findingKey,
      behaviors,
      stage: anchor < 0 ? null : (STEP_IDS[anchor] as StageId),
      steps,
      gap,
      customerType: null,
      shown,
      tested,
      leads,
      adjust: true,
      perLead: () => {
        const lead: number[] = [];
        const x: number[] = [];
        for (let l = 0; l < L; l++) {
          if (anchor >= 0 && firstStagePos[l * NS + anchor - STAGE_BASE] < 0) continue;
          lead.push(l);
          x.push(leadSupports(tl, l, m.codes, gap) ? 1 : 0);
        }
        return { lead: Int32Array.from(lead), x: Float64Array.from(x) };
      },
    });
    const g = groupMeans(shown, leads, layout.topCount);
    let supportingTop = 0;
    let supportingRest = 0;
    shown.forEach((v, r) => {
      if (Number.isNaN(v)) return;
      if (r < layout.topCount) supportingTop += supporting[r];
      else supportingRest += supporting[r];
    });
    rows.push({
      steps,
      maxGapHours: gap === Infinity ? null : gap,
      topSupport: g.top,
      restSupport: g.rest,
      repsTop: g.repsTop,
      repsRest: g.repsRest,
      leadsTop: g.leadsTop,
      leadsRest: g.leadsRest,
      supportingTop,
      supportingRest,
      findingId: findingKey,
    });
  }
  return { columns, rows, mined: mined.patterns.length, capReached: mined.capReached };
}

/** Per rep: the share of eligible leads with the pattern, and that share minus what leads as far along show overall. */
function shares(m: MinedPattern, elig: Int32Array, R: number) {
  const pooled = new Float64Array(STRATA);
  for (let s = 0; s < STRATA; s++) {
    let k = 0;
    let e = 0;
    for (let r = 0; r < R; r++) {
      k += m.byClass[r * STRATA + s];
      e += elig[r * STRATA + s];
    }
    pooled[s] = e ? k / e : 0;
  }
  const shown = new Float64Array(R).fill(NaN);
  const tested = new Float64Array(R).fill(NaN);
  const leads = new Int32Array(R);
  const supporting = new Int32Array(R);
  for (let r = 0; r < R; r++) {
    let k = 0;
    let expected = 0;
    for (let s = 0; s < STRATA; s++) {
      k += m.byClass[r * STRATA + s];
      leads[r] += elig[r * STRATA + s];
      expected += elig[r * STRATA + s] * pooled[s];
    }
    supporting[r] = k;
    if (leads[r] < MIN_REP_LEADS) continue;
    shown[r] = k / leads[r];
    tested[r] = (k - expected) / leads[r];
  }
  return { shown, tested, leads, supporting };
}
