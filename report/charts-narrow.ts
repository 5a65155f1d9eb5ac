import { formatPhi } from '../leads/phi.ts';
import { PHI_PARTS, withheldLine } from './charts.ts';
import { duration, esc } from './html.ts';
import { PHI_LEVEL_STYLE } from './labels.ts';
import type { ComparisonVM, FunnelStageVM, RepRowVM } from './view-models.ts';

/**
 * The charts drawn for a phone (≤ 640 px, 336 px of content at 360 px): the same figures as the wide charts in
 * charts.ts, with every label on its own line above a full-width bar instead of a label column beside it, so text
 * stays at its size instead of shrinking with a 800 px drawing. layout.ts shows one of the two.
 */
const W = 336;

/** Both drawings of a chart; CSS shows the wide one on a desktop and in print, the narrow one on a phone. */
export function responsiveChart(wide: string, narrow: string): string {
  return `<div class="chart-box only-wide">${wide}</div><div class="chart-box only-narrow">${narrow}</div>`;
}

/** A chart that keeps its size and scrolls sideways inside its own box on a phone (the heat map: one cell per day). */
export function scrollingChart(svg: string, hint: string): string {
  return `<p class="only-narrow small muted">${esc(hint)}</p><div class="chart-box">${svg.replace('<svg class="chart"', '<svg class="chart keep-size"')}</div>`;
}

function svg(id: string, title: string, height: number, body: string): string {
  return `<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-t" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}">
<title id="${id}-t">${esc(title)}</title>
${body}</svg>`;
}

/** PHI per rep: name, team, score and level on one line, the stacked components below across the full width. */
export function phiChartNarrow(reps: RepRowVM[]): string {
  const rowH = 50;
  const x = (v: number) => (v / 100) * W;
  const rows = reps.map((r, i) => {
    const y = i * rowH;
    const name = `<a href="${esc(r.href)}"><text x="0" y="${y + 16}" font-size="14" fill="#0969da">${esc(r.name)}${r.isTop ? ' ★' : ''}</text></a>
<text x="${16 * [...r.name].length + (r.isTop ? 20 : 6)}" y="${y + 16}" font-size="11" fill="#57606a">${esc(r.team)}</text>`;
    if (!r.phi || r.phi.score === null || r.phi.level === null) {
      return `<g class="phi-row" data-rep="${esc(r.id)}">${name}<text x="0" y="${y + 36}" font-size="12" fill="#57606a">${esc(withheldLine(r))}</text></g>`;
    }
    const phi = r.phi;
    const lv = PHI_LEVEL_STYLE[phi.level!];
    const present = PHI_PARTS.filter((p) => phi[p.key] !== null).reduce((a, p) => a + p.weight, 0) || 1;
    let acc = 0;
    const segs = PHI_PARTS.map((p) => {
      const w = ((phi[p.key] ?? 0) * p.weight * 100) / present;
      const rect = `<rect x="${x(acc)}" y="${y + 24}" width="${Math.max(0, x(acc + w) - x(acc))}" height="14" fill="${p.color}"/>`;
      acc += w;
      return rect;
    }).join('');
    const lines = [70, 85].map((v) => `<line x1="${x(v)}" y1="${y + 21}" x2="${x(v)}" y2="${y + 41}" stroke="#57606a" stroke-dasharray="3 2"/>`).join('');
    return `<g class="phi-row" data-rep="${esc(r.id)}" data-level="${phi.level}">${name}
<text x="${W - 58}" y="${y + 16}" font-size="14" font-weight="700" text-anchor="end">${formatPhi(phi.score)}${phi.partial ? '*' : ''}</text>
<rect x="${W - 52}" y="${y + 3}" width="52" height="17" rx="8.5" fill="${lv.bg}" stroke="${lv.color}"/>
<text x="${W - 26}" y="${y + 16}" font-size="11" text-anchor="middle" fill="${lv.color}" font-weight="600">${lv.label}</text>
<rect x="0" y="${y + 24}" width="${W}" height="14" fill="#f3f4f6"/>${segs}${lines}</g>`;
  });
  const legend = `<text x="${x(70)}" y="${reps.length * rowH + 12}" font-size="10" text-anchor="middle" fill="#57606a">70</text><text x="${x(85)}" y="${reps.length * rowH + 12}" font-size="10" text-anchor="middle" fill="#57606a">85</text>`;
  const note = reps.some((r) => r.phi?.partial) ? `<text x="0" y="${reps.length * rowH + 28}" font-size="11" fill="#57606a">* 仅 2 项有数据，另一项不计入</text>` : '';
  return svg('phi-chart-narrow', '每位销售的过程健康度指数（PHI）及三项构成（虚线为 70 亚健康线、85 健康线）', reps.length * rowH + (note ? 34 : 16), rows.join('\n') + legend + note);
}

