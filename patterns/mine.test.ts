import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/random.ts';
import { generatePlantedEvents, generatePlantedEvidence, toJsonl } from '../fixtures/events/generate.ts';
import { parseEventsJsonl } from './events.ts';
import { runMining } from './mine.ts';
import { fisherExact } from './stats.ts';
import type { MiningEvent, MiningResult } from './types.ts';

const events = generatePlantedEvents();
const planted = runMining(events);

const row = (r: MiningResult, behavior: string, stage: string, customerType: string | null) =>
  r.beforeStage.find((x) => x.behavior === behavior && x.stage === stage && x.customerType === customerType);
const pattern = (r: MiningResult, steps: string[], gap: number | null) =>
  r.patterns.find((p) => p.steps.join() === steps.join() && p.maxGapHours === gap);

describe('runMining on planted data', () => {
  it('ranks reps by won amount and takes ceil(10 %) as the top group', () => {
    expect(planted.groups.top).toEqual(['r15', 'r05']);
    expect(planted.groups.rest).toHaveLength(18);
    expect(planted.performance[0]).toEqual({ rep: 'r15', wonAmount: 30 * 164_000, wonLeads: 30, leads: 50 });
    expect(planted.stats).toMatchObject({ events: 12308, leads: 1000, leadsTop: 100, leadsRest: 900 });
    expect(planted.groupsTooSmall).toBeNull();
  });

  it('recovers the planted beforeStage means exactly, overall and per customer type', () => {
    expect(row(planted, 'use_case_probe', 'price_negotiation', null)).toMatchObject({
      top: 1.8, rest: 0.7, leadsTop: 80, leadsRest: 720,
    });
    expect(row(planted, 'use_case_probe', 'price_negotiation', '主机厂')).toMatchObject({
      top: 2.2, rest: 0.8, leadsTop: 40, leadsRest: 360,
    });
    expect(row(planted, 'use_case_probe', 'price_negotiation', '经销商')).toMatchObject({
      top: 1.4, rest: 0.6, leadsTop: 40, leadsRest: 360,
    });
    expect(row(planted, 'use_case_probe', 'price_negotiation', null)!.qValue).toBeLessThan(1e-30);
  });

  it('reports the planted sequence with exact supports and Fisher p-value, once per difference', () => {
    const p24 = pattern(planted, ['proposal_sent', 'value_restate'], 24)!;
    expect(p24).toMatchObject({ topSupport: 0.68, restSupport: 0.16, supportingTop: 68, supportingRest: 144 });
    expect(p24.pValue).toBeCloseTo(fisherExact(68, 32, 144, 756), 30);
    expect(p24.effectSize).toBeCloseTo(0.52, 12);
    expect(pattern(planted, ['proposal_sent', 'value_restate'], 72)).toMatchObject({ topSupport: 0.68, restSupport: 0.4 });
    // The unbounded window adds nothing to 72 h (same supports), and a leading new_lead adds nothing at all.
    expect(pattern(planted, ['proposal_sent', 'value_restate'], null)).toBeUndefined();
    expect(pattern(planted, ['new_lead', 'proposal_sent', 'value_restate'], null)).toBeUndefined();
    expect(pattern(planted, ['value_restate'], null)).toMatchObject({ topSupport: 0.68, restSupport: 0.48 });
    expect(planted.patterns.every((p) => p.qValue < 0.05)).toBe(true);
    const strength = planted.patterns.map((p) => Math.abs(p.effectSize));
    expect(strength).toEqual([...strength].sort((a, b) => b - a));
  });

  it('does not flag the decoy behaviour (equal rates in both groups)', () => {
    const decoyRows = planted.beforeStage.filter((r) => r.behavior === 'objection_handling');
    expect(decoyRows.length).toBeGreaterThan(0);
    // Stages every lead index reaches in both groups: identical distributions, so exactly p = 1.
    const shared = ['new_lead', 'needs_confirmed', 'proposal_sent', 'proposal_read', 'price_negotiation'];
    for (const r of decoyRows.filter((x) => shared.includes(x.stage))) expect(r.pValue).toBe(1);
    // won/lost are reached by different lead mixes per group; still nothing may come out significant.
    for (const r of decoyRows) expect(r.qValue ?? 1).toBeGreaterThanOrEqual(0.05);
    // Alone or right after the lead opens, the decoy is as common in both groups.
    const decoyOnly = planted.patterns.filter((p) => p.steps.every((s) => ['objection_handling', 'new_lead', 'needs_confirmed'].includes(s)));
    expect(decoyOnly).toEqual([]);
  });

  it('gives the same result whatever the input order', () => {
    const rnd = mulberry32(7);
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const evidence = generatePlantedEvidence();
    expect(JSON.stringify(runMining(shuffled, { evidence }))).toBe(JSON.stringify(runMining(events, { evidence })));
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
    expect(row(r, 'use_case_probe', 'price_negotiation', null)).toMatchObject({ top: 1.8, rest: 0.7 });
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

describe('redundancy pruning on a hand-built set', () => {
  // Rep A (top): every lead new_lead → proposal_sent (+1 h) → value_restate (+2 h).
  // Rep B (rest): every lead new_lead → proposal_sent (+1 h); half restate 30 min after new_lead, before the proposal.
  const at = (h: number) => new Date(Date.parse('2026-03-02T09:00:00+08:00') + h * 3_600_000).toISOString();
  const ev: MiningEvent[] = [];
  for (let i = 0; i < 30; i++) {
    const base = i * 200;
    const a = { rep: 'A', lead: `A${i}`, customerType: '主机厂' };
    ev.push({ ...a, at: at(base), type: 'stage', name: 'new_lead' });
    ev.push({ ...a, at: at(base + 1), type: 'stage', name: 'proposal_sent' });
    ev.push({ ...a, at: at(base + 3), type: 'behavior', name: 'value_restate' });
    const b = { rep: 'B', lead: `B${i}`, customerType: '主机厂' };
    ev.push({ ...b, at: at(base), type: 'stage', name: 'new_lead' });
    if (i % 2 === 0) ev.push({ ...b, at: at(base + 0.5), type: 'behavior', name: 'value_restate' });
    ev.push({ ...b, at: at(base + 1), type: 'stage', name: 'proposal_sent' });
  }
  ev.push({ rep: 'A', lead: 'A0', at: at(5), type: 'stage', name: 'won', amount: 100 });
  ev.push({ rep: 'B', lead: 'B0', at: at(5), type: 'stage', name: 'won', amount: 50 });

  it('keeps exactly the three distinct differences, tightest window, strongest first', () => {
    const r = runMining(ev, { topShare: 0.5 });
    expect(r.groups).toEqual({ top: ['A'], rest: ['B'] });
    expect(r.patterns.map((p) => [p.steps.join('>'), p.maxGapHours, p.topSupport, p.restSupport])).toEqual([
      ['proposal_sent>value_restate', 24, 1, 0],
      ['value_restate', null, 1, 0.5],
      ['value_restate>proposal_sent', 24, 0, 0.5],
    ]);
    expect(r.patterns[0].pValue).toBeCloseTo(fisherExact(30, 0, 0, 30), 25);
    expect(r.patterns[1].pValue).toBeCloseTo(fisherExact(30, 0, 15, 15), 15);
  });
});

describe('groups too small', () => {
  it('says so when a group has too few leads or no reps', () => {
    const few = events.filter((e) => ['r05', 'r01'].includes(e.rep) && Number(e.lead.slice(-3)) < 4);
    expect(runMining(few, { topShare: 0.5 }).groupsTooSmall).toMatch(/分组过小/);
    const one = events.filter((e) => e.rep === 'r01');
    expect(runMining(one).groupsTooSmall).toMatch(/分组过小.*0 名/);
  });
});

describe('options', () => {
  it('rejects a top share outside (0, 1] with a clear code', () => {
    expect(() => runMining(events, { topShare: 0 })).toThrow(expect.objectContaining({ code: 'invalid_top_share' }));
    expect(() => runMining(events, { maxSteps: 5 })).toThrow(expect.objectContaining({ code: 'invalid_mining_option' }));
  });
});
