import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/random.ts';
import { generatePlantedEvents, generatePlantedEvidence, toJsonl } from '../fixtures/events/generate.ts';
import { evidenceFor, nullWorld } from '../fixtures/mining/worlds.ts';
import { parseEventsJsonl } from './events.ts';
import { runMining } from './mine.ts';
import type { Finding, MiningResult } from './types.ts';

// The planted world: 30 reps (top 10 % = r25, r15, r05), 50 leads each; see fixtures/events/generate.ts.
const events = generatePlantedEvents({ reps: 30 });
const planted = runMining(events);

const finding = (r: MiningResult, id: string) => r.findings.find((f) => f.id === id);
const row = (r: MiningResult, behavior: string, stage: string, customerType: string | null) =>
  r.beforeStage.find((x) => x.behavior === behavior && x.stage === stage && x.customerType === customerType);
const variant = (f: Finding, p: Partial<Finding['variants'][number]>) =>
  f.variants.find((v) => Object.entries(p).every(([k, x]) => JSON.stringify(v[k as keyof typeof v]) === JSON.stringify(x)));

describe('runMining on the planted world (rep-level inference)', () => {
  it('ranks reps by won amount, takes ceil(10 %) as the top group and tests with reps as the unit', () => {
    expect(planted.groups.top).toEqual(['r25', 'r15', 'r05']);
    expect(planted.groups.rest).toHaveLength(27);
    expect(planted.stats).toMatchObject({ events: 18462, leads: 1500, leadsTop: 150, leadsRest: 1350 });
    expect(planted.groupsTooSmall).toBeNull();
    expect(planted.inference).toMatchObject({
      unit: 'rep',
      reps: { top: 3, rest: 27 },
      group: { relabellings: 4060, exhaustive: true, inFamily: true },
      rank: { inFamily: true },
      note: null,
    });
    expect(planted.inference.group.minPValue).toBeCloseTo(1 / 4060, 15);
    expect(planted.inference.family.hypotheses).toBe(2 * planted.inference.family.findings);
  });

  it('finds use-case probing before price negotiation with the exact planted averages, established', () => {
    const f = finding(planted, 'before_stage:use_case_probe')!;
    expect(f).toMatchObject({
      status: 'established',
      coachable: true,
      stage: 'price_negotiation',
      customerType: null,
      unit: 'count',
      repsTop: 3,
      repsRest: 27,
      leadsTop: 120,
      leadsRest: 1080,
      decidedBy: 'group',
    });
    expect(f.top).toBeCloseTo(1.8, 12);
    expect(f.rest).toBeCloseTo(0.7, 12);
    // No relabelling of 3 of the 30 reps separates the groups as well: p = 1 / C(30, 3).
    expect(f.tests.group.pValue).toBeCloseTo(1 / 4060, 15);
    expect(f.text.sentence).toBe('进入「价格谈判」之前，优秀组平均每条线索做 1.8 次「应用场景深挖」，其他销售 0.7 次（全部客户）');
    expect(f.text.basis).toBe('优秀组 3 人（120 条线索）· 其他 27 人（1080 条线索）');
    // Per customer type the same finding, folded in as variants (and in the descriptive table).
    const close = (x: { top: number | null; rest: number | null } | undefined, top: number, rest: number) => {
      expect(x!.top).toBeCloseTo(top, 12);
      expect(x!.rest).toBeCloseTo(rest, 12);
    };
    close(variant(f, { stage: 'price_negotiation', customerType: '主机厂' }), 2.2, 0.8);
    close(variant(f, { stage: 'price_negotiation', customerType: '经销商' }), 1.4, 0.6);
    close(row(planted, 'use_case_probe', 'price_negotiation', '主机厂'), 2.2, 0.8);
    expect(row(planted, 'use_case_probe', 'price_negotiation', '主机厂')).toMatchObject({ repsTop: 3, leadsTop: 60, findingId: f.id });
    expect(f.stability!.halvesHold && f.stability!.leaveOneOutHolds).toBe(true);
    expect(f.perRep.find((p) => p.rep === 'r01')).toEqual({ rep: 'r01', value: 0.7, leads: 40 });
  });

  it('finds value restatement within 24 h of the proposal over the leads that reached it: 85 % vs 20 %', () => {
    const f = finding(planted, 'sequence:value_restate')!;
    expect(f).toMatchObject({
      status: 'established',
      steps: ['proposal_sent', 'value_restate'],
      stage: 'proposal_sent',
      maxGapHours: 24,
      unit: 'share',
      leadsTop: 120,
      leadsRest: 1080,
    });
    expect(f.top).toBeCloseTo(0.85, 12);
    expect(f.rest).toBeCloseTo(0.2, 12);
    expect(f.text.top).toBe('85%');
    expect(f.text.rest).toBe('20%');
    // The 72 h window is the same finding, folded in, not a second one.
    expect(variant(f, { steps: ['proposal_sent', 'value_restate'], maxGapHours: 72 })).toMatchObject({ top: 0.85, rest: 0.5 });
    expect(planted.findings.filter((x) => x.id === 'sequence:value_restate')).toHaveLength(1);
  });

  it('never reports the decoy, whose rates are equal in both groups', () => {
    // Every rep does the decoy exactly alike here, so there is nothing to test (with habits it is tested: worlds.test.ts).
    expect(planted.findings.filter((f) => f.behaviors.includes('objection_handling') && f.status !== 'descriptive')).toEqual([]);
    for (const r of planted.beforeStage.filter((x) => x.behavior === 'objection_handling' && x.stage === 'price_negotiation')) {
      expect(r.top).toBeCloseTo(r.rest!, 12);
    }
  });

  it('keeps outcomes out of the family and names each figure once', () => {
    const ids = planted.findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of planted.findings) {
      for (const v of f.variants) {
        expect(['legal_review', 'won', 'lost']).not.toContain(v.stage);
        for (const s of v.steps ?? []) expect(['legal_review', 'won', 'lost']).not.toContain(s);
      }
    }
    expect(planted.beforeStage.filter((x) => x.stage === 'won').every((x) => x.findingId === null)).toBe(true);
    for (const p of planted.patterns) expect(ids).toContain(p.findingId);
  });

  it('gives the same result whatever the input order', () => {
    const rnd = mulberry32(7);
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const evidence = generatePlantedEvidence({ reps: 30 });
    expect(JSON.stringify(runMining(shuffled, { evidence }))).toBe(JSON.stringify(runMining(events, { evidence })));
  });
});

