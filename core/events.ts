/**
 * Every webhook event the product emits, with its Chinese name: the emitters (workers, leads notifications), the
 * subscription route and the docs all read this one list.
 */
export const WEBHOOK_EVENTS = [
  'recording.analyzed',
  'recording.failed',
  'followup.reminder',
  'followup.escalated',
  'lead.stage_changed',
  'lead.stage_overdue',
  'attitude.red_flag',
  'handover.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  'recording.analyzed': '录音分析完成',
  'recording.failed': '录音处理失败',
  'followup.reminder': '跟进提醒',
  'followup.escalated': '跟进超时升级',
  'lead.stage_changed': '线索阶段变更',
  'lead.stage_overdue': '线索阶段超时',
  'attitude.red_flag': '客户态度预警',
  'handover.created': '离职交接',
};

/** A subscription to every event, present and future. */
export const ALL_EVENTS = '*';

export function isWebhookEvent(s: unknown): s is WebhookEvent {
  return typeof s === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(s);
}