/** The funnel as one block per stage: name and leads, a bar for the leads, and the dwell against its standard. */
export function funnelChartNarrow(stages: FunnelStageVM[]): string {
  const rowH = 62;
  const maxLeads = Math.max(1, ...stages.map((s) => s.leads));
  const rows = stages.map((s, i) => {
    const y = i * rowH;
    const over = s.medianDwellHours != null && s.standardHours != null && s.medianDwellHours > s.standardHours;
    const dwell =
      s.medianDwellHours == null
        ? `${s.stage === 'won' ? '终点阶段' : '尚无离开此阶段的线索'}`
        : `中位停留 ${duration(s.medianDwellHours)}${over ? ' 超标' : ' 达标'} · 标准 ${duration(s.standardHours)}${s.overdue ? ` · ${s.overdue} 条超时` : ''}`;
    return `<g class="funnel-row" data-stage="${esc(s.stage)}">
<text x="0" y="${y + 15}" font-size="13" font-weight="600">${esc(s.label)}</text>
<text x="${W}" y="${y + 15}" font-size="12" text-anchor="end">${s.leads} 条（当前 ${s.current}）</text>
<rect x="0" y="${y + 21}" width="${Math.max(2, (s.leads / maxLeads) * W)}" height="14" rx="3" fill="${s.stage === 'won' ? '#1a7f37' : '#54aeff'}"/>
<text x="0" y="${y + 51}" font-size="12" fill="${over ? '#cf222e' : '#57606a'}" font-weight="${over ? 700 : 400}">${esc(dwell)}</text></g>`;
  });
  return svg('funnel-chart-narrow', '线索阶段漏斗与各阶段中位停留时长', stages.length * rowH, rows.join('\n'));
}

/** Rep against the top group per behaviour: the behaviour and verdict above, one labelled bar per figure below. */
export function comparisonChartNarrow(rows: ComparisonVM[], repName: string): string {
  const rowH = 132;
  const max = Math.max(0.5, ...rows.flatMap((r) => [r.rep ?? 0, r.top, r.rest]));
  const x = (v: number) => (v / max) * (W - 4);
  const body = rows.map((r, i) => {
    const y = i * rowH;
    const scope = r.customerType ? `（${r.customerType}客户）` : '（全部客户）';
    const verdict =
      r.rep == null
        ? { text: '本人暂无可比线索', color: '#57606a' }
        : r.status !== 'established'
          ? { text: r.statusLabel, color: '#57606a' }
          : r.short
            ? { text: '低于优秀组', color: '#cf222e' }
            : { text: '不低于优秀组', color: '#1a7f37' };
    return `<g class="cmp-row-narrow" data-finding="${esc(r.findingId)}">
<text x="0" y="${y + 15}" font-size="13" font-weight="600">${esc(r.behaviorLabel)}</text>
<text x="0" y="${y + 31}" font-size="11" fill="#57606a">在「${esc(r.stageLabel)}」之前${esc(scope)} · <tspan fill="${verdict.color}">${esc(verdict.text)}</tspan></text>
<text x="0" y="${y + 49}" font-size="12">${r.rep == null ? '本人：没有足够的可比线索' : `本人 ${esc(r.repText)}（${r.repLeads} 条线索）`}</text>
<rect x="0" y="${y + 54}" width="${Math.max(1, x(r.rep ?? 0))}" height="14" fill="${r.short ? '#fb8f44' : '#4e79a7'}"/>
<text x="0" y="${y + 85}" font-size="12">优秀组 ${esc(r.topText)}</text>
<rect x="0" y="${y + 90}" width="${Math.max(1, x(r.top))}" height="14" fill="#1a7f37"/>
<line x1="${x(r.rest)}" y1="${y + 52}" x2="${x(r.rest)}" y2="${y + 106}" stroke="#24292f" stroke-dasharray="3 2"/>
<text x="0" y="${y + 121}" font-size="11" fill="#57606a">虚线：其他销售 ${esc(r.restText)}</text></g>`;
  });
  return svg('cmp-chart-narrow', `${repName}与优秀组在关键行为上的对比（每条线索平均次数）`, rows.length * rowH, body.join('\n'));
}
