import { followUpTable, recordingTable } from './fragments.ts';
import { dateTime, duration, esc, money } from './html.ts';
import { page } from './layout.ts';
import { dataTable } from './table.ts';
import type { LeadPageVM } from './view-models.ts';

const PROPOSAL_STATUS = { pending: '待确认', confirmed: '已确认', rejected: '已驳回' } as const;

/** A lead's stage history with dwell against standard, checkpoint evidence, and stage moves the calls suggested. */
export function renderLeadPage(vm: LeadPageVM): string {
  const history = vm.history.length
    ? dataTable(
        [{ label: '阶段', title: true }, { label: '进入时间', num: true }, { label: '停留', num: true }, { label: '标准', num: true }, { label: '操作人' }, { label: '凭证' }],
        vm.history.map((h) => {
          const over = h.dwellHours != null && h.standardHours != null && h.dwellHours > h.standardHours;
          const files = h.evidence.map((e) => `${esc(e.kind)}：<a class="attachment" href="${esc(e.href)}">${esc(e.name)}</a>`).join('<br>');
          return {
            attrs: `class="${over ? 'overdue' : ''}"`,
            cells: [esc(h.label), dateTime(h.at), `${duration(h.dwellHours)}${over ? ' ⚠ 超标' : ''}`, duration(h.standardHours), esc(h.by ?? '—'), files || '—'],
          };
        }),
      )
    : '<p class="muted">暂无阶段记录。</p>';
  const checkpoints = vm.checkpoints.length
    ? `<ul class="plain">${vm.checkpoints
        .map(
          (c) =>
            `<li><strong>${esc(c.label)}</strong>：需要 ${esc(c.required.join('、'))}；已提供 ${esc(c.provided.join('、') || '无')}${c.missing.length ? `；<strong style="color:#cf222e">缺少 ${esc(c.missing.join('、'))}</strong>` : ' ✓ 齐全'}</li>`,
        )
        .join('')}</ul>`
    : '<p class="muted">该线索尚未到达需要凭证的阶段。</p>';
  const proposals = vm.proposals.length
    ? dataTable(
        [{ label: '建议阶段', title: true }, { label: '时间', num: true }, { label: '对话原文' }, { label: '状态' }],
        vm.proposals.map((p) => ({
          cells: [esc(p.label), dateTime(p.at), p.evidenceHref ? `<a href="${esc(p.evidenceHref)}">${esc(p.quote)}</a>` : esc(p.quote), PROPOSAL_STATUS[p.status]],
        })),
      )
    : '<p class="muted">对话中没有发现阶段变化的信号。</p>';
  const body = `<h1>线索：${esc(vm.title)}</h1>
<p class="lead">客户 ${esc(vm.customerName)}${vm.customerType ? `（${esc(vm.customerType)}）` : ''} · 负责人 ${vm.ownerHref ? `<a href="${esc(vm.ownerHref)}">${esc(vm.ownerName)}</a>` : esc(vm.ownerName)} · 当前阶段 <strong>${esc(vm.stageLabel)}</strong>${vm.amount != null ? ` · 金额 ${money(vm.amount)}` : ''}</p>
<section aria-labelledby="h-hist"><h2 id="h-hist">阶段历史</h2>${history}</section>
<section aria-labelledby="h-cp"><h2 id="h-cp">卡点凭证</h2>${checkpoints}</section>
<section aria-labelledby="h-prop"><h2 id="h-prop">对话提出的阶段建议</h2><p class="small muted">由录音分析提出，需人工确认后才会变更阶段。</p>${proposals}</section>
<section aria-labelledby="h-fu"><h2 id="h-fu">跟进任务</h2>${followUpTable(vm.followUps, { showRep: true, showCustomer: false, empty: '没有跟进任务。', asOf: vm.meta.asOf })}</section>
<section aria-labelledby="h-rec"><h2 id="h-rec">相关拜访</h2>${recordingTable(vm.recordings, { showCustomer: false })}</section>`;
  return page(vm.meta, `线索 ${vm.title}`, body);
}
