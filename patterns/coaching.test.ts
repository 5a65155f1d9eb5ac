import { describe, expect, it } from 'vitest';
import { generatePlantedEvents, generatePlantedEvidence } from '../fixtures/events/generate.ts';
import { runMining } from './mine.ts';
import { loadCoachingTemplates } from '../lexicons/coaching/load.ts';
import type { CoachingEvidence, MiningEvent } from './types.ts';

const events = generatePlantedEvents();
const evidence = generatePlantedEvidence();

describe('coaching suggestions', () => {
  const r = runMining(events, { evidence });
  const forRep = (rep: string) => r.coaching.find((c) => c.rep === rep)?.suggestions ?? [];

  it('coaches every rest rep, never a top rep, and never on the decoy', () => {
    expect(r.coachingTemplatesVersion).toBe(loadCoachingTemplates().version);
    expect(r.coaching.map((c) => c.rep).sort()).toEqual([...r.groups.rest].sort());
    for (const c of r.coaching) for (const s of c.suggestions) expect(s.behavior).not.toBe('objection_handling');
  });

  it('states the rep’s numbers against the top group, per customer type, with a role-specific template', () => {
    const probe = forRep('r20').find((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe' && s.customerType === null)!;
    expect(probe).toMatchObject({ stage: 'price_negotiation', yours: 0.7, top: 1.8, templateId: 'use_case_probe.default' });
    expect(probe.message).toBe('进入「价格谈判」之前，你平均每个线索做 0.7 次「应用场景深挖」，优秀组是 1.8 次（客户类型：全部）。');
    const oem = forRep('r20').find((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe' && s.customerType === '主机厂')!;
    expect(oem).toMatchObject({ yours: 0.8, top: 2.2, customerRole: '采购总监', templateId: 'use_case_probe.主机厂.采购总监' });
    expect(oem.tips).toHaveLength(3);
    expect(oem.message).toContain('主机厂');
    // Evidence: the rep's own 主机厂 recording where the probe was missing, and leads that fell short.
    expect(oem.evidence.recordings.map((x) => x.recordingId)).toEqual(['rec-r20-1']);
    expect(oem.evidence.recordings[0].moments).toEqual([
      { behavior: 'use_case_probe', status: 'missing', segment: 3, startSec: 62, endSec: 75, text: '这个价格能不能再低一点？' },
    ]);
    expect(oem.evidence.leads.length).toBeGreaterThan(0);
    expect(oem.evidence.leads.every((l) => l.lead.startsWith('r20-') && l.value < 2.2)).toBe(true);
  });

  it('falls back to the role on the lead’s events when a recording names none', () => {
    const noRoles: CoachingEvidence = { recordings: evidence.recordings.map((x) => ({ ...x, customerRole: null })) };
    const res = runMining(events, { evidence: noRoles });
    const oem = res.coaching
      .find((c) => c.rep === 'r20')!
      .suggestions.find((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe' && s.customerType === '主机厂')!;
    // Lead r20-L000 is a 主机厂 lead whose events carry customerRole 采购总监.
    expect(oem).toMatchObject({ customerRole: '采购总监', templateId: 'use_case_probe.主机厂.采购总监' });
  });

  it('turns the planted sequence into a value_restate suggestion with shares', () => {
    const restate = forRep('r20').find((s) => s.kind === 'pattern' && s.behavior === 'value_restate')!;
    expect(restate).toMatchObject({ steps: ['proposal_sent', 'value_restate'], maxGapHours: 24, yours: 0.16, top: 0.68 });
    expect(restate.message).toContain('16%');
    expect(restate.message).toContain('68%');
  });

  it('gives no suggestion without evidence', () => {
    expect(runMining(events).coaching).toEqual([]);
    const withoutR20: CoachingEvidence = { recordings: evidence.recordings.filter((x) => x.rep !== 'r20') };
    const res = runMining(events, { evidence: withoutR20 });
    expect(res.coaching.find((c) => c.rep === 'r20')).toBeUndefined();
    expect(res.coaching.find((c) => c.rep === 'r19')).toBeDefined();
    // Evidence that only shows the behaviour present is not evidence of a gap.
    const presentOnly: CoachingEvidence = {
      recordings: evidence.recordings.map((x) => ({ ...x, moments: x.moments.map((m) => ({ ...m, status: 'present' as const })) })),
    };
    expect(runMining(events, { evidence: presentOnly }).coaching).toEqual([]);
  });

  it('says nothing about a behaviour where the rep already matches the top group', () => {
    // r19 probes the use case 3 extra times on every lead, right after it opens.
    const extra: MiningEvent[] = events
      .filter((e) => e.rep === 'r19' && e.type === 'stage' && e.name === 'new_lead')
      .flatMap((e) => [1, 2, 3].map((m) => ({ ...e, type: 'behavior' as const, name: 'use_case_probe' as const, at: plusMinutes(e.at, m) })));
    const res = runMining([...events, ...extra], { evidence });
    const r19 = res.coaching.find((c) => c.rep === 'r19')!.suggestions;
    expect(r19.some((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe')).toBe(false);
    const r18 = res.coaching.find((c) => c.rep === 'r18')!.suggestions;
    expect(r18.some((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe')).toBe(true);
  });
});

function plusMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

describe('coaching evidence input', () => {
  it('accepts the planted evidence and rejects a malformed one with a clear code', async () => {
    const { parseCoachingEvidence } = await import('./evidence.ts');
    expect(parseCoachingEvidence(JSON.parse(JSON.stringify(evidence)))).toEqual(evidence);
    expect(() => parseCoachingEvidence({ recordings: [{ recordingId: 'x', rep: 'r01', moments: [{ behavior: 'dance' }] }] })).toThrow(
      expect.objectContaining({ code: 'invalid_evidence' }),
    );
  });

  it('reports progress through every step', () => {
    const seen: string[] = [];
    runMining(events.slice(0, 500), { onProgress: (p) => seen.push(`${p.step}:${p.done}/${p.total}`) });
    expect(seen).toEqual(['timelines:0/5', 'groups:1/5', 'before_stage:2/5', 'patterns:3/5', 'coaching:4/5', 'done:5/5']);
  });
});
