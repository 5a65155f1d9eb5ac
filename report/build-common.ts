import { formatPhiCount, PHI_WITHHELD_LABELS, type PhiScore } from '../leads/phi.ts';
import { DEFAULT_TIMING, taskState, type TaskKind } from '../leads/followups.ts';
import { TASK_KIND_LABELS } from '../leads/messages.ts';
import { shanghaiDay } from '../core/time.ts';
import { dateTime } from './html.ts';
import { links } from './links.ts';
import type { ReportData, ReportRecording, ReportTask } from './report-data.ts';
import type { FollowUpVM, PageMeta, PhiVM, RecordingLinkVM } from './view-models.ts';

const HOUR = 3_600_000;
/** The report has no tenant timing at hand; it shows escalation by the same default the follow-up loop uses. */
const ESCALATE_AFTER_HOURS = DEFAULT_TIMING.escalateAfterHours;

export interface Lookup {
  data: ReportData;
  repName: (id: string | null) => string;
  customer: (id: string | null) => { name: string; customerType: string | null };
  recording: Map<string, ReportRecording>;
  meta: PageMeta;
}

/**
 * Names and page meta for one report. The header's moment is `data.asOf`, the one every overdue and dwell figure is
 * measured to, so "已超 15 小时" and the header can never disagree.
 */
export function lookup(data: ReportData): Lookup {
  const reps = new Map(data.reps.map((r) => [r.id, r]));
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  return {
    data,
    repName: (id) => (id ? (reps.get(id)?.name ?? id) : '—'),
    customer: (id) => {
      const c = id ? customers.get(id) : undefined;
      return { name: c?.name ?? id ?? '—', customerType: c?.customerType ?? null };
    },
    recording: new Map(data.recordings.map((r) => [r.id, r])),
    meta: {
      tenantName: data.tenantName,
      asOf: dateTime(data.asOf.toISOString()),
      period: { from: shanghaiDay(data.window.from), to: shanghaiDay(new Date(data.window.to.getTime() - 1)) },
      notes: data.notes,
      homeHref: links.home(),
    },
  };
}

/** A PHI score as the pages show it; null only when the rep had nothing at all in the period. */
export function phiVM(s: PhiScore | undefined): PhiVM | null {
  if (!s) return null;
  const c = s.components;
  return {
    score: s.phi,
    level: s.level,
    withheld: s.withheld ? PHI_WITHHELD_LABELS[s.withheld] : null,
    stageOnTime: c.stageOnTime.rate,
    collabOnTime: c.collaborationOnTime.rate,
    traceRate: c.touchpointTrace.rate,
    counts: {
      stageOnTime: formatPhiCount('stageOnTime', c.stageOnTime),
      collabOnTime: formatPhiCount('collaborationOnTime', c.collaborationOnTime),
      traceRate: formatPhiCount('touchpointTrace', c.touchpointTrace),
    },
    basis: s.basis.text,
    partial: s.phi !== null && s.basis.components.length < 3,
  };
}

export function followUpVM(t: ReportTask, lk: Lookup): FollowUpVM {
  const asOf = lk.data.asOf;
  const due = t.dueAt;
  let status: FollowUpVM['status'];
  let hoursLate: number | null = null;
  if (t.doneAt) {
    const late = due ? (t.doneAt.getTime() - due.getTime()) / HOUR : 0;
    status = late > 0 ? 'done_late' : 'done';
    hoursLate = late > 0 ? late : null;
  } else {
    const state = due ? taskState({ dueAt: due, escalateAt: new Date(due.getTime() + ESCALATE_AFTER_HOURS * HOUR), doneAt: null }, asOf) : 'open';
    status = state === 'open' ? 'open' : 'overdue';
    hoursLate = status === 'overdue' && due ? (asOf.getTime() - due.getTime()) / HOUR : null;
  }
  return {
    id: t.id,
    repId: t.repId,
    repName: lk.repName(t.repId),
    customerName: lk.customer(t.customerId).name,
    kind: TASK_KIND_LABELS[t.kind as TaskKind] ?? t.kind,
    text: t.title.replace(/^兑现承诺：/, ''),
    dueAt: due ? due.toISOString() : null,
    status,
    hoursLate,
    escalated: t.escalatedAt != null || (status === 'overdue' && (hoursLate ?? 0) >= ESCALATE_AFTER_HOURS),
    evidenceHref: t.recordingId ? links.recording(t.recordingId, t.segmentIndex) : null,
    evidenceAudio: t.recordingId ? lk.recording.get(t.recordingId)?.audioHref != null : false,
  };
}

/** Open work first, the longest overdue at the top. */
export function openFollowUps(tasks: ReportTask[], lk: Lookup): FollowUpVM[] {
  return tasks
    .filter((t) => !t.cancelled && !t.doneAt)
    .map((t) => followUpVM(t, lk))
    .sort((a, b) => (b.hoursLate ?? -1) - (a.hoursLate ?? -1) || String(a.dueAt).localeCompare(String(b.dueAt)));
}

/** Who moved a lead, in words: the system, a rep by name, or an API key by its role; a CRM name stays as given. */
export function actorLabel(actor: string | null, lk: Lookup): string | null {
  if (!actor) return null;
  if (actor === 'system') return '系统';
  const key = /^(admin|integration|trainer|rep):([0-9a-f]{4,})$/.exec(actor);
  if (key) return `${KEY_ROLE_LABELS[key[1]]}（密钥 ${key[2]}）`;
  return lk.data.reps.some((r) => r.id === actor) ? lk.repName(actor) : actor;
}

const KEY_ROLE_LABELS: Record<string, string> = { admin: '管理员', integration: 'CRM 集成', trainer: '培训师', rep: '销售' };

export function recordingTitle(r: ReportRecording, lk: Lookup): string {
  return `${shanghaiDay(r.recordedAt)} ${lk.customer(r.customerId).name}`;
}

export function recordingLinks(recs: ReportRecording[], lk: Lookup): RecordingLinkVM[] {
  return [...recs]
    .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())
    .map((r) => ({
      id: r.id,
      title: recordingTitle(r, lk),
      recordedAt: r.recordedAt.toISOString(),
      customerName: lk.customer(r.customerId).name,
      kind: r.kind,
      status: r.status === 'analyzed' ? '已分析' : r.status === 'failed' ? '失败' : '处理中',
      tagCount: r.analysis ? Object.values(r.analysis.tagCounts).reduce((a, b) => a + (b ?? 0), 0) : 0,
      href: links.recording(r.id),
    }));
}
