import { comparisonChart } from './charts.ts';
import { followUpTable, miningFindings, phiBadge, recordingTable } from './fragments.ts';
import { esc, money, pct } from './html.ts';
import { page } from './layout.ts';
import type { RepPageVM } from './view-models.ts';

/** One rep's coaching page: where they differ from the top group, the suggestions, and the moments behind them. */
export function renderRepPage(vm: RepPageVM): string {
  const r = vm.rep;
  const head = `<h1>${esc(r.name)} · 个人辅导报告</h1>
<p class="lead">${esc(r.team)}${r.supervisor ? ` · 主管 ${esc(r.supervisor)}` : ''} · 签约 ${money(r.wonAmount)}（${r.wonLeads} 单）${r.isTop ? ' · <strong>优秀组成员</strong>' : ''}</p>
<div class="card-row"><div class="card"><div class="k">PHI</div><div class="v">${r.phi ? r.phi.score.toFixed(1) : '—'}</div>${phiBadge(r.phi)}</div>
<div class="card"><div class="k">阶段达标率 ×0.4</div><div class="v">${pct(r.phi?.stageOnTime)}</div></div>
<div class="card"><div class="k">协同准时率 ×0.3</div><div class="v">${pct(r.phi?.collabOnTime)}</div></div>
<div class="card"><div class="k">触点留痕率 ×0.3</div><div class="v">${pct(r.phi?.traceRate)}</div></div></div>`;

  const cmp = vm.comparisons.length
    ? `<p class="small muted">每条线索在进入该阶段之前做这件事的平均次数：先算每位销售自己的平均，再取组内平均；与团队总览页是同一组数字。优秀组：${esc(vm.topGroup.join('、'))}；虚线为其他销售。${vm.mining.descriptiveOnly ? '以下差异仅供参考，不具统计意义。' : ''}</p>
${comparisonChart(vm.comparisons, r.name)}`
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
${s.evidence.length ? `<p class="small">证据（点开看原话）：${s.evidence.map((e) => `<a class="evidence" href="${esc(e.href)}">${esc(e.label)}</a>`).join('；')}</p>` : ''}</div>`,
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
<section aria-labelledby="h-fu"><h2 id="h-fu">跟进任务</h2>${followUpTable(vm.followUps, { showRep: false, empty: '没有待完成或逾期的跟进任务。' })}</section>
<section aria-labelledby="h-rec"><h2 id="h-rec">拜访记录</h2>${recordingTable(vm.recordings)}</section>`;
  return page(vm.meta, `${r.name} · 个人辅导报告`, body);
}
