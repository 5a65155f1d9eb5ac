import { dateTime, duration, esc } from './html.ts';
import { PHI_LEVEL_STYLE } from './labels.ts';
import type { FindingVM, FollowUpStatus, FollowUpVM, MiningVM, PhiVM, RecordingLinkVM } from './view-models.ts';

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