describe('honest small teams', () => {
  it('says in plain Chinese when the top group is too small to be significant, and reports differences as descriptive', () => {
    // The demo's shape: 12 reps, so the top 10 % are 2 people and no relabelling can go below 1 / C(12, 2) = 1/66.
    const world = nullWorld({ reps: 12, leadsPerRep: 25, seed: 3 });
    const small = runMining(world, { evidence: evidenceFor(world) });
    expect(small.inference.group.inFamily).toBe(false);
    expect(small.inference.group.minPValue).toBeCloseTo(1 / 66, 15);
    expect(small.inference.note).toMatch(/^优秀组只有 2 人（共 12 名销售）：优秀组与其他人的差异仅供参考，不具统计意义/);
    // The correlation with all 12 reps' performance can still reach significance, so it stays in the family.
    expect(small.inference.rank.inFamily).toBe(true);
    expect(small.findings.length).toBeGreaterThan(0);
    for (const f of small.findings) {
      expect(f).toMatchObject({ status: 'descriptive', coachable: false });
      expect(f.text.status).toBe('仅供参考，不具统计意义');
      expect(f.tests.group).toMatchObject({ pValue: null, qValue: null });
    }
    expect(small.coaching).toEqual([]);
  });
});

describe('malformed input', () => {
  it('reports bad lines with their line numbers and still mines the rest', () => {
    const lines = toJsonl(events).trimEnd().split('\n');
    const bad = [
      '{"rep":"r01","lead":"x"',
      '{"rep":"r01","lead":"L9","at":"2026-01-05T10:00:00+08:00","type":"behavior","name":"dance"}',
      '{"rep":"r01","lead":"L9","at":"2026-01-05T10:00:00+08:00","type":"stage","name":"won"}',
      '{"rep":"r01","lead":"L9","at":"yesterday","type":"stage","name":"new_lead"}',
      '[1,2]',
      '{"lead":"L9","at":"2026-01-05T10:00:00+08:00","type":"stage","name":"new_lead"}',
      '{"rep":"r01","lead":"L9","at":"2026-01-05T10:00:00+08:00","type":"call","name":"quote"}',
    ];
    const mixed = [lines[0], lines[1], bad[0], lines[2], '', bad[1], bad[2], bad[3], bad[4], bad[5], bad[6], ...lines.slice(3)];
    const { table, malformed } = parseEventsJsonl(mixed.join('\n'));
    expect(malformed.map((m) => [m.line, m.code])).toEqual([
      [3, 'invalid_json'],
      [6, 'unknown_behavior'],
      [7, 'invalid_amount'],
      [8, 'invalid_time'],
      [9, 'not_an_object'],
      [10, 'missing_field'],
      [11, 'unknown_type'],
    ]);
    const r = runMining({ table, malformed });
    expect(r.malformed).toHaveLength(7);
    expect(r.stats.events).toBe(events.length);
    expect(row(r, 'use_case_probe', 'price_negotiation', null)!.top).toBeCloseTo(1.8, 12);
  });

  it('reads a time without an offset as China time and ignores a byte-order mark', () => {
    const base = { rep: 'r01', lead: 'L1', type: 'stage', name: 'new_lead' };
    const text = `\uFEFF${JSON.stringify({ ...base, at: '2026-01-05T10:00:00' })}\n${JSON.stringify({ ...base, at: '2026-01-05T02:00:00Z' })}`;
    const { table, malformed } = parseEventsJsonl(text);
    expect(malformed).toEqual([]);
    expect(table.time[0]).toBe(table.time[1]);
  });

  it('reports invalid event objects by array position', () => {
    const r = runMining([...events.slice(0, 5), { rep: 'r01' }, null]);
    expect(r.malformed.map((m) => [m.line, m.code])).toEqual([
      [6, 'missing_field'],
      [7, 'not_an_object'],
    ]);
  });
});

