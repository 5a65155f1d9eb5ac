import { formatPhi, formatPhiRate } from '../leads/phi.ts';
import { dateTime, duration, esc, money } from './html.ts';
import { PHI_LEVEL_STYLE } from './labels.ts';
import { dataTable, type Column } from './table.ts';
import type { FindingVM, FollowUpStatus, FollowUpVM, LeadLinkVM, MiningVM, PhiVM, RecordingLinkVM } from './view-models.ts';

/** Pieces of markup more than one page uses. */

const FOLLOW_UP_STATUS: Record<FollowUpStatus, string> = {
  open: '待完成',
  overdue: '已逾期',
  done: '按时完成',
  done_late: '逾期完成',
};

export function followUpStatusLabel(s: FollowUpStatus): string {
  return FOLLOW_UP_STATUS[s];
}

/** The level as a word on its colour; with `score`, the score too (tables, where nothing else shows it). */
export function phiBadge(phi: PhiVM | null, opts: { score?: boolean } = {}): string {
  if (!phi) return '<span class="badge muted">无数据</span>';
  if (phi.score === null || phi.level === null) return `<span class="badge muted" title="${esc(phi.basis)}">${esc(phi.withheld ?? '数据不足')}</span>`;
  const l = PHI_LEVEL_STYLE[phi.level];
  const text = opts.score ? `${formatPhi(phi.score)} · ${l.label}` : l.label;
  return `<span class="badge" style="color:${l.color};background:${l.bg}"${phi.partial ? ` title="${esc(phi.basis)}"` : ''}>${text}${phi.partial ? '*' : ''}</span>`;
}

/** A component's rate with what it counts, or 无数据. */
export function phiRate(rate: number | null, count: string | null): string {
  return rate === null ? '<span class="muted">无数据</span>' : `${formatPhiRate(rate)}${count ? `<span class="small muted">（${esc(count)}）</span>` : ''}`;
}

/** Follow-ups; on a lead's page every row has the same customer, so `showCustomer: false` leaves the column out. */
export function followUpTable(items: FollowUpVM[], opts: { showRep: boolean; showCustomer?: boolean; empty: string; asOf?: string }): string {
  const showCustomer = opts.showCustomer ?? true;
  if (items.length === 0) return `<p class="muted">${esc(opts.empty)}</p>`;
  const columns: Column[] = [
    ...(opts.showRep ? [{ label: '销售', title: true }] : []),
    ...(showCustomer ? [{ label: '客户', title: !opts.showRep }] : []),
    { label: '类型' },
    { label: '内容' },
    { label: '截止', num: true },
    { label: '状态' },
    { label: '证据' },
  ];
  const rows = items.map((f) => {
    const late = f.hoursLate != null && f.hoursLate > 0 ? `（${f.status === 'overdue' ? '已超' : '晚'} ${duration(f.hoursLate)}）` : '';
    const escalated = f.escalated ? ' · <strong>已升级至主管</strong>' : '';
    const ev = f.evidenceHref
      ? `<a href="${esc(f.evidenceHref)}">${f.evidenceAudio ? '<span class="listen">▶ 听</span>录音原话' : '录音原话'}</a>`
      : '<span class="muted">—</span>';
    return {
      attrs: `class="${f.status === 'overdue' ? 'overdue' : ''}" data-status="${f.status}"`,
      cells: [
        ...(opts.showRep ? [esc(f.repName)] : []),
        ...(showCustomer ? [esc(f.customerName)] : []),
        esc(f.kind),
        esc(f.text),
        dateTime(f.dueAt),
        `${f.status === 'overdue' ? '⚠ ' : ''}${followUpStatusLabel(f.status)}${late}${escalated}`,
        ev,
      ],
    };
  });
  const asOf = opts.asOf ? `；逾期时长计至 ${esc(opts.asOf)}（页首「统计截至」）` : '';
  return dataTable(columns, rows, { caption: `共 ${items.length} 项${asOf}` });
}

/** Visits, newest first. The link is the visit's time; the customer is a column only where it varies (not on a lead's page). */
export function recordingTable(items: RecordingLinkVM[], opts: { showCustomer: boolean } = { showCustomer: true }): string {
  if (items.length === 0) return '<p class="muted">暂无录音。</p>';
  const columns: Column[] = [
    { label: '拜访', title: true },
    ...(opts.showCustomer ? [{ label: '客户' }] : []),
    { label: '来源' },
    { label: '关键词', num: true },
    { label: '状态' },
  ];
  const rows = items.map((r) => ({
    cells: [
      `<a href="${esc(r.href)}">${dateTime(r.recordedAt)}</a>`,
      ...(opts.showCustomer ? [esc(r.customerName)] : []),
      r.kind === 'audio' ? '录音（可播放）' : '文字记录',
      String(r.tagCount),
      esc(r.status),
    ],
  }));
  return dataTable(columns, rows, { compact: true });
}

/** A rep's leads: open ones first, each with how long it has sat in its stage against the standard. */
export function leadTable(items: LeadLinkVM[]): string {
  if (items.length === 0) return '<p class="muted">本期没有负责的线索。</p>';
  const columns: Column[] = [{ label: '线索', title: true }, { label: '客户' }, { label: '当前阶段' }, { label: '金额', num: true }, { label: '已停留', num: true }];
  const rows = items.map((l) => {
    const over = !l.closed && l.dwellHours != null && l.standardHours != null && l.dwellHours > l.standardHours;
    const dwell = l.closed ? '<span class="muted">已结束</span>' : `${duration(l.dwellHours)}${l.standardHours != null ? `<span class="small muted"> / 标准 ${duration(l.standardHours)}</span>` : ''}${over ? ' ⚠ 超标' : ''}`;
    return {
      attrs: `class="${over ? 'overdue' : ''}" data-lead="${esc(l.id)}"`,
      cells: [`<a href="${esc(l.href)}">${esc(l.title)}</a>`, esc(l.customerName), esc(l.stageLabel), money(l.amount), dwell],
    };
  });
  return dataTable(columns, rows, { compact: true });
}

const FINDING_COLOR: Record<FindingVM['status'], string> = { established: '#1a7f37', significant: '#9a6700', descriptive: '#57606a' };

/**
 * The mining findings as a list, the same on the team page and the rep page (the rep page adds the rep's own figure):
 * the method in one line, any note on what the data cannot support, and each finding's sentence with its status in
 * words, the reps and leads behind it, and the test that decided it.
 */
export function miningFindings(vm: MiningVM, own?: (id: string) => string): string {
  const note = vm.note ? `<p class="note" role="note">${esc(vm.note)}</p>` : '';
  const head = `<p class="small muted">${esc(vm.method)}</p>${note}`;
  if (!vm.findings.length) return `${head}<p class="muted">本期数据中没有发现优秀组与其他人之间显著的行为差异。</p>`;
  const items = vm.findings
    .map((f) => {
      const detail = [f.basis, f.test, f.folded ? `另含 ${f.folded} 个相近写法` : null].filter(Boolean).join('；');
      return `<li data-finding="${esc(f.id)}" data-status="${f.status}"><span class="badge" style="color:${FINDING_COLOR[f.status]}">${esc(f.statusLabel)}</span> ${esc(f.sentence)}。${own ? own(f.id) : ''}<br><span class="small muted">${esc(detail)}</span></li>`;
    })
    .join('');
  const title = vm.descriptiveOnly ? '<h3>仅供参考（不具统计意义，不据此辅导）</h3>' : '';
  return `${head}${title}<ul class="plain findings">${items}</ul>`;
}
