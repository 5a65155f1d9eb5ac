import type { WebhookEvent } from '../../core/events.ts';

/**
 * The delayed work the lead services hand off. Each instant is part of the job, so a task or stage whose times
 * moved leaves its old jobs stale (they find a mismatch and do nothing). workers/ports.ts implements it on the
 * job queue; a unit test can record the calls.
 */
export interface LeadScheduler {
  /** Remind a follow-up's assignee at `at` (epoch ms). */
  remindFollowUp(taskId: string, at: number): Promise<void>;
  /** Tell the supervisor (or legal lead) at `at` if the follow-up is still open. */
  escalateFollowUp(taskId: string, at: number): Promise<void>;
  /** Warn at `at` if the lead is still in the stage whose standard dwell ends then. */
  warnStageOverdue(leadId: string, at: number): Promise<void>;
  /** Send a stored 企业微信 / 钉钉 robot message, retried until delivered. */
  deliverRobotMessage(messageId: string): Promise<void>;
}

/** Webhook events to the tenant's subscriptions: each delivery is logged, signed and sent at least once. */
export interface EventPublisher {
  publish(tenantId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<void>;
}
