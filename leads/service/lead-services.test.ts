import { describe, expect, it } from 'vitest';
import { followUpRow, leadRow, repRow } from '../../fixtures/unit/factories.ts';
import { unitJobDeps } from '../../fixtures/unit/job-deps.ts';
import { CheckpointError } from '../checkpoints.ts';
import { escalateTask, remindTask, scheduleTask } from './followups.service.ts';
import { changeStage } from './stage.service.ts';
import { stageOverdue } from './stage-overdue.service.ts';

/** The lead services' orchestration with fake repositories and the real ports on a recording queue. */
describe('lead services (unit tier)', () => {
  it('schedules a reminder and an escalation for an open task, and only what is still to come', async () => {
    const { deps, queue } = unitJobDeps();
    const task = followUpRow({ remindAt: new Date(Date.now() + 60_000), escalateAt: new Date(Date.now() + 120_000) });
    await scheduleTask(deps, task);
    expect(queue.jobs.map((j) => [j.name, j.payload])).toEqual([
      ['followup-remind', { taskId: task.id, at: task.remindAt!.getTime() }],
      ['followup-escalate', { taskId: task.id, at: task.escalateAt!.getTime() }],
    ]);
    queue.jobs.length = 0;
    await scheduleTask(deps, { ...task, remindedAt: new Date() });
    expect(queue.names()).toEqual(['followup-escalate']);
    await scheduleTask(deps, { ...task, status: 'done' });
    expect(queue.names()).toEqual(['followup-escalate']);
  });

  it('sends a reminder once, to the assignee, and treats a moved or closed task as stale', async () => {
    const { deps, repos, published } = unitJobDeps();
    const task = followUpRow();
    repos.followUps.getForJob.mockResolvedValue(task);
    expect(await remindTask(deps, task.id, task.remindAt!.getTime() + 1)).toBe('stale');
    repos.reps.getById.mockResolvedValue(repRow({ externalId: 'r01', name: '张伟' }));
    repos.followUps.markReminded.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    repos.leadEvidence.settings.mockResolvedValue(undefined);
    expect(await remindTask(deps, task.id, task.remindAt!.getTime())).toBe('sent');
    expect(await remindTask(deps, task.id, task.remindAt!.getTime())).toBe('stale');
    expect(published()).toEqual([['followup.reminder', expect.objectContaining({ taskId: task.id, recipients: ['r01'] })]]);
  });

  it('escalates to the supervisor and queues one robot message per configured robot', async () => {
    const { deps, repos, queue, published } = unitJobDeps();
    const sup = repRow({ externalId: 's01', name: '李主管' });
    const owner = repRow({ supervisorId: sup.id });
    const task = followUpRow({ assigneeRepId: owner.id });
    repos.followUps.getForJob.mockResolvedValue(task);
    repos.reps.getById.mockImplementation(async (_t, id) => (id === owner.id ? owner : id === sup.id ? sup : undefined));
    repos.followUps.markEscalated.mockResolvedValue(true);
    repos.leadEvidence.settings.mockResolvedValue({ wecomWebhookUrl: 'https://qyapi.weixin.qq.com/x?key=k', dingtalkWebhookUrl: null, dingtalkSecret: null, robotFormat: 'text' } as never);
    repos.leadEvidence.handlesByExternalIds.mockResolvedValue([]);
    repos.handovers.queueRobotMessage.mockResolvedValue({ id: 'm1' } as never);
    expect(await escalateTask(deps, task.id, task.escalateAt!.getTime())).toBe('sent');
    expect(published()).toEqual([['followup.escalated', expect.objectContaining({ escalatedTo: 's01', recipients: ['s01'] })]]);
    expect(queue.jobs.filter((j) => j.name === 'robot-delivery').map((j) => j.payload)).toEqual([{ messageId: 'm1' }]);
  });

  it('refuses a stage move without its evidence, writing nothing', async () => {
    const { deps, repos } = unitJobDeps();
    repos.leads.getByExternalId.mockResolvedValue(leadRow({ stage: 'proposal_sent' }));
    repos.leadEvidence.attachments.mockResolvedValue([]);
    await expect(changeStage(deps, 't', 'L1', 'proposal_read')).rejects.toBeInstanceOf(CheckpointError);
    expect(repos.leads.moveStage).not.toHaveBeenCalled();
  });

  it('warns about an overdue stage only while the lead is still in it', async () => {
    const { deps, repos, published } = unitJobDeps();
    const lead = leadRow({ stage: 'needs_confirmed', stageEnteredAt: new Date('2026-03-01T00:00:00Z') });
    repos.leads.getForJob.mockResolvedValue(lead);
    repos.leadEvidence.settings.mockResolvedValue({ dwellHours: { needs_confirmed: 24 } } as never);
    expect(await stageOverdue(deps, lead.id, Date.parse('2026-03-02T00:00:00Z') + 1)).toBe('stale');
    repos.leads.getForJob.mockResolvedValue({ ...lead, stage: 'proposal_sent' });
    expect(await stageOverdue(deps, lead.id, Date.parse('2026-03-02T00:00:00Z'))).toBe('stale');
    expect(published()).toEqual([]);
    repos.leads.getForJob.mockResolvedValue(lead);
    repos.reps.getById.mockResolvedValue(repRow());
    repos.leadEvidence.handlesByExternalIds.mockResolvedValue([]);
    expect(await stageOverdue(deps, lead.id, Date.parse('2026-03-02T00:00:00Z'))).toBe('sent');
    expect(published()).toEqual([['lead.stage_overdue', expect.objectContaining({ leadId: 'L1', stage: 'needs_confirmed' })]]);
  });
});
