import { attitudeHeatmap, attitudeLegend, funnelChart, phiChart, phiLegend } from './charts.ts';
import { funnelChartNarrow, phiChartNarrow, responsiveChart, scrollingChart } from './charts-narrow.ts';
import { followUpTable, miningFindings, phiBadge, phiRate } from './fragments.ts';
import { esc, money } from './html.ts';
import { page } from './layout.ts';
import { dataTable } from './table.ts';
import { formatPhi } from '../leads/phi.ts';
import type { TeamOverviewVM } from './view-models.ts';

const FOLLOW_UP_ROWS = 15;

/** The page a trainer opens first: who is healthy, where leads stall, which customers cool off, what is overdue. */
export function renderTeamOverview(vm: TeamOverviewVM): string {
  const atRisk = vm.reps.filter((r) => r.phi?.level === 'at_risk').map((r) => r.name);
  const unscored = vm.reps.filter((r) => r.phi?.score == null).map((r) => r.name);
  const red = vm.attitude.rows.filter((r) => r.redRuns.length > 0).length;
  const t = vm.tenantPhi;
  const cards = `<div class="card-row">
<div class="card wide"><div class="k">团队 PHI</div><div class="v">${formatPhi(t?.score ?? null)} ${phiBadge(t)}</div><div class="small muted">${esc(t?.basis ?? '本期没有可计算的数据')}。</div></div>
<div class="card"><div class="k">风险销售</div><div class="v">${atRisk.length} 人</div><div class="small muted">${esc(atRisk.join('、') || '无')}${unscored.length ? `；数据不足不计分：${esc(unscored.join('、'))}` : ''}</div></div>
<div class="card"><div class="k">连续低分客户</div><div class="v">${red} 个</div><div class="small muted">近 ${vm.attitude.days.length} 天</div></div>
<div class="card"><div class="k">跟进任务</div><div class="v">${vm.followUps.overdue} 逾期</div><div class="small muted">${vm.followUps.open} 项待完成</div></div>
<div class="card"><div class="k">数据量</div><div class="v">${vm.counts.recordings} 次拜访</div><div class="small muted">${vm.counts.leads} 条线索 · ${vm.counts.customers} 个客户 · ${vm.counts.audioRecordings} 段录音</div></div>
</div>`;

  const teamTable = dataTable(
    [{ label: '团队', title: true }, { label: '人数', num: true }, { label: 'PHI' }, { label: '阶段达标率', num: true }, { label: '协同准时率', num: true }, { label: '触点留痕率', num: true }],
    vm.teams.map((x) => ({
      attrs: `title="${esc(x.phi?.basis ?? '')}"`,
      cells: [esc(x.team), String(x.reps), phiBadge(x.phi, { score: true }), rate(x.phi, 'stageOnTime'), rate(x.phi, 'collabOnTime'), rate(x.phi, 'traceRate')],
    })),
  );
  const repTable = dataTable(
    [
      { label: '销售', title: true },
      { label: '团队' },
      { label: 'PHI' },
      { label: '阶段达标率', num: true },
      { label: '协同准时率', num: true },
      { label: '触点留痕率', num: true },
      { label: '逾期跟进', num: true },
      { label: '签约', num: true },
    ],
    vm.reps.map((r) => ({
      attrs: `data-rep="${esc(r.id)}"`,
      cells: [
        `<a href="${esc(r.href)}">${esc(r.name)}</a>${r.isTop ? ' <span class="badge" style="color:#1a7f37">优秀组</span>' : ''}`,
        esc(r.team),
        phiBadge(r.phi, { score: true }),
        rate(r.phi, 'stageOnTime'),
        rate(r.phi, 'collabOnTime'),
        rate(r.phi, 'traceRate'),
        r.overdueFollowUps ? `⚠ ${r.overdueFollowUps}` : '0',
        `${money(r.wonAmount)}（${r.wonLeads} 单）`,
      ],
    })),
  );

  const shown = vm.followUps.items.slice(0, FOLLOW_UP_ROWS);
  const perRep = new Map<string, { open: number; overdue: number; escalated: number }>();
  for (const f of vm.followUps.items) {
    const r = perRep.get(f.repName) ?? { open: 0, overdue: 0, escalated: 0 };
    if (f.status === 'overdue') r.overdue++;
    else r.open++;
    if (f.escalated) r.escalated++;
    perRep.set(f.repName, r);
  }
  const perRepTable = perRep.size
    ? dataTable(
        [{ label: '销售', title: true }, { label: '已逾期', num: true }, { label: '其中已升级', num: true }, { label: '未到期', num: true }],
        [...perRep]
          .sort((a, b) => b[1].overdue - a[1].overdue || a[0].localeCompare(b[0]))
          .map(([n, r]) => ({ cells: [esc(n), r.overdue ? `⚠ ${r.overdue}` : '0', String(r.escalated), String(r.open)] })),
        { className: 'narrow', keepTable: true },
      )
    : '';
  const body = `<h1>团队过程健康总览</h1>
<p class="lead">PHI = 阶段达标率 × 0.4 + 协同准时率 × 0.3 + 触点留痕率 × 0.3（满分 100）。某项本期无数据时不计入，权重按比例分给其余项；少于两项有数据时不计分（数据不足）。团队与全公司的 PHI 按各人计数之和计算，不是各人分数的平均。点击销售姓名查看个人辅导页。</p>
${cards}
<section aria-labelledby="h-phi"><h2 id="h-phi">各销售过程健康度（PHI）</h2>
${phiLegend()}
${responsiveChart(phiChart(vm.reps), phiChartNarrow(vm.reps))}
<p class="small muted">★ 为优秀组（按签约金额排名前列，且至少签约一单）：${esc(vm.topGroup.join('、') || '无')}。「逾期跟进」不计入 PHI，列在数据表中供对照。</p>
<details><summary>查看数据表</summary>
${teamTable}
${repTable}
</details></section>
<section aria-labelledby="h-pat"><h2 id="h-pat">优秀组做了什么不一样的事</h2>${miningFindings(vm.mining)}</section>
<section aria-labelledby="h-funnel"><h2 id="h-funnel">线索阶段漏斗</h2>
${responsiveChart(funnelChart(vm.funnel), funnelChartNarrow(vm.funnel))}
<p class="small muted">另有 ${vm.lostLeads} 条线索已流失。中位停留超过标准的阶段标为红色并注明「超标」；「N 条超时」是在该阶段停留超过标准的线索数（含仍在该阶段的）。</p></section>
<section aria-labelledby="h-att"><h2 id="h-att">客户态度热力图</h2>
<p class="small muted">来自销售日报的客户态度分（1–5 分），连续 3 天 ≤ 2 分的客户以红框标出，排在最前。${vm.attitude.hiddenRows ? `另有 ${vm.attitude.hiddenRows} 个客户态度平稳，未列出。` : ''}</p>
${attitudeLegend()}
${scrollingChart(attitudeHeatmap(vm.attitude), '热力图每格一天：在图上左右滑动查看全部日期。')}</section>
<section aria-labelledby="h-fu"><h2 id="h-fu">待完成与逾期的跟进任务</h2>
<p class="small muted">录音中的承诺自动生成跟进任务；逾期 48 小时升级至主管。</p>
${perRepTable}
<h3>逾期最久的 ${shown.length} 项${vm.followUps.items.length > shown.length ? `（共 ${vm.followUps.items.length} 项，其余见各销售的个人页）` : ''}</h3>
${followUpTable(shown, { showRep: true, empty: '没有待完成的跟进任务。', asOf: vm.meta.asOf })}</section>`;
  return page(vm.meta, '团队过程健康总览', body);
}

function rate(phi: TeamOverviewVM['tenantPhi'], key: 'stageOnTime' | 'collabOnTime' | 'traceRate'): string {
  return phi ? phiRate(phi[key], phi.counts[key]) : '<span class="muted">无数据</span>';
}
