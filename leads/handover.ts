import { CATEGORY_LABELS, type CategoryId } from '../core/categories.ts';
import { DEFAULT_TIMING, type FollowUpTiming, type TaskPlan } from './followups.ts';
import { STAGE_LABELS, type StageId } from '../core/stages.ts';
import { addHours } from '../core/time.ts';

export interface HandoverVisit {
  recordingId: string;
  recordedAt: Date;
  tagCounts: Partial<Record<CategoryId, number>>;
}
export interface HandoverContact {
  name: string;
  role: string | null;
  /** Topics this person raised; empty when unknown. */
  caresAbout: CategoryId[];
}
export interface HandoverCustomer {
  customerId: string;
  name: string | null;
  customerType: string | null;
  profileTags: string[];
  leads: Array<{ leadId: string; stage: StageId }>;
  visits: HandoverVisit[];
  contacts: HandoverContact[];
  openCommitments: Array<{ taskId: string; title: string; dueAt: Date }>;
  lastAttitude: { day: string; score: number } | null;
}

export interface Dossier {
  customerId: string;
  customerName: string | null;
  customerType: string | null;
  fromRepId: string;
  toRepId: string;
  handedOverAt: string;
  profileTags: string[];
  leads: Array<{ leadId: string; stage: StageId; stageLabel: string }>;
  recentVisits: Array<{ recordingId: string; recordedAt: string; topTags: Array<{ category: CategoryId; label: string; count: number }> }>;
  /** What the customer kept raising across the recent visits, most frequent first. */
  caresAbout: Array<{ category: CategoryId; label: string; count: number }>;
  decisionMakers: Array<{ name: string; role: string | null; caresAbout: string[] }>;
  openCommitments: Array<{ taskId: string; title: string; dueAt: string }>;
  lastAttitude: { day: string; score: number } | null;
  /** Summary lines in Chinese for the successor's first read. */
  summary: string[];
  checklist: TaskPlan[];
}

const RECENT_VISITS = 5;

function topTags(counts: Partial<Record<CategoryId, number>>, n: number) {
  return (Object.entries(counts) as Array<[CategoryId, number]>)
    .filter(([, c]) => c > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, n)
    .map(([category, count]) => ({ category, label: CATEGORY_LABELS[category] ?? category, count }));
}

/**
 * The hand-over dossier for one customer of a departed rep, with the three must-do checklist items of the article
 * as follow-up tasks for the successor: first contact within 72 h, update the profile tags, restate the service
 * commitments (the open promises are listed so the successor knows what to restate).
 */
export function buildDossier(
  customer: HandoverCustomer,
  from: { repId: string },
  to: { repId: string },
  at: Date,
  timing: FollowUpTiming = DEFAULT_TIMING,
): Dossier {
  const visits = [...customer.visits].sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime()).slice(0, RECENT_VISITS);
  const totals: Partial<Record<CategoryId, number>> = {};
  for (const v of visits) for (const [c, n] of Object.entries(v.tagCounts) as Array<[CategoryId, number]>) totals[c] = (totals[c] ?? 0) + n;
  const caresAbout = topTags(totals, 5);
  const name = customer.name ?? customer.customerId;

  const task = (kind: TaskPlan['kind'], title: string, detail: string | null, dueHours: number): TaskPlan => {
    const dueAt = addHours(at, dueHours);
    return {
      kind,
      title,
      detail,
      repId: to.repId,
      leadId: customer.leads.find((l) => l.stage !== 'won' && l.stage !== 'lost')?.leadId ?? null,
      customerId: customer.customerId,
      recordingId: null,
      assignee: { type: 'rep', repId: to.repId },
      openedAt: at,
      dueAt,
      dueInferred: false,
      remindAt: dueAt,
      escalateAt: addHours(dueAt, timing.escalateAfterHours),
      escalateTo: { type: 'supervisor', ofRepId: to.repId },
    };
  };
  const commitmentsText = customer.openCommitments.map((c) => c.title).join('；');
  const checklist = [
    task('handover_first_contact', `72 小时内首次触达客户「${name}」`, '电话或拜访，自我介绍并确认对接人', timing.handoverFirstContactHours),
    task('handover_update_tags', `更新客户「${name}」的画像标签`, caresAbout.length ? `近期关注：${caresAbout.map((c) => c.label).join('、')}` : null, timing.handoverFollowUpHours),
    task(
      'handover_restate_commitments',
      `向客户「${name}」重申服务承诺`,
      customer.openCommitments.length ? `未决承诺：${commitmentsText}` : '无未决承诺，重申服务标准即可',
      timing.handoverFollowUpHours,
    ),
  ];

  const openLeads = customer.leads.filter((l) => l.stage !== 'won' && l.stage !== 'lost');
  const summary = [
    `客户「${name}」${customer.customerType ? `（${customer.customerType}）` : ''}由 ${from.repId} 交接给 ${to.repId}`,
    openLeads.length ? `进行中线索：${openLeads.map((l) => `${l.leadId}（${STAGE_LABELS[l.stage]}）`).join('、')}` : '无进行中线索',
    `近 ${visits.length} 次拜访${caresAbout.length ? `，客户最关注：${caresAbout.map((c) => `${c.label}×${c.count}`).join('、')}` : ''}`,
    customer.openCommitments.length ? `未兑现承诺 ${customer.openCommitments.length} 项：${commitmentsText}` : '无未兑现承诺',
    customer.lastAttitude ? `最近态度评分：${customer.lastAttitude.score} 分（${customer.lastAttitude.day}）` : '暂无态度评分',
  ];

  return {
    customerId: customer.customerId,
    customerName: customer.name,
    customerType: customer.customerType,
    fromRepId: from.repId,
    toRepId: to.repId,
    handedOverAt: at.toISOString(),
    profileTags: customer.profileTags,
    leads: customer.leads.map((l) => ({ ...l, stageLabel: STAGE_LABELS[l.stage] })),
    recentVisits: visits.map((v) => ({ recordingId: v.recordingId, recordedAt: v.recordedAt.toISOString(), topTags: topTags(v.tagCounts, 3) })),
    caresAbout,
    decisionMakers: customer.contacts.map((c) => ({ name: c.name, role: c.role, caresAbout: c.caresAbout.map((k) => CATEGORY_LABELS[k] ?? k) })),
    openCommitments: customer.openCommitments.map((c) => ({ taskId: c.taskId, title: c.title, dueAt: c.dueAt.toISOString() })),
    lastAttitude: customer.lastAttitude,
    summary,
    checklist,
  };
}
