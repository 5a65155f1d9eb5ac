import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileResultOk } from '../../analyze/types.ts';
import { startTestService, type TestService } from '../../fixtures/leads/test-service.ts';
import { rescheduleTask } from './followups.service.ts';
import { changeStage } from './stage.service.ts';
import { runJob } from '../../workers/run-job.ts';
import { waitFor } from '../../workers/testing.ts';
import { resolveDwellStandards, stageDueAt } from '../dwell.ts';

/**
 * The follow-up loop through real BullMQ delayed jobs on the real Redis and Postgres, with the 48 h escalation
 * scaled down to 1.2 s: a commitment found in a recording reminds the rep at its due time and escalates to the
 * supervisor 1.2 s later; a task done in time is not escalated; entering legal review reminds legal at once and
 * escalates to the legal lead.
 */
const ESCALATE_MS = 1200;
let t: TestService;
let tenantId: string;

beforeAll(async () => {
  t = await startTestService({
    name: 'leads_followups',
    env: { LEADS_ESCALATE_AFTER_HOURS: String(ESCALATE_MS / 3_600_000) },
    workers: ['recording-followups', 'followup-remind', 'followup-escalate', 'webhook-delivery', 'robot-delivery', 'lead-stage-overdue'],
  });
  const { repos } = t.service;
  tenantId = (await repos.tenants.ensure('华东阀门')).id;
  await repos.reps.upsert(tenantId, 's01', { name: '李主管', team: '华东一组' });
  await repos.reps.upsert(tenantId, 'r01', { name: '张伟', team: '华东一组', supervisorExternalId: 's01' });
  await repos.reps.upsert(tenantId, 'lg1', { name: '王法务', title: 'legal' });
  await repos.reps.upsert(tenantId, 'lg0', { name: '赵法务主管', title: 'legal_lead' });
  await repos.customers.upsert(tenantId, 'C1', { name: '温州阀门出口' });
  await repos.leads.upsert(tenantId, 'L1', { customerExternalId: 'C1', ownerRepExternalId: 'r01' });
  await repos.leadEvidence.saveHandles(tenantId, (await repos.reps.getByExternalId(tenantId, 'r01'))!.id, { mobile: '13800000001', wecomUserId: 'zhangwei', dingtalkUserId: null });
  await repos.webhooks.create(tenantId, `${t.receiver.url}/crm-hook`, ['*']);
  await repos.leadEvidence.saveSettings(tenantId, {
    wecomWebhookUrl: `${t.receiver.url}/wecom?key=k1`,
    dingtalkWebhookUrl: `${t.receiver.url}/dingtalk?access_token=tok`,
    dingtalkSecret: 'SEC123',
    robotFormat: 'text',
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function recordingWithCommitment(dueAt: Date, text: string, seg: number) {
  const { repos } = t.service;
  const rep = (await repos.reps.getByExternalId(tenantId, 'r01'))!;
  const lead = (await repos.leads.getByExternalId(tenantId, 'L1'))!;
  const rec = await repos.recordings.insert({
    tenantId,
    repId: rep.id,
    leadId: lead.id,
    customerId: lead.customerId,
    recordedAt: new Date(),
    originalName: `visit-${seg}.txt`,
    sha256: `sha-${seg}-${Date.now()}`,
    byteSize: 10,
    storageKey: 'none',
    kind: 'transcript',
    status: 'analyzed',
  });
  const result: FileResultOk = {
    file: rec.originalName,
    status: 'ok',
    kind: 'transcript',
    lexiconVersion: 'test',
    durationSec: null,
    segments: [
      { start: 0, end: 2, speaker: 'customer', text: '太贵了，再说吧', tags: [], behaviors: [] },
      { start: 2, end: 4, speaker: 'rep', text, tags: [], behaviors: ['commitment'] },
    ],
    tagCounts: {},
    commitments: [{ segment: 1, text, dueAt: dueAt.toISOString() }],
    metrics: { repTalkShare: null, longestRepMonologueSec: null, longestCustomerStorySec: null, repQuestions: 0, interactivityPerMin: null, fillerRate: 0 },
  };
  await repos.results.saveAnalysis(rec, result);
  await t.queue.enqueue('recording-followups', { recordingId: rec.id, generation: rec.generation });
  return rec;
}

async function taskFor(recordingId: string) {
  return waitFor(async () => {
    const tasks = await t.service.repos.followUps.list(tenantId, { kind: 'commitment' });
    const c = await t.service.repos.results.commitmentsFor(tenantId, recordingId);
    return tasks.find((x) => x.commitmentId === c[0]?.id);
  }, 5_000, 50);
}

describe('follow-up loop on real BullMQ delayed jobs', () => {
  it('reminds at the due time and escalates to the supervisor once overdue', async () => {
    const dueAt = new Date(Date.now() + 1500);
    const rec = await recordingWithCommitment(dueAt, '明天中午前把报价单发给您', 1);
    const task = await taskFor(rec.id);
    expect(task.dueAt!.getTime()).toBe(dueAt.getTime());
    expect(task.escalateAt!.getTime()).toBe(dueAt.getTime() + ESCALATE_MS);
    expect(task.assigneeExternalId).toBe('r01');

    const reminder = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'followup.reminder' && r.body.data.taskId === task.id);
    expect(reminder.at).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(reminder.at - dueAt.getTime()).toBeLessThan(1000);
    expect(reminder.body.data.recipients).toEqual(['r01']);
    expect(reminder.headers['x-tingjian-signature']).toMatch(/^sha256=/);

    const escalation = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'followup.escalated' && r.body.data.taskId === task.id);
    expect(escalation.at).toBeGreaterThanOrEqual(dueAt.getTime() + ESCALATE_MS);
    expect(escalation.at - (dueAt.getTime() + ESCALATE_MS)).toBeLessThan(1000);
    expect(escalation.body.data.escalatedTo).toBe('s01');
    expect(escalation.body.data.title).toContain('超时升级');

    // The same notifications went to both robots in their own formats, DingTalk signed.
    const wecom = await t.receiver.waitFor((r) => r.path === '/wecom' && r.body.text?.content.includes('超时升级'));
    expect(wecom.url).toBe('/wecom?key=k1');
    expect(wecom.body.msgtype).toBe('text');
    expect(wecom.body.text.content).toContain('已升级至：李主管');
    const ding = await t.receiver.waitFor((r) => r.path === '/dingtalk' && r.body.text?.content.includes('跟进提醒'));
    const u = new URL(ding.url, 'http://x');
    expect(u.searchParams.get('access_token')).toBe('tok');
    expect(u.searchParams.get('sign')).toBeTruthy();
    // The rep's @-mention handles come from rep_notify_handles: DingTalk rings the mobile named in the text.
    expect(ding.body.at).toEqual({ atMobiles: ['13800000001'], atUserIds: [], isAtAll: false });
    expect(ding.body.text.content.endsWith('@13800000001')).toBe(true);
    const wecomReminder = await t.receiver.waitFor((r) => r.path === '/wecom' && r.body.text?.content.includes('跟进提醒'));
    expect(wecomReminder.body.text.mentioned_list).toEqual(['zhangwei']);
    expect(wecomReminder.body.text.mentioned_mobile_list).toEqual(['13800000001']);

    const after = (await t.service.repos.followUps.getById(tenantId, task.id))!;
    expect(after.remindedAt).not.toBeNull();
    expect(after.escalatedAt).not.toBeNull();
    // The conversation's attitude estimate was stored for the customer that day.
    const scores = await t.service.repos.attitude.list(tenantId, { from: '2000-01-01', to: '2999-01-01' });
    expect(scores.some((s) => s.source === 'conversation' && s.customerId === 'C1' && s.score <= 2)).toBe(true);
  });

  it('does not escalate a task done before the escalation time, and a re-run creates no second task', async () => {
    const dueAt = new Date(Date.now() + 300);
    const rec = await recordingWithCommitment(dueAt, '下周一给您寄样品', 2);
    const task = await taskFor(rec.id);
    await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'followup.reminder' && r.body.data.taskId === task.id);
    await t.service.repos.followUps.setStatus(tenantId, task.id, 'done');
    // Run the job again in process: the queue would rightly treat the same payload as the job already done.
    await runJob('recording-followups', { recordingId: rec.id, generation: rec.generation }, t.deps, { final: true });
    // The escalation job ran at its time and found the task done.
    expect(await t.jobFinished('followup-escalate', { taskId: task.id, at: task.escalateAt!.getTime() }, ESCALATE_MS + 10_000)).toBe('completed');
    expect(t.receiver.received.filter((r) => r.path === '/crm-hook' && r.body.event === 'followup.escalated' && r.body.data.taskId === task.id)).toEqual([]);
    const c = await t.service.repos.results.commitmentsFor(tenantId, rec.id);
    expect((await t.service.repos.followUps.list(tenantId, { kind: 'commitment' })).filter((x) => x.commitmentId === c[0].id)).toHaveLength(1);
    expect((await t.service.repos.followUps.getById(tenantId, task.id))!.escalatedAt).toBeNull();
  });

  it('entering legal review tasks the legal role at once and escalates to the legal lead', async () => {
    const { repos } = t.service;
    const lead = (await repos.leads.getByExternalId(tenantId, 'L1'))!;
    for (const kind of ['email_read_receipt', 'business_license', 'authorization_letter', 'technical_agreement']) {
      await repos.leadEvidence.addAttachment({ tenantId, leadId: lead.id, kind, originalName: `${kind}.pdf`, byteSize: 1, sha256: 'x', storageKey: 'k' });
    }
    const deps = { ...t.deps, config: t.config };
    const started = Date.now();
    await changeStage(deps, tenantId, 'L1', 'legal_review', { actor: 'r01' });
    const [task] = await repos.followUps.list(tenantId, { kind: 'legal_review' });
    expect(task.assigneeRole).toBe('legal');
    expect(task.escalateTo).toBe('legal_lead');
    const reminder = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'followup.reminder' && r.body.data.taskId === task.id);
    expect(reminder.body.data.recipients).toEqual(['lg1']);
    expect(reminder.at - started).toBeLessThan(1000);
    const esc = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'followup.escalated' && r.body.data.taskId === task.id);
    expect(esc.body.data.escalatedTo).toBe('lg0');
    expect(esc.at - started).toBeGreaterThanOrEqual(ESCALATE_MS);
    const changed = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'lead.stage_changed');
    expect(changed.body.data).toMatchObject({ leadId: 'L1', from: 'new_lead', to: 'legal_review' });
  });

  it('warns owner and supervisor when a lead overstays its stage standard, not when it moved on in time', async () => {
    const { repos } = t.service;
    const deps = { ...t.deps, config: t.config };
    await repos.leadEvidence.saveSettings(tenantId, { dwellHours: { needs_confirmed: 1000 / 3_600_000 } });
    await repos.leads.upsert(tenantId, 'L2', { customerExternalId: 'C1', ownerRepExternalId: 'r01' });
    await repos.leads.upsert(tenantId, 'L3', { customerExternalId: 'C1', ownerRepExternalId: 'r01' });
    const started = Date.now();
    await changeStage(deps, tenantId, 'L2', 'needs_confirmed');
    await changeStage(deps, tenantId, 'L3', 'needs_confirmed');
    await changeStage(deps, tenantId, 'L3', 'proposal_sent');
    const warn = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'lead.stage_overdue');
    expect(warn.at - started).toBeGreaterThanOrEqual(1000);
    expect(warn.body.data).toMatchObject({ leadId: 'L2', stage: 'needs_confirmed', recipients: ['r01', 's01'] });
    // L3's warning, scheduled for when it entered needs_confirmed, ran and found the lead moved on.
    const l3 = (await repos.leads.getByExternalId(tenantId, 'L3'))!;
    const l3Events = await repos.leads.stageEvents(tenantId, l3.id);
    const entered = l3Events.find((e) => e.toStage === 'needs_confirmed')!.at;
    const due = stageDueAt({ stage: 'needs_confirmed', at: entered }, resolveDwellStandards({ needs_confirmed: 1000 / 3_600_000 }))!;
    expect(await t.jobFinished('lead-stage-overdue', { leadId: l3.id, at: due.getTime() })).toBe('completed');
    expect(t.receiver.received.filter((r) => r.path === '/crm-hook' && r.body.event === 'lead.stage_overdue').map((r) => r.body.data.leadId)).toEqual(['L2']);
  });

  it('retries a robot message the robot refused (errcode ≠ 0) until it is accepted', async () => {
    const { repos } = t.service;
    const deps = { ...t.deps, config: t.config };
    // Robot messages of the earlier tests go out first: robot-delivery reads the URL when it sends.
    await waitFor(async () => (await repos.handovers.robotMessages(tenantId)).every((m) => m.status !== 'pending'), 10_000, 50);
    await repos.leadEvidence.saveSettings(tenantId, { wecomWebhookUrl: `${t.receiver.url}/reject-first/wecom?key=k2`, dingtalkWebhookUrl: null, robotFormat: 'markdown' });
    await repos.leads.upsert(tenantId, 'L4', { customerExternalId: 'C1', ownerRepExternalId: 'r01' });
    await changeStage(deps, tenantId, 'L4', 'lost', { actor: 'r01' });
    const hits = async () => t.receiver.received.filter((r) => r.path === '/reject-first/wecom');
    await waitFor(async () => (await hits()).length >= 2, 5_000, 50);
    const [first, second] = await hits();
    expect(second.body).toEqual(first.body);
    expect(first.body.msgtype).toBe('markdown');
    expect(first.body.markdown.content).toContain('**【阶段变更】线索 L4');
    const [msg] = (await repos.handovers.robotMessages(tenantId)).filter((m) => (m.body as { markdown?: { content: string } }).markdown?.content.includes('L4'));
    await waitFor(async () => (await repos.handovers.robotMessage(msg.id))!.status === 'sent', 5_000, 50);
    expect(await repos.handovers.robotMessage(msg.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('reschedules: the old delayed jobs do nothing, the reminder comes at the new due time, once', async () => {
    const rec = await recordingWithCommitment(new Date(Date.now() + 400), '周三上午去现场调试', 3);
    const task = await taskFor(rec.id);
    const newDue = new Date(Date.now() + 1600);
    await rescheduleTask({ ...t.deps, config: t.config }, tenantId, task.id, newDue);
    const reminder = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'followup.reminder' && r.body.data.taskId === task.id);
    expect(reminder.at).toBeGreaterThanOrEqual(newDue.getTime());
    expect(reminder.body.data.dueAt).toBe(newDue.toISOString());
    // The reminder scheduled for the old due time ran and found it moved.
    expect(await t.jobFinished('followup-remind', { taskId: task.id, at: task.remindAt!.getTime() })).toBe('completed');
    expect(t.receiver.received.filter((r) => r.path === '/crm-hook' && r.body.event === 'followup.reminder' && r.body.data.taskId === task.id)).toHaveLength(1);
  });
});
