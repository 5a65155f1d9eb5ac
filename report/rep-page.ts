import { formatPhi } from '../leads/phi.ts';
import { comparisonChart } from './charts.ts';
import { comparisonChartNarrow, responsiveChart } from './charts-narrow.ts';
import { followUpTable, leadTable, miningFindings, phiBadge, phiRate, recordingTable } from './fragments.ts';
import { esc, money } from './html.ts';
import { page } from './layout.ts';
import type { EvidenceLinkVM, RepPageVM } from './view-models.ts';

/** One evidence link: a moment that can be heard says so and plays from there; a typed visit opens at the line. */
function evidenceLink(e: EvidenceLinkVM): string {
  const listen = e.listenAt ? `<span class="listen">▶ 听录音 ${esc(e.listenAt)}</span>` : '';
  return `<li><a class="evidence${e.listenAt ? ' audio' : ''}" href="${esc(e.href)}">${listen}${esc(e.label)}</a></li>`;
}

/** One rep's coaching page: where they differ from the top group, the suggestions, and the moments behind them. */
export function renderRepPage(vm: RepPageVM): string {
  const r = vm.rep;
  const head = `<h1>${esc(r.name)} · 个人辅导报告</h1>
<p class="lead">${esc(r.team)}${r.supervisor ? ` · 主管 ${esc(r.supervisor)}` : ''} · 签约 ${money(r.wonAmount)}（${r.wonLeads} 单）${r.isTop ? ' · <strong>优秀组成员</strong>' : ''}</p>
<div class="card-row"><div class="card wide"><div class="k">PHI</div><div class="v">${formatPhi(r.phi?.score ?? null)} ${phiBadge(r.phi)}</div><div class="small muted">${esc(r.phi?.basis ?? '本期没有可计算的数据')}。</div></div>
<div class="card"><div class="k">阶段达标率 ×0.4</div><div class="v">${phiRate(r.phi?.stageOnTime ?? null, r.phi?.counts.stageOnTime ?? null)}</div></div>
<div class="card"><div class="k">协同准时率 ×0.3</div><div class="v">${phiRate(r.phi?.collabOnTime ?? null, r.phi?.counts.collabOnTime ?? null)}</div></div>
<div class="card"><div class="k">触点留痕率 ×0.3</div><div class="v">${phiRate(r.phi?.traceRate ?? null, r.phi?.counts.traceRate ?? null)}</div></div>
<div class="card"><div class="k">逾期跟进（不计入 PHI）</div><div class="v">${r.overdueFollowUps ? `⚠ ${r.overdueFollowUps} 项` : '0 项'}</div></div></div>`;

  const cmp = vm.comparisons.length
    ? `<p class="small muted">每条线索在进入该阶段之前做这件事的平均次数：先算每位销售自己的平均，再取组内平均；与团队总览页是同一组数字。优秀组：${esc(vm.topGroup.join('、'))}；虚线为其他销售。${vm.mining.descriptiveOnly ? '以下差异仅供参考，不具统计意义。' : ''}</p>
${responsiveChart(comparisonChart(vm.comparisons, r.name), comparisonChartNarrow(vm.comparisons, r.name))}`
    : '<p class="muted">没有可供对比的行为差异。</p>';
  const yours = new Map(vm.findings.map((f) => [f.id, f]));
  const own = (id: string) => {
    const f = yours.get(id);
    return f?.yours ? `<strong>你：${esc(f.yours)}</strong>（${f.yourLeads} 条线索）。` : '<span class="muted">你：可比线索不足。</span>';
  };
  const sugg = vm.suggestions.length
    ? vm.suggestions
        .map(
          (s) => `<div class="sugg" data-behavior="${esc(s.behavior)}"><h3>${esc(s.behaviorLabel)}${s.customerType ? `（${esc(s.customerType)}）` : ''}</h3>
<p>${esc(s.message)}</p>
${s.templates.length ? `<p class="small muted">可以这样说：</p>${s.templates.map((t) => `<blockquote>${esc(t)}</blockquote>`).join('')}` : ''}
${s.evidence.length ? `<p class="small">证据（${s.evidence.some((e) => e.listenAt) ? '有录音的可直接从该处播放' : '点开看原话'}）：</p><ul class="evidence small">${s.evidence.map(evidenceLink).join('')}</ul>` : ''}</div>`,
        )
        .join('\n')
    : `<p class="muted">${
        r.isTop
          ? '你是优秀组成员，本期没有改进建议。'
          : vm.mining.findings.some((f) => f.status === 'established')
            ? '本期没有需要你改进的已确认差异。'
            : '本期没有已确认的差异，因此不给出改进建议（见上方说明）。'
      }</p>`;

  const body = `${head}
<section aria-labelledby="h-pat"><h2 id="h-pat">优秀组的做法</h2>${miningFindings(vm.mining, own)}</section>
<section aria-labelledby="h-cmp"><h2 id="h-cmp">与优秀组的行为对比</h2>${cmp}</section>
<section aria-labelledby="h-sugg"><h2 id="h-sugg">辅导建议</h2>${sugg}</section>
<section aria-labelledby="h-fu"><h2 id="h-fu">跟进任务</h2>${followUpTable(vm.followUps, { showRep: false, empty: '没有待完成或逾期的跟进任务。', asOf: vm.meta.asOf })}</section>
<section aria-labelledby="h-leads"><h2 id="h-leads">负责的线索</h2>${leadTable(vm.leads)}</section>
<section aria-labelledby="h-rec"><h2 id="h-rec">拜访记录</h2>${recordingTable(vm.recordings)}</section>`;
  return page(vm.meta, `${r.name} · 个人辅导报告`, body);
}
