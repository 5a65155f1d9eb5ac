import { describe, expect, it } from 'vitest';
import { generatePlantedEvents, generatePlantedEvidence } from '../fixtures/events/generate.ts';
import { evidenceFor, nullWorld, progressionWorld } from '../fixtures/mining/worlds.ts';
import { runMining } from './mine.ts';
import type { MiningEvent, MiningResult } from './types.ts';

/**
 * Whether the miner can be trusted, judged on worlds whose truth is known (fixtures/mining/worlds.ts). Seeds 1–20
 * are the test; the method was not tuned on them beyond what the commit history says, and a wider sweep
 * (docs/mining.md) gives the rates on seeds never looked at.
 */
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

/** A world "reports" something when any finding is significant or any rep gets a suggestion. */
const reports = (r: MiningResult) => r.findings.some((f) => f.status !== 'descriptive') || r.coaching.length > 0;
const mine = (events: MiningEvent[]) => runMining(events, { evidence: evidenceFor(events) });

describe('null worlds: behaviour unrelated to sales, every rep with habits of their own', () => {
  it.each([
    [30, 40],
    [12, 25],
  ])('%i reps × %i leads: at most one of 20 worlds reports any finding or coaching', (reps, leadsPerRep) => {
    const reporting = SEEDS.filter((seed) => reports(mine(nullWorld({ reps, leadsPerRep, seed }))));
    expect(reporting.length).toBeLessThanOrEqual(1);
  }, 120_000);

  it('has the heterogeneity the issue describes: one rep probes use cases about 0.5× as often as the base, another 2×', () => {
    const events = nullWorld({ reps: 30, leadsPerRep: 40, seed: 1 });
    const perRep = new Map<string, number>();
    for (const e of events) if (e.name === 'use_case_probe') perRep.set(e.rep, (perRep.get(e.rep) ?? 0) + 1 / 40);
    const rates = [...perRep.values()];
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(2.5);
  });
});

describe('differences that only come from top reps’ leads progressing further', () => {
  it('are not reported in any of 20 worlds, though raw counts over all leads differ a lot', () => {
    const first = progressionWorld({ reps: 30, leadsPerRep: 40, seed: 1 });
    const top = new Set(['r05', 'r15', 'r25']);
    const quotes = (inTop: boolean) => first.filter((e) => e.name === 'quote' && top.has(e.rep) === inTop).length / (inTop ? 3 : 27);
    expect(quotes(true) / quotes(false)).toBeGreaterThan(1.8);
    expect(runMining(first).groups.top.sort()).toEqual([...top]);
    const reporting = SEEDS.filter((seed) => reports(mine(progressionWorld({ reps: 30, leadsPerRep: 40, seed }))));
    expect(reporting).toEqual([]);
  }, 120_000);
});

describe('planted effects with rep habits on top', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: both planted effects are established and coached; the decoy never is', (seed) => {
    const r = runMining(generatePlantedEvents({ reps: 30, habits: true, seed }), { evidence: generatePlantedEvidence({ reps: 30 }) });
    const probe = r.findings.find((f) => f.id === 'before_stage:use_case_probe')!;
    expect(probe).toMatchObject({ status: 'established', coachable: true });
    // The planted 1.8 vs 0.7 with each rep's extra probes (0–0.8 per lead) on top: the gap stays about 1.1.
    const overall = probe.variants.find((v) => v.stage === 'price_negotiation' && v.customerType === null)!;
    expect(overall.top! - overall.rest!).toBeGreaterThan(0.8);
    expect(overall.top! - overall.rest!).toBeLessThan(1.4);
    const restate = r.findings.find((f) => f.id === 'sequence:value_restate')!;
    expect(restate).toMatchObject({ status: 'established', coachable: true, steps: ['proposal_sent', 'value_restate'], maxGapHours: 24 });
    expect(restate.top!).toBeGreaterThan(0.8);
    expect(restate.rest!).toBeLessThan(0.3);
    const decoy = r.findings.filter((f) => f.behaviors.includes('objection_handling'));
    expect(decoy.length).toBeGreaterThan(0);
    for (const f of decoy) expect(f.status).toBe('descriptive');
    const coached = new Set(r.coaching.flatMap((c) => c.suggestions.map((s) => s.behavior)));
    expect(coached.has('use_case_probe') && coached.has('value_restate')).toBe(true);
    expect(coached.has('objection_handling')).toBe(false);
  });
});
