import type { TaskKind } from './followups.ts';
import type { Notification, Recipient } from './notify.ts';
import { STAGE_LABELS, type StageId } from '../core/stages.ts';
import { shanghaiTime } from '../core/time.ts';

/** What each kind of follow-up task is called wherever people read it (messages, reports). */
export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  commitment: '客户承诺跟进',
  customer_promise: '客户答应事项回访',
  legal_review: '法务初审',
  handover_first_contact: '交接：72 小时内首次触达',
  handover_update_tags: '交接：更新客户画像标签',
  handover_restate_commitments: '交接：重申服务承诺',
};

export interface TaskView {
  id: string;
  kind: TaskKind;
  title: string;
  repId: string;
  leadId: string | null;
  customerId: string | null;
  dueAt: Date;
}

function taskData(t: TaskView) {
  return { taskId: t.id, kind: t.kind, title: t.title, repId: t.repId, leadId: t.leadId, customerId: t.customerId, dueAt: t.dueAt.toISOString() };
}

export function reminderNotification(t: TaskView, to: Recipient): Notification {
  return {
    event: 'followup.reminder',
    title: `【跟进提醒】${TASK_KIND_LABELS[t.kind]}`,
    lines: [t.title, `负责人：${to.name}`, `截止时间：${shanghaiTime(t.dueAt)}（北京时间）`, ...(t.leadId ? [`线索：${t.leadId}`] : [])],
    recipients: [to],
    data: { ...taskData(t), notified: to.id },
  };
}

export function escalationNotification(t: TaskView, owner: Recipient | null, to: Recipient, overdueHours: number): Notification {
  return {
    event: 'followup.escalated',
    title: `【超时升级】${TASK_KIND_LABELS[t.kind]}已逾期 ${Math.round(overdueHours)} 小时`,
    lines: [
      t.title,
      `原负责人：${owner?.name ?? '未指定'}`,
      `截止时间：${shanghaiTime(t.dueAt)}（北京时间）`,
      `已升级至：${to.name}，请督促处理`,
      ...(t.leadId ? [`线索：${t.leadId}`] : []),
    ],
    recipients: [to],
    data: { ...taskData(t), escalatedTo: to.id, overdueHours },
  };
}

export function stageChangedNotification(lead: { leadId: string; repId: string }, from: StageId, to: StageId, by: string | null): Notification {
  return {
    event: 'lead.stage_changed',
    title: `【阶段变更】线索 ${lead.leadId}：${STAGE_LABELS[from]} → ${STAGE_LABELS[to]}`,
    lines: [`销售：${lead.repId}`, ...(by ? [`操作人：${by}`] : [])],
    recipients: [],
    data: { leadId: lead.leadId, repId: lead.repId, from, to, by },
  };
}

export function redFlagNotification(customer: { customerId: string; name?: string | null }, days: string[], scores: number[], to: Recipient[]): Notification {
  return {
    event: 'attitude.red_flag',
    title: `【客户预警】${customer.name ?? customer.customerId} 连续 ${days.length} 天态度评分 ≤ 2`,
    lines: [days.map((d, i) => `${d}: ${scores[i]} 分`).join('；'), '建议主管尽快介入'],
    recipients: to,
    data: { customerId: customer.customerId, days, scores },
  };
}

export function handoverNotification(from: { repId: string; name: string }, successor: Recipient, customers: number, tasks: number): Notification {
  return {
    event: 'handover.created',
    title: `【客户交接】${from.name} 名下 ${customers} 个客户已交接给 ${successor.name}`,
    lines: [`已生成 ${tasks} 项承接任务（72 小时内首次触达、更新客户画像标签、重申服务承诺）`],
    recipients: [successor],
    data: { fromRepId: from.repId, successorRepId: successor.id, customers, tasks },
  };
}

export function stageOverdueNotification(
  lead: { leadId: string; repId: string },
  stage: StageId,
  enteredAt: Date,
  standardHours: number,
  to: Recipient[],
): Notification {
  return {
    event: 'lead.stage_overdue',
    title: `【阶段超时】线索 ${lead.leadId} 在「${STAGE_LABELS[stage]}」停留已超过标准 ${standardHours} 小时`,
    lines: [`进入时间：${shanghaiTime(enteredAt)}（北京时间）`, `销售：${lead.repId}`, '请推进或说明原因'],
    recipients: to,
    data: { leadId: lead.leadId, repId: lead.repId, stage, enteredAt: enteredAt.toISOString(), standardHours },
  };
}
