import { describe, expect, it } from 'vitest';
import { generatePlantedEvents, generatePlantedEvidence } from '../fixtures/events/generate.ts';
import { runMining } from './mine.ts';
import { loadCoachingTemplates } from '../lexicons/coaching/load.ts';
import type { CoachingEvidence, MiningEvent } from './types.ts';

const events = generatePlantedEvents({ reps: 30 });
const evidence = generatePlantedEvidence({ reps: 30 });

describe('coaching suggestions', () => {
  const r = runMining(events, { evidence });
  const forRep = (rep: string) => r.coaching.find((c) => c.rep === rep)?.suggestions ?? [];

  it('coaches every rest rep, never a top rep, and never on the decoy', () => {
    expect(r.coachingTemplatesVersion).toBe(loadCoachingTemplates().version);
    expect(r.coaching.map((c) => c.rep).sort()).toEqual([...r.groups.rest].sort());
    for (const c of r.coaching) for (const s of c.suggestions) expect(s.behavior).not.toBe('objection_handling');
  });

  it('speaks only from established findings, with the finding’s own figure and the rep’s own from the same finding', () => {
    for (const c of r.coaching) {
      for (const s of c.suggestions) {
        const f = r.findings.find((x) => x.id === s.findingId)!;
        expect(f).toMatchObject({ status: 'established', coachable: true, customerType: s.customerType, top: s.top });
        const own = f.perRep.find((p) => p.rep === c.rep)!;
        expect(s.yours).toBe(own.value);
        expect(s.yourLeads).toBe(own.leads);
        expect(s.yours).toBeLessThan(s.top);
      }
    }
  });

  it('states the rep’s numbers against the top group in the finding’s words, with the rep’s own recordings', () => {
    const probe = forRep('r20').find((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe')!;
    expect(probe).toMatchObject({ findingId: 'before_stage:use_case_probe', stage: 'price_negotiation', customerType: null, yourLeads: 40 });
    expect(probe.yours).toBeCloseTo(0.7, 12);
    expect(probe.top).toBeCloseTo(1.8, 12);
    expect(probe.message).toBe('进入「价格谈判」之前，你平均每个线索做 0.7 次「应用场景深挖」，优秀组是 1.8 次（客户类型：全部）。');
    expect(probe.evidence.recordings.map((x) => x.recordingId).sort()).toEqual(['rec-r20-1', 'rec-r20-2']);
    expect(probe.evidence.recordings.find((x) => x.recordingId === 'rec-r20-1')!.moments).toEqual([
      { behavior: 'use_case_probe', status: 'missing', segment: 3, startSec: 62, endSec: 75, text: '这个价格能不能再低一点？' },
    ]);
    expect(probe.evidence.leads.length).toBeGreaterThan(0);
    expect(probe.evidence.leads.every((l) => l.lead.startsWith('r20-') && l.value < 1.8)).toBe(true);
  });

  it('puts calls with audio first, so a trainer can hear the moment, however old they are', () => {
    // r20 gets three more calls showing use_case_probe missing: two newer typed ones and an older one with audio.
    const extra = (id: string, at: string, audio: boolean) => ({
      recordingId: id,
      rep: 'r20',
      lead: 'r20-L002',
      at,
      customerType: '主机厂',
      audio,
      moments: [{ behavior: 'use_case_probe' as const, status: 'missing' as const, segment: 1, startSec: 4.5, endSec: 8, text: '价格能便宜点吗？' }],
    });
    const withAudio: CoachingEvidence = {
      recordings: [...evidence.recordings, extra('typed-new', '2027-01-02T10:00:00+08:00', false), extra('typed-newer', '2027-01-03T10:00:00+08:00', false), extra('audio-old', '2025-01-01T10:00:00+08:00', true)],
    };
    const res = runMining(events, { evidence: withAudio });
    const probe = res.coaching.find((c) => c.rep === 'r20')!.suggestions.find((s) => s.behavior === 'use_case_probe')!;
    expect(probe.evidence.recordings.map((x) => [x.recordingId, x.audio])).toEqual([
      ['audio-old', true],
      ['typed-newer', false],
      ['typed-new', false],
    ]);
    // Without audio anywhere the order is newest first, as before.
    expect(forRep('r20').find((s) => s.behavior === 'use_case_probe')!.evidence.recordings.every((x) => x.audio === false)).toBe(true);
  });

  it('falls back to the role on the lead’s events when a recording names none', () => {
    const noRoles: CoachingEvidence = { recordings: evidence.recordings.map((x) => ({ ...x, customerRole: null })) };
    const res = runMining(events, { evidence: noRoles });
    const probe = res.coaching.find((c) => c.rep === 'r20')!.suggestions.find((s) => s.behavior === 'use_case_probe')!;
    // Lead r20-L000 is a 主机厂 lead whose events carry 采购总监, r20-L001 a 经销商 lead with 老板.
    expect(probe.evidence.recordings.map((x) => x.customerRole).sort()).toEqual(['老板', '采购总监'].sort());
  });

  it('turns the planted sequence into a value_restate suggestion with shares over the leads that reached the proposal', () => {
    const restate = forRep('r20').find((s) => s.kind === 'sequence' && s.behavior === 'value_restate')!;
    expect(restate).toMatchObject({ steps: ['proposal_sent', 'value_restate'], maxGapHours: 24 });
    expect(restate.yours).toBeCloseTo(0.2, 12);
    expect(restate.top).toBeCloseTo(0.85, 12);
    expect(restate.message).toBe('「方案提交 → 价值重述」（相邻两步间隔不超过 24 小时）在你的线索里占 20%，优秀组占 85%（客户类型：全部）。');
    expect(restate.evidence.leads.every((l) => l.value === 0)).toBe(true);
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
    // r19 probes the use case 2 extra times on every lead, right after it opens: above the top group, and since one
    // rest rep out-probing everyone weakens the evidence, not so far above that the finding stops being established.
    const extra: MiningEvent[] = events
      .filter((e) => e.rep === 'r19' && e.type === 'stage' && e.name === 'new_lead')
      .flatMap((e) => [1, 2].map((m) => ({ ...e, type: 'behavior' as const, name: 'use_case_probe' as const, at: plusMinutes(e.at, m) })));
    const res = runMining([...events, ...extra], { evidence });
    expect(res.findings.find((f) => f.id === 'before_stage:use_case_probe')).toMatchObject({ coachable: true });
    const r19 = res.coaching.find((c) => c.rep === 'r19')!.suggestions;
    expect(r19.some((s) => s.behavior === 'use_case_probe')).toBe(false);
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
    expect(seen).toEqual(['timelines:0/6', 'groups:1/6', 'before_stage:2/6', 'patterns:3/6', 'inference:4/6', 'coaching:5/6', 'done:6/6']);
  });
});
