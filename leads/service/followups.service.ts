import { NotFoundError, ConflictError } from '../../core/errors.ts';
import type { FollowUpRow, FollowUpView } from '../../db/repositories/followups.repository.ts';
import { estimateAttitude } from '../attitude.ts';
import { tasksFromCommitments, type TaskKind, type TaskPlan } from '../followups.ts';
import { escalationNotification, reminderNotification, type TaskView } from '../messages.ts';
import { shanghaiDay } from '../../core/time.ts';
import { raiseRedFlags } from './attitude.service.ts';
import { timingFrom, type LeadDeps } from './deps.ts';
import { notify, recipientOf } from './notify.service.ts';

/** Internal ids for what a plan names by role; plans themselves speak in the ids of whoever made them. */
export interface PlanIds {
  repId: string | null;
  leadId: string | null;
  customerId: string | null;
  commitmentId?: string | null;
  handoverId?: string | null;
}

/** Stores planned tasks and schedules their reminder and escalation. */
export async function saveTasks(deps: LeadDeps, tenantId: string, items: Array<{ plan: TaskPlan; ids: PlanIds }>): Promise<FollowUpRow[]> {
  const rows = await deps.repos.followUps.insertMany(
    items.map(({ plan, ids }) => ({
      tenantId,
      commitmentId: ids.commitmentId ?? null,
      leadId: ids.leadId,
      customerId: ids.customerId,
      assigneeRepId: ids.repId,
      assigneeRole: plan.assignee.type === 'role' ? plan.assignee.role : null,
      kind: plan.kind,
      title: plan.title,
      detail: plan.detail,
      dueAt: plan.dueAt,
      dueInferred: plan.dueInferred,
      remindAt: plan.remindAt,
      escalateAt: plan.escalateAt,
      escalateTo: plan.escalateTo.type === 'supervisor' ? 'supervisor' : plan.escalateTo.role,
      handoverId: ids.handoverId ?? null,
      createdAt: plan.openedAt,
    })),
  );
  for (const row of rows) await scheduleTask(deps, row);
  return rows;
}

/** One delayed job per action (see LeadScheduler: a moved task leaves its old jobs stale). */
export async function scheduleTask(deps: LeadDeps, task: Pick<FollowUpRow, 'id' | 'status' | 'remindAt' | 'escalateAt' | 'remindedAt' | 'escalatedAt'>): Promise<void> {
  if (task.status !== 'open') return;
  if (task.remindAt && !task.remindedAt) await deps.scheduler.remindFollowUp(task.id, task.remindAt.getTime());
  if (task.escalateAt && !task.escalatedAt) await deps.scheduler.escalateFollowUp(task.id, task.escalateAt.getTime());
}

/** What a notification says about a task, in the CRM's ids (the job's one read of the task carries them). */
function taskView(task: FollowUpView): TaskView {
  return {
    id: task.id,
    kind: task.kind as TaskKind,
    title: task.title,
    repId: task.assigneeExternalId ?? '',
    leadId: task.leadExternalId,
    customerId: task.customerExternalId,
    dueAt: task.dueAt ?? task.remindAt ?? task.createdAt,
  };
}

/** Who does a task: its rep, or every active rep holding its role (e.g. the tenant's legal staff). */
async function assignees(deps: LeadDeps, task: FollowUpRow) {
  if (task.assigneeRole) return deps.repos.reps.listActiveWithTitle(task.tenantId, task.assigneeRole);
  if (!task.assigneeRepId) return [];
  const rep = await deps.repos.reps.getById(task.tenantId, task.assigneeRepId);
  return rep ? [rep] : [];
}

/** The reminder at due time: the assignee is told once, however often the job runs. */
export async function remindTask(deps: LeadDeps, taskId: string, scheduledAt: number): Promise<'sent' | 'stale'> {
  const task = await deps.repos.followUps.getForJob(taskId);
  if (!task || task.status !== 'open' || task.remindAt?.getTime() !== scheduledAt) return 'stale';
  const people = await assignees(deps, task);
  const view = taskView(task);
  if (!(await deps.repos.followUps.markReminded(task.id, new Date()))) return 'stale';
  const to = people.length ? people.map(recipientOf) : [{ id: task.assigneeRole ?? 'unassigned', name: task.assigneeRole ?? '未指定' }];
  const n = reminderNotification(view, to[0]);
  n.recipients = to;
  await notify(deps, task.tenantId, n);
  return 'sent';
}

