import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/random.ts';
import { STEP_COUNT, tableFromEvents } from './events.ts';
import { leadSupports, minePatterns, patternKey, type SequenceOptions } from './sequences.ts';
import { buildTimelines } from './timeline.ts';
import { type MiningEvent, type StepId } from './types.ts';
import { STAGE_IDS } from '../core/stages.ts';

const T0 = Date.parse('2026-02-01T08:00:00+08:00');
const at = (h: number) => new Date(T0 + h * 3_600_000).toISOString();

function timelinesOf(leads: Array<Array<[StepId, number]>>) {
  const events: MiningEvent[] = leads.flatMap((steps, i) =>
    steps.map(([name, h]) => ({
      rep: i % 2 ? 'B' : 'A',
      lead: `L${i}`,
      at: at(h),
      type: (STAGE_IDS as readonly string[]).includes(name) ? 'stage' : 'behavior',
      name,
    })),
  );
  const { table, malformed } = tableFromEvents(events);
  expect(malformed).toEqual([]);
  return { table, tl: buildTimelines(table) };
}

describe('gap windows', () => {
  it('counts a step exactly g hours later as within g, one minute more as not', () => {
    const { tl } = timelinesOf([
      [['proposal_sent', 0], ['value_restate', 24]],
      [['proposal_sent', 0], ['value_restate', 24 + 1 / 60]],
    ]);
    expect(leadSupports(tl, 0, [10, 2], 24)).toBe(true);
    expect(leadSupports(tl, 1, [10, 2], 24)).toBe(false);
    expect(leadSupports(tl, 1, [10, 2], 72)).toBe(true);
  });

  it('uses a later occurrence of the first step when the earliest is too far away', () => {
    // quote at 0 h and 50 h, value_restate at 60 h: only the second quote is within 24 h.
    const { tl } = timelinesOf([[['quote', 0], ['quote', 50], ['value_restate', 60]]]);
    const r = minePatterns(tl, everyPattern(new Int32Array(1), 1, { maxSteps: 2, gaps: [24] }));
    const found = r.patterns.find((m) => patternKey(m.codes, m.gapIndex) === patternKey([4, 2], 0));
    expect(found).toMatchObject({ support: 1, byClass: Int32Array.from([1]) });
  });

  it('puts behaviours before a stage at the same instant (at or before the stage)', () => {
    const { tl } = timelinesOf([[['price_negotiation', 5], ['use_case_probe', 5]]]);
    expect(leadSupports(tl, 0, [1, 12], 0)).toBe(true);
    expect(leadSupports(tl, 0, [12, 1], 1000)).toBe(false);
  });
});

describe('minePatterns agrees with brute force', () => {
  it('on random timelines, for every pattern up to 3 steps and every gap', () => {
    const rnd = mulberry32(99);
    const steps: StepId[] = ['new_lead', 'proposal_sent', 'quote', 'value_restate', 'use_case_probe'];
    const leads = Array.from({ length: 60 }, () =>
      Array.from({ length: 2 + Math.floor(rnd() * 7) }, () => [steps[Math.floor(rnd() * steps.length)], Math.floor(rnd() * 120)] as [StepId, number]),
    );
    const { tl } = timelinesOf(leads);
    const lg = new Int32Array(tl.leadCount).map((_, l) => l % 2);
    const gaps = [12, 48, Infinity];
    const r = minePatterns(tl, everyPattern(lg, 2, { maxSteps: 3, gaps }));
    const index = new Map(r.patterns.map((m) => [patternKey(m.codes, m.gapIndex), m]));
    const codes = [...new Set(Array.from(tl.step))];
    let checked = 0;
    for (let gi = 0; gi < gaps.length; gi++) {
      for (const a of codes) for (const b of codes) for (const c of [-1, ...codes]) {
        const pat = c < 0 ? [a, b] : [a, b, c];
        const want = [0, 0];
        for (let l = 0; l < tl.leadCount; l++) if (bruteSupports(tl, l, pat, gaps[gi])) want[lg[l]]++;
        const m = index.get(patternKey(pat, gi));
        const got = m === undefined ? [0, 0] : Array.from(m.byClass);
        expect(got, `${pat} @${gaps[gi]}`).toEqual(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(STEP_COUNT).toBe(16);
  });
});

/** No grammar: every step may follow every step, every pattern is reported, support per lead class. */
function everyPattern(leadClass: Int32Array, classes: number, o: { maxSteps: number; gaps: number[] }): SequenceOptions {
  return { ...o, leadClass, classes, minLeads: 1, maxPatterns: 1e6, allow: () => true, report: () => true };
}

/** Tries every embedding (exponential, fine for tiny leads). */
function bruteSupports(tl: ReturnType<typeof buildTimelines>, l: number, pat: number[], gap: number): boolean {
  const s = tl.start[l];
  const e = tl.start[l + 1];
  const go = (k: number, prev: number): boolean => {
    if (k === pat.length) return true;
    for (let p = prev < 0 ? s : prev + 1; p < e; p++) {
      if (tl.step[p] !== pat[k]) continue;
      if (prev >= 0 && tl.time[p] - tl.time[prev] > gap) continue;
      if (go(k + 1, p)) return true;
    }
    return false;
  };
  return go(0, -1);
}
