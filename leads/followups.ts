import type { Commitment } from '../analyze/types.ts';
import { addHours } from '../core/time.ts';

/** Hours that govern the follow-up loop; tenant- and test-configurable (tests use fractions of a second). */
export interface FollowUpTiming {
  /** Overdue time after which the supervisor / legal lead is told (article: 48 h). */
  escalateAfterHours: number;
  /** Due time given to a promise whose time could not be parsed. */
  defaultDueHours: number;
  /** Hand-over: first contact with each customer within this many hours (article: 72 h). */
  handoverFirstContactHours: number;
  /** Hand-over: profile tags and restated commitments are due by then. */
  handoverFollowUpHours: number;
}
export const DEFAULT_TIMING: FollowUpTiming = {
  escalateAfterHours: 48,
  defaultDueHours: 24,
  handoverFirstContactHours: 72,
  handoverFollowUpHours: 7 * 24,
};

export const TASK_KINDS = [
  'commitment',
  'customer_promise',
  'legal_review',
  'handover_first_contact',
  'handover_update_tags',
  'handover_restate_commitments',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Kinds that are cross-department collaboration events (PHI's collaboration on-time rate). */
export const COLLABORATION_KINDS: ReadonlySet<TaskKind> = new Set(['legal_review']);

export type Assignee = { type: 'rep'; repId: string } | { type: 'role'; role: 'legal' };
export type EscalationTarget = { type: 'supervisor'; ofRepId: string } | { type: 'role'; role: 'legal_lead' };

/** A task to store; the I/O layer gives it an id and schedules its reminder and escalation as delayed jobs. */
export interface TaskPlan {
  kind: TaskKind;
  title: string;
  detail: string | null;
  repId: string;
  leadId: string | null;
  customerId: string | null;
  recordingId: string | null;
  assignee: Assignee;
  /** When the obligation arose (the conversation, the stage entry, the departure): the task's creation time, so
   * imported history and late-processed recordings are measured from when things happened, not when stored. */
  openedAt: Date;
  dueAt: Date;
  /** True when the due time was not stated and DEFAULT_TIMING.defaultDueHours applied. */
  dueInferred: boolean;
  remindAt: Date;
  escalateAt: Date;
  escalateTo: EscalationTarget;
}

export interface CommitmentContext {
  repId: string;
  leadId: string | null;
  customerId: string | null;
  recordingId: string | null;
  /** When the conversation happened; the base for promises without a time. */
  recordedAt: Date;
}

/**
 * One follow-up task per commitment the analysis found, due at the parsed time, the rep reminded then, the
 * supervisor told once it is `escalateAfterHours` overdue. A rep's promise is a task to keep it; a customer's promise
 * (客户：我下周一给你答复) is a task for the rep to check back that day if nothing has come, marked as the customer's.
 */
export function tasksFromCommitments(commitments: Commitment[], ctx: CommitmentContext, timing: FollowUpTiming = DEFAULT_TIMING): TaskPlan[] {
  return commitments.map((c) => {
    const parsed = c.dueAt ? new Date(c.dueAt) : null;
    const valid = parsed !== null && !Number.isNaN(parsed.getTime());
    const dueAt = valid ? parsed : addHours(ctx.recordedAt, timing.defaultDueHours);
    const customers = c.by === 'customer';
    const untimed = `录音中的承诺未写明时间，默认 ${timing.defaultDueHours} 小时内完成`;
    return {
      kind: customers ? 'customer_promise' : 'commitment',
      title: customers ? `回访客户承诺：${c.text}` : `兑现承诺：${c.text}`,
      detail: customers ? `这是客户的承诺：到期仍未收到，请主动联系客户确认。${valid ? '' : untimed}` : valid ? null : untimed,
      repId: ctx.repId,
      leadId: ctx.leadId,
      customerId: ctx.customerId,
      recordingId: ctx.recordingId,
      assignee: { type: 'rep', repId: ctx.repId },
      openedAt: ctx.recordedAt,
      dueAt,
      dueInferred: !valid,
      remindAt: dueAt,
      escalateAt: addHours(dueAt, timing.escalateAfterHours),
      escalateTo: { type: 'supervisor', ofRepId: ctx.repId },
    };
  });
}

/**
 * Entering 法务初审中 opens a task for the tenant's legal role (reminded at once, copying the rep's supervisor)
 * and escalates it to the legal lead when still open after `escalateAfterHours`.
 */
export function legalReviewTask(
  lead: { leadId: string; repId: string; customerId: string | null; customerName?: string | null },
  enteredAt: Date,
  timing: FollowUpTiming = DEFAULT_TIMING,
): TaskPlan {
  const dueAt = addHours(enteredAt, timing.escalateAfterHours);
  return {
    kind: 'legal_review',
    title: `法务初审：线索 ${lead.leadId}${lead.customerName ? `（${lead.customerName}）` : ''}`,
    detail: '营业执照、授权书、技术协议已随阶段变更上传，请在 48 小时内完成初审',
    repId: lead.repId,
    leadId: lead.leadId,
    customerId: lead.customerId,
    recordingId: null,
    assignee: { type: 'role', role: 'legal' },
    openedAt: enteredAt,
    dueAt,
    dueInferred: false,
    remindAt: enteredAt,
    escalateAt: dueAt,
    escalateTo: { type: 'role', role: 'legal_lead' },
  };
}

export type TaskState = 'open' | 'overdue' | 'escalated' | 'done' | 'cancelled';

/** A task's state at `now` from its times alone (the stored status adds done/cancelled). */
export function taskState(task: { dueAt: Date; escalateAt: Date; doneAt: Date | null; cancelledAt?: Date | null }, now: Date): TaskState {
  if (task.cancelledAt) return 'cancelled';
  if (task.doneAt) return 'done';
  if (now >= task.escalateAt) return 'escalated';
  if (now > task.dueAt) return 'overdue';
  return 'open';
}

/** The delayed actions for one task: the I/O layer turns each into a BullMQ delayed job keyed by task and type. */
export function taskSchedule(task: { remindAt: Date; escalateAt: Date }, now: Date): Array<{ action: 'remind' | 'escalate'; at: Date; delayMs: number }> {
  return [
    { action: 'remind' as const, at: task.remindAt },
    { action: 'escalate' as const, at: task.escalateAt },
  ].map((s) => ({ ...s, delayMs: Math.max(0, s.at.getTime() - now.getTime()) }));
}
