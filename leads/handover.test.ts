import { describe, expect, it } from 'vitest';
import { buildDossier, type HandoverCustomer } from './handover.ts';

describe('hand-over dossier', () => {
  const at = new Date('2026-11-30T02:00:00Z');
  const customer: HandoverCustomer = {
    customerId: 'C-WZ-01',
    name: '温州阀门出口',
    customerType: '经销商',
    profileTags: ['中东市场'],
    leads: [
      { leadId: 'L1', stage: 'price_negotiation' },
      { leadId: 'L0', stage: 'won' },
    ],
    visits: [
      { recordingId: 'r1', recordedAt: new Date('2026-11-01T02:00:00Z'), tagCounts: { price_sensitivity: 3, delivery_time: 1 } },
      { recordingId: 'r2', recordedAt: new Date('2026-11-20T02:00:00Z'), tagCounts: { delivery_time: 4, competitor: 2 } },
      { recordingId: 'r0', recordedAt: new Date('2026-01-01T02:00:00Z'), tagCounts: { budget: 1 } },
      { recordingId: 'r3', recordedAt: new Date('2026-11-10T02:00:00Z'), tagCounts: {} },
      { recordingId: 'r4', recordedAt: new Date('2026-11-11T02:00:00Z'), tagCounts: { price_sensitivity: 1 } },
      { recordingId: 'r5', recordedAt: new Date('2026-11-12T02:00:00Z'), tagCounts: {} },
    ],
    contacts: [{ name: '王总', role: '采购总监', caresAbout: ['delivery_time', 'price_sensitivity'] }],
    openCommitments: [{ taskId: 't1', title: '兑现承诺：周五前给出排产计划', dueAt: new Date('2026-12-04T10:00:00Z') }],
    lastAttitude: { day: '2026-11-29', score: 2 },
  };
  const d = buildDossier(customer, { repId: 'r01' }, { repId: 'r02' }, at);

  it('summarises the five most recent visits and what the customer cares about', () => {
    expect(d.recentVisits.map((v) => v.recordingId)).toEqual(['r2', 'r5', 'r4', 'r3', 'r1']);
    expect(d.caresAbout).toEqual([
      { category: 'delivery_time', label: '交付周期', count: 5 },
      { category: 'price_sensitivity', label: '价格敏感', count: 4 },
      { category: 'competitor', label: '竞品对比', count: 2 },
    ]);
    expect(d.decisionMakers).toEqual([{ name: '王总', role: '采购总监', caresAbout: ['交付周期', '价格敏感'] }]);
    expect(d.openCommitments).toEqual([{ taskId: 't1', title: '兑现承诺：周五前给出排产计划', dueAt: '2026-12-04T10:00:00.000Z' }]);
    expect(d.summary[1]).toBe('进行中线索：L1（价格谈判）');
  });

  it('creates the three checklist tasks for the successor with due times', () => {
    expect(d.checklist.map((t) => [t.kind, t.repId, t.leadId, t.dueAt.toISOString(), t.escalateAt.toISOString()])).toEqual([
      ['handover_first_contact', 'r02', 'L1', '2026-12-03T02:00:00.000Z', '2026-12-05T02:00:00.000Z'],
      ['handover_update_tags', 'r02', 'L1', '2026-12-07T02:00:00.000Z', '2026-12-09T02:00:00.000Z'],
      ['handover_restate_commitments', 'r02', 'L1', '2026-12-07T02:00:00.000Z', '2026-12-09T02:00:00.000Z'],
    ]);
    expect(d.checklist[2].detail).toContain('周五前给出排产计划');
    expect(d.checklist.every((t) => t.escalateTo.type === 'supervisor' && t.escalateTo.ofRepId === 'r02')).toBe(true);
  });
});
