import { dateTime, duration, esc } from './html.ts';
import { PHI_LEVEL_STYLE } from './labels.ts';
import type { FollowUpStatus, FollowUpVM, PhiVM, RecordingLinkVM } from './view-models.ts';

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

export function phiBadge(phi: PhiVM | null): string {
  if (!phi) return '<span class="badge muted">暂无数据</span>';
  const l = PHI_LEVEL_STYLE[phi.level];
  return `<span class="badge" style="color:${l.color};background:${l.bg}">${phi.score.toFixed(1)} · ${l.label}</span>`;
}

export function followUpTable(items: FollowUpVM[], opts: { showRep: boolean; empty: string }): string {
  if (items.length === 0) return `<p class="muted">${esc(opts.empty)}</p>`;
  const rows = items
    .map((f) => {
      const late = f.hoursLate != null && f.hoursLate > 0 ? `（${f.status === 'overdue' ? '已超' : '晚'} ${duration(f.hoursLate)}）` : '';
      const esc2 = f.escalated ? ' · <strong>已升级至主管</strong>' : '';
      const ev = f.evidenceHref ? `<a href="${esc(f.evidenceHref)}">录音原话</a>` : '<span class="muted">—</span>';
      return `<tr class="${f.status === 'overdue' ? 'overdue' : ''}" data-status="${f.status}">
${opts.showRep ? `<td>${esc(f.repName)}</td>` : ''}<td>${esc(f.customerName)}</td><td>${esc(f.kind)}</td><td>${esc(f.text)}</td>
<td class="num">${dateTime(f.dueAt)}</td><td>${f.status === 'overdue' ? '⚠ ' : ''}${followUpStatusLabel(f.status)}${late}${esc2}</td><td>${ev}</td></tr>`;
    })
    .join('\n');
  return `<table><caption class="muted small" style="text-align:left">共 ${items.length} 项</caption>
<thead><tr>${opts.showRep ? '<th scope="col">销售</th>' : ''}<th scope="col">客户</th><th scope="col">类型</th><th scope="col">内容</th><th scope="col" class="num">截止</th><th scope="col">状态</th><th scope="col">证据</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export function recordingTable(items: RecordingLinkVM[]): string {
  if (items.length === 0) return '<p class="muted">暂无录音。</p>';
  const rows = items
    .map(
      (r) => `<tr><td class="num">${dateTime(r.recordedAt)}</td><td><a href="${esc(r.href)}">${esc(r.title)}</a></td><td>${esc(r.customerName)}</td>
<td>${r.kind === 'audio' ? '录音' : '文字记录'}</td><td class="num">${r.tagCount}</td><td>${esc(r.status)}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th scope="col" class="num">时间</th><th scope="col">拜访</th><th scope="col">客户</th><th scope="col">来源</th><th scope="col" class="num">关键词</th><th scope="col">状态</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}