/** The escalation: supervisor of the assignee, or the role named in escalate_to (legal_lead). */
export async function escalateTask(deps: LeadDeps, taskId: string, scheduledAt: number): Promise<'sent' | 'stale'> {
  const task = await deps.repos.followUps.getForJob(taskId);
  if (!task || task.status !== 'open' || task.escalateAt?.getTime() !== scheduledAt) return 'stale';
  const owner = task.assigneeRepId ? await deps.repos.reps.getById(task.tenantId, task.assigneeRepId) : undefined;
  let targets: Array<{ externalId: string; name: string | null }> = [];
  if (task.escalateTo === 'supervisor') {
    const sup = owner?.supervisorId ? await deps.repos.reps.getById(task.tenantId, owner.supervisorId) : undefined;
    if (sup) targets = [sup];
  } else if (task.escalateTo) {
    targets = await deps.repos.reps.listActiveWithTitle(task.tenantId, task.escalateTo);
  }
  if (!(await deps.repos.followUps.markEscalated(task.id, new Date()))) return 'stale';
  const view = taskView(task);
  const overdueHours = (Date.now() - view.dueAt.getTime()) / 3_600_000;
  const to = targets.length ? targets.map(recipientOf) : [{ id: task.escalateTo ?? 'supervisor', name: task.escalateTo === 'legal_lead' ? '法务负责人' : '销售主管' }];
  if (!targets.length) deps.log.warn({ taskId, escalateTo: task.escalateTo }, 'escalation target not configured; sent to webhooks only');
  const n = escalationNotification(view, owner ? recipientOf(owner) : null, to[0], overdueHours);
  n.recipients = targets.length ? to : [];
  await notify(deps, task.tenantId, n);
  return 'sent';
}

/**
 * After analysis: a follow-up task per commitment of the recording (due at the parsed time) and the conversation's
 * attitude estimate for the customer that day. Idempotent: tasks hang off commitment ids, the estimate upserts.
 */
export async function recordingFollowups(deps: LeadDeps, recordingId: string): Promise<{ tasks: number; attitude: number | null }> {
  const rec = await deps.repos.recordings.getForJob(recordingId);
  if (!rec) return { tasks: 0, attitude: null };
  const analysis = await deps.repos.results.getAnalysis(rec.tenantId, rec.id);
  if (!analysis) throw new ConflictError('no_analysis', '录音尚未分析完成 / recording has no analysis yet');
  const commitments = await deps.repos.results.commitmentsFor(rec.tenantId, rec.id);
  const recordedAt = rec.recordedAt ?? rec.createdAt;
  const timing = timingFrom(deps.config);
  const items = commitments.map((c) => {
    const [plan] = tasksFromCommitments(
      [{ segment: c.segmentIndex ?? 0, text: c.text, dueAt: c.dueAt ? c.dueAt.toISOString() : null, by: c.by }],
      { repId: rec.repId, leadId: rec.leadId, customerId: rec.customerId, recordingId: rec.id, recordedAt },
      timing,
    );
    return { plan, ids: { repId: rec.repId, leadId: rec.leadId, customerId: rec.customerId, commitmentId: c.id } };
  });
  const rows = await saveTasks(deps, rec.tenantId, items);
  // A re-analysis may have found a kept promise's deadline more precisely: its open task moves with it.
  for (const { plan, ids } of items) {
    const row = rows.find((r) => r.commitmentId === ids.commitmentId);
    if (row && row.status === 'open' && row.dueAt?.getTime() !== plan.dueAt.getTime()) await rescheduleTask(deps, rec.tenantId, row.id, plan.dueAt);
  }

  let attitude: number | null = null;
  const estimate = rec.customerId ? estimateAttitude(analysis.result) : null;
  if (estimate && rec.customerId) {
    attitude = estimate.score;
    await deps.repos.attitude.upsert([
      {
        tenantId: rec.tenantId,
        customerId: rec.customerId,
        repId: rec.repId,
        day: shanghaiDay(recordedAt),
        score: estimate.score,
        source: 'conversation',
        sourceKey: `rec:${rec.id}`,
        recordingId: rec.id,
        interactions: 0,
      },
    ]);
    const customer = await deps.repos.customers.getById(rec.tenantId, rec.customerId);
    if (customer) await raiseRedFlags(deps, rec.tenantId, [customer.id], new Set([`${customer.externalId}\u0000${shanghaiDay(recordedAt)}`]));
  }
  return { tasks: rows.length, attitude };
}

/**
 * A new due time for an open task (the customer moved the meeting, say): reminder then, escalation
 * `escalateAfterHours` later, both rescheduled; a role task keeps reminding at the new due time.
 */
export async function rescheduleTask(deps: LeadDeps, tenantId: string, taskId: string, dueAt: Date): Promise<FollowUpRow> {
  const task = await deps.repos.followUps.getById(tenantId, taskId);
  if (!task) throw new NotFoundError('task_not_found', '任务 task not found / 未找到');
  if (task.status !== 'open') throw new ConflictError('task_closed', `任务已${task.status === 'done' ? '完成' : '取消'}，不能改期 / task is ${task.status}`);
  const escalateAt = new Date(dueAt.getTime() + timingFrom(deps.config).escalateAfterHours * 3_600_000);
  const row = await deps.repos.followUps.reschedule(tenantId, taskId, { dueAt, remindAt: dueAt, escalateAt });
  if (!row) throw new ConflictError('task_closed', '任务已关闭 / task is closed');
  await scheduleTask(deps, row);
  return row;
}