describe('the top group', () => {
  // Three reps, three leads each; only r1 won anything. The share asks for 2 of 3 reps.
  const world = ['r1', 'r2', 'r3'].flatMap((rep) =>
    [1, 2, 3].flatMap((n) => {
      const lead = `${rep}-L${n}`;
      const base = { rep, lead, customerType: '主机厂' };
      const out = [
        { ...base, type: 'stage', name: 'new_lead', at: `2026-10-0${n}T09:00:00+08:00` },
        { ...base, type: 'behavior', name: 'needs_probe', at: `2026-10-0${n}T10:00:00+08:00` },
      ];
      if (rep === 'r1') out.push({ ...base, type: 'stage', name: 'won', at: `2026-10-1${n}T09:00:00+08:00`, amount: 1000 * n } as never);
      return out;
    }),
  );

  it('takes only reps with at least one won deal, however the share rounds', () => {
    const r = runMining(world, { topShare: 0.6 });
    expect(r.performance.map((p) => [p.rep, p.wonLeads])).toEqual([['r1', 3], ['r2', 0], ['r3', 0]]);
    expect(r.groups.top).toEqual(['r1']);
    expect(r.groups.rest).toEqual(['r2', 'r3']);
  });

  it('is empty when nobody won, and the result says why', () => {
    const none = runMining(world.filter((e) => e.name !== 'won'), { topShare: 0.6 });
    expect(none.groups.top).toEqual([]);
    expect(none.groups.rest).toHaveLength(3);
    expect(none.groupsTooSmall).toMatch(/本期没有销售签约/);
    expect(none.coaching).toEqual([]);
    expect(none.findings.every((f) => f.status === 'descriptive')).toBe(true);
  });
});

describe('groups too small', () => {
  it('says so when a group has too few leads or no reps', () => {
    const few = events.filter((e) => ['r05', 'r01'].includes(e.rep) && Number(e.lead.slice(-3)) < 4);
    expect(runMining(few, { topShare: 0.5 }).groupsTooSmall).toMatch(/分组过小/);
    const one = events.filter((e) => e.rep === 'r01');
    const single = runMining(one);
    expect(single.groupsTooSmall).toMatch(/分组过小.*0 名/);
    expect(single.findings.every((f) => f.status === 'descriptive')).toBe(true);
  });
});

describe('customer types', () => {
  it('keeps per-type figures only for types with enough leads to be tested, so free-text types cannot blow up', () => {
    // Every lead its own customer type: none has the 12 leads four reps would need, so only all-customer figures remain.
    const r = runMining(events.map((e) => ({ ...e, customerType: `客户-${e.lead}` })));
    expect(r.beforeStage.length).toBeGreaterThan(0);
    expect(r.beforeStage.every((x) => x.customerType === null)).toBe(true);
    expect(finding(r, 'before_stage:use_case_probe')!.top).toBeCloseTo(1.8, 12);
  });
});

describe('options', () => {
  it('rejects a top share outside (0, 1], an impossible window or step count, with a clear code', () => {
    expect(() => runMining(events, { topShare: 0 })).toThrow(expect.objectContaining({ code: 'invalid_top_share' }));
    expect(() => runMining(events, { maxSteps: 5 })).toThrow(expect.objectContaining({ code: 'invalid_mining_option' }));
    expect(() => runMining(events, { gapWindowsHours: [24, null as unknown as number] })).toThrow(expect.objectContaining({ code: 'invalid_mining_option' }));
    expect(() => runMining(events, { permutations: 5 })).toThrow(expect.objectContaining({ code: 'invalid_mining_option' }));
  });
});
