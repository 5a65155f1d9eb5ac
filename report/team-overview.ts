import { attitudeHeatmap, attitudeLegend, funnelChart, phiChart, phiLegend } from './charts.ts';
import { followUpTable, miningFindings, phiBadge } from './fragments.ts';
import { esc, money, pct } from './html.ts';
import { page } from './layout.ts';
import type { TeamOverviewVM } from './view-models.ts';

const FOLLOW_UP_ROWS = 15;
/** A printed report should carry the data tables too, which the screen keeps folded. */
const PRINT_SCRIPT = `window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});`;

/** The page a trainer opens first: who is healthy, where leads stall, which customers cool off, what is overdue. */
export function renderTeamOverview(vm: TeamOverviewVM): string {
  const atRisk = vm.reps.filter((r) => r.phi?.level === 'at_risk').map((r) => r.name);
  const red = vm.attitude.rows.filter((r) => r.redRuns.length > 0).length;
  const cards = `<div class="card-row">
<div class="card"><div class="k">团队 PHI</div><div class="v">${vm.tenantPhi ? vm.tenantPhi.score.toFixed(1) : '—'}</div>${phiBadge(vm.tenantPhi)}</div>
<div class="card"><div class="k">风险销售</div><div class="v">${atRisk.length} 人</div><div class="small muted">${esc(atRisk.join('、') || '无')}</div></div>
<div class="card"><div class="k">连续低分客户</div><div class="v">${red} 个</div><div class="small muted">近 ${vm.attitude.days.length} 天</div></div>
<div class="card"><div class="k">跟进任务</div><div class="v">${vm.followUps.overdue} 逾期</div><div class="small muted">${vm.followUps.open} 项待完成</div></div>
<div class="card"><div class="k">数据量</div><div class="v">${vm.counts.recordings} 次拜访</div><div class="small muted">${vm.counts.leads} 条线索 · ${vm.counts.customers} 个客户 · ${vm.counts.audioRecordings} 段录音</div></div>
</div>`;

  const teamRows = vm.teams
    .map(
      (t) => `<tr><td>${esc(t.team)}</td><td class="num">${t.reps}</td><td>${phiBadge(t.phi)}</td><td class="num">${pct(t.phi?.stageOnTime)}</td><td class="num">${pct(t.phi?.collabOnTime)}</td><td class="num">${pct(t.phi?.traceRate)}</td></tr>`,
    )
    .join('');
  const repRows = vm.reps
    .map(
      (r) => `<tr data-rep="${esc(r.id)}"><td><a href="${esc(r.href)}">${esc(r.name)}</a>${r.isTop ? ' <span class="badge" style="color:#1a7f37">优秀组</span>' : ''}</td><td>${esc(r.team)}</td><td>${phiBadge(r.phi)}</td>
<td class="num">${pct(r.phi?.stageOnTime)}</td><td class="num">${pct(r.phi?.collabOnTime)}</td><td class="num">${pct(r.phi?.traceRate)}</td><td class="num">${money(r.wonAmount)}（${r.wonLeads} 单）</td></tr>`,
    )
    .join('\n');


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
    ? `<table class="narrow"><thead><tr><th scope="col">销售</th><th scope="col" class="num">已逾期</th><th scope="col" class="num">其中已升级</th><th scope="col" class="num">未到期</th></tr></thead><tbody>${[...perRep]
        .sort((a, b) => b[1].overdue - a[1].overdue || a[0].localeCompare(b[0]))
        .map(([n, r]) => `<tr><td>${esc(n)}</td><td class="num">${r.overdue ? `⚠ ${r.overdue}` : '0'}</td><td class="num">${r.escalated}</td><td class="num">${r.open}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const body = `<h1>团队过程健康总览</h1>
<p class="lead">PHI = 阶段达标率 × 0.4 + 协同准时率 × 0.3 + 触点留痕率 × 0.3（满分 100）。点击销售姓名查看个人辅导页。</p>
${cards}
<section aria-labelledby="h-phi"><h2 id="h-phi">各销售过程健康度（PHI）</h2>
${phiLegend()}
${phiChart(vm.reps)}
<p class="small muted">★ 为优秀组（按签约金额排名前列）：${esc(vm.topGroup.join('、') || '无')}。</p>
<details><summary>查看数据表</summary>
<table><thead><tr><th scope="col">团队</th><th scope="col" class="num">人数</th><th scope="col">PHI</th><th scope="col" class="num">阶段达标率</th><th scope="col" class="num">协同准时率</th><th scope="col" class="num">触点留痕率</th></tr></thead><tbody>${teamRows}</tbody></table>
<table><thead><tr><th scope="col">销售</th><th scope="col">团队</th><th scope="col">PHI</th><th scope="col" class="num">阶段达标率</th><th scope="col" class="num">协同准时率</th><th scope="col" class="num">触点留痕率</th><th scope="col" class="num">签约</th></tr></thead><tbody>${repRows}</tbody></table>
</details></section>
<section aria-labelledby="h-pat"><h2 id="h-pat">优秀组做了什么不一样的事</h2>${miningFindings(vm.mining)}</section>
<section aria-labelledby="h-funnel"><h2 id="h-funnel">线索阶段漏斗</h2>
${funnelChart(vm.funnel)}
<p class="small muted">另有 ${vm.lostLeads} 条线索已流失。中位停留超过标准的阶段标为红色并注明「超标」；「N 条超时」是在该阶段停留超过标准的线索数（含仍在该阶段的）。</p></section>
<section aria-labelledby="h-att"><h2 id="h-att">客户态度热力图</h2>
<p class="small muted">来自销售日报的客户态度分（1–5 分），连续 3 天 ≤ 2 分的客户以红框标出，排在最前。${vm.attitude.hiddenRows ? `另有 ${vm.attitude.hiddenRows} 个客户态度平稳，未列出。` : ''}</p>
${attitudeLegend()}
${attitudeHeatmap(vm.attitude)}</section>
<section aria-labelledby="h-fu"><h2 id="h-fu">待完成与逾期的跟进任务</h2>
<p class="small muted">录音中的承诺自动生成跟进任务；逾期 48 小时升级至主管。</p>
${perRepTable}
<h3>逾期最久的 ${shown.length} 项${vm.followUps.items.length > shown.length ? `（共 ${vm.followUps.items.length} 项，其余见各销售的个人页）` : ''}</h3>
${followUpTable(shown, { showRep: true, empty: '没有待完成的跟进任务。' })}</section>`;
  return page(vm.meta, '团队过程健康总览', body, PRINT_SCRIPT);
}
