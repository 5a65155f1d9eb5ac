import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, legalReviewTask, taskSchedule, taskState, tasksFromCommitments } from './followups.ts';

const ctx = { repId: 'r01', leadId: 'L1', customerId: 'C1', recordingId: 'rec1', recordedAt: new Date('2026-03-02T02:00:00Z') };

describe('follow-up tasks from commitments', () => {
  it('is due at the parsed time, reminds then and escalates 48 h later to the supervisor', () => {
    const [task] = tasksFromCommitments([{ segment: 4, text: '明天中午前把报价单发给您', dueAt: '2026-03-03T12:00:00+08:00' }], ctx);
    expect(task.dueAt.toISOString()).toBe('2026-03-03T04:00:00.000Z');
    expect(task.remindAt.toISOString()).toBe('2026-03-03T04:00:00.000Z');
    expect(task.escalateAt.toISOString()).toBe('2026-03-05T04:00:00.000Z');
    expect(task.escalateTo).toEqual({ type: 'supervisor', ofRepId: 'r01' });
    expect(task.assignee).toEqual({ type: 'rep', repId: 'r01' });
    expect(task.dueInferred).toBe(false);
    expect(task.title).toContain('报价单');
    // Opened when the promise was made, even when the recording is processed days later.
    expect(task.openedAt).toEqual(ctx.recordedAt);
  });

  it('makes a customer promise a check-back task for the rep on the day it was due, marked as the customer’s', () => {
    const [task] = tasksFromCommitments([{ segment: 6, text: '我下周一给你答复', dueAt: '2026-03-09T18:00:00+08:00', by: 'customer' }], ctx);
    expect(task.kind).toBe('customer_promise');
    expect(task.title).toBe('回访客户承诺：我下周一给你答复');
    expect(task.detail).toContain('客户的承诺');
    expect(task.assignee).toEqual({ type: 'rep', repId: 'r01' });
    expect(task.remindAt.toISOString()).toBe('2026-03-09T10:00:00.000Z');
  });

  it('gives a promise without a time the default due time and says so', () => {
    const [task] = tasksFromCommitments([{ segment: 1, text: '回头给您发资料', dueAt: null }], ctx);
    expect(task.dueAt.toISOString()).toBe('2026-03-03T02:00:00.000Z');
    expect(task.dueInferred).toBe(true);
    expect(task.detail).toContain('24 小时');
  });

  it('opens a legal task on entering legal review, escalated to the legal lead after 48 h', () => {
    const entered = new Date('2026-03-02T02:00:00Z');
    const task = legalReviewTask({ leadId: 'L1', repId: 'r01', customerId: 'C1', customerName: '华东阀门' }, entered);
    expect(task.kind).toBe('legal_review');
    expect(task.assignee).toEqual({ type: 'role', role: 'legal' });
    expect(task.remindAt).toEqual(entered);
    expect(task.openedAt).toEqual(entered);
    expect(task.escalateAt.toISOString()).toBe('2026-03-04T02:00:00.000Z');
    expect(task.escalateTo).toEqual({ type: 'role', role: 'legal_lead' });
  });

  it('computes state and delays from the clock', () => {
    const t = { dueAt: new Date(1000), escalateAt: new Date(5000), doneAt: null };
    expect([500, 1000, 1001, 5000].map((ms) => taskState(t, new Date(ms)))).toEqual(['open', 'open', 'overdue', 'escalated']);
    expect(taskState({ ...t, doneAt: new Date(2000) }, new Date(9000))).toBe('done');
    expect(taskSchedule({ remindAt: new Date(1000), escalateAt: new Date(5000) }, new Date(2000))).toEqual([
      { action: 'remind', at: new Date(1000), delayMs: 0 },
      { action: 'escalate', at: new Date(5000), delayMs: 3000 },
    ]);
    expect(DEFAULT_TIMING.escalateAfterHours).toBe(48);
  });
});
