import { formatPhi } from '../leads/phi.ts';
import { duration, esc, num } from './html.ts';
import { PHI_LEVEL_STYLE } from './labels.ts';
import type { AttitudeVM, ComparisonVM, FunnelStageVM, RepRowVM } from './view-models.ts';

/**
 * Inline SVG charts. Each chart has a <title>/<desc> for screen readers, every mark carries its number as text,
 * and colour always comes with a word ("风险", "超标", "连续低分"), so the charts read in greyscale print too.
 */

export const PHI_PARTS = [
  { key: 'stageOnTime', weight: 0.4, label: '阶段达标率 ×0.4', color: '#4e79a7' },
  { key: 'collabOnTime', weight: 0.3, label: '协同准时率 ×0.3', color: '#b07aa1' },
  { key: 'traceRate', weight: 0.3, label: '触点留痕率 ×0.3', color: '#76b7b2' },
] as const;

export function phiLegend(): string {
  const parts = PHI_PARTS.map((p) => `<span><span class="sw" style="background:${p.color}"></span>${esc(p.label)}</span>`);
  const levels = Object.values(PHI_LEVEL_STYLE).map(
    (l) => `<span><span class="sw" style="background:${l.bg};border-color:${l.color}"></span>${esc(l.label)}</span>`,
  );
  return `<div class="legend" aria-hidden="true">${parts.join('')}<span class="muted">｜等级：</span>${levels.join('')}<span class="muted">（≥85 健康，70–84 亚健康，&lt;70 风险）</span></div>`;
}

/** PHI per rep: the three weighted components stacked to the score, the score and the level as text. */
export function phiChart(reps: RepRowVM[]): string {
  const rowH = 28;
  const left = 170;
  const barW = 440;
  const top = 26;
  const width = left + barW + 230;
  const height = top + rowH * reps.length + 8;
  const x = (v: number) => left + (v / 100) * barW;
  const grid = [0, 25, 50, 70, 85, 100]
    .map((v) => {
      const strong = v === 70 || v === 85;
      const label = v === 70 ? '70 亚健康线' : v === 85 ? '85 健康线' : String(v);
      return `<line x1="${x(v)}" y1="${top - 4}" x2="${x(v)}" y2="${height - 6}" stroke="${strong ? '#57606a' : '#d0d7de'}" stroke-dasharray="${strong ? '4 3' : '0'}"/>
<text x="${x(v)}" y="${top - 9}" font-size="11" text-anchor="middle" fill="#57606a">${label}</text>`;
    })
    .join('');
  const rows = reps
    .map((r, i) => {
      const y = top + i * rowH;
      const name = `<a href="${esc(r.href)}"><text x="8" y="${y + 18}" font-size="13" fill="#0969da">${esc(r.name)}${r.isTop ? ' ★' : ''}</text></a>
<text x="${left - 8}" y="${y + 18}" font-size="11" text-anchor="end" fill="#57606a">${esc(r.team)}</text>`;
      if (!r.phi || r.phi.score === null || r.phi.level === null) {
        const why = r.phi ? r.phi.basis : '本期没有可计算的数据';
        return `<g class="phi-rep" data-rep="${esc(r.id)}" data-withheld="true"><title>${esc(r.name)}：${esc(why)}</title>${name}
<text x="${left + 4}" y="${y + 18}" font-size="12" fill="#57606a">${esc(withheldLine(r))}</text></g>`;
      }
      const phi = r.phi;
      const score = phi.score as number;
      // A component with nothing to measure is left out and the others rescaled (as the index does), so the
      // stacked bar still ends at the score.
      const present = PHI_PARTS.filter((p) => phi[p.key] !== null).reduce((a, p) => a + p.weight, 0) || 1;
      let acc = 0;
      const segs = PHI_PARTS.map((p) => {
        const rate = phi[p.key] ?? 0;
        const w = (rate * p.weight * 100) / present;
        const what = phi[p.key] === null ? '本期无数据（不计入）' : `${num(rate * 100, 0)}%`;
        const s = `<rect x="${x(acc)}" y="${y + 6}" width="${Math.max(0, x(acc + w) - x(acc))}" height="${rowH - 12}" fill="${p.color}"><title>${esc(p.label)}：${what}</title></rect>`;
        acc += w;
        return s;
      }).join('');
      const lv = PHI_LEVEL_STYLE[r.phi.level];
      const desc = `${r.name}（${r.team}）PHI ${formatPhi(score)} 分，${lv.label}；${phi.basis}`;
      return `<g class="phi-rep" data-rep="${esc(r.id)}" data-level="${phi.level}"><title>${esc(desc)}</title>${name}${segs}
<text x="${x(100) + 10}" y="${y + 18}" font-size="14" font-weight="700">${formatPhi(score)}</text>
<rect x="${x(100) + 58}" y="${y + 5}" width="62" height="18" rx="9" fill="${lv.bg}" stroke="${lv.color}"/>
<text x="${x(100) + 89}" y="${y + 18}" font-size="12" text-anchor="middle" fill="${lv.color}" font-weight="600">${lv.label}</text>
${phi.partial ? `<text x="${x(100) + 128}" y="${y + 18}" font-size="11" fill="#57606a">* 仅 2 项有数据</text>` : ''}</g>`;
    })
    .join('\n');
  return `<svg class="chart" id="phi-chart" role="img" aria-labelledby="phi-chart-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="phi-chart-t">每位销售的过程健康度指数（PHI）及三项构成</title>${grid}
${rows}</svg>`;
}

/** The line a rep without a score gets instead of a bar. */
export function withheldLine(r: RepRowVM): string {
  if (!r.phi) return '无数据（本期没有可计算的数据）';
  const only = PHI_PARTS.filter((p) => r.phi![p.key] !== null).map((p) => p.label.split(' ')[0]);
  return only.length ? `${r.phi.withheld ?? '数据不足'}：只有${only.join('、')}有数据，不计分` : `${r.phi.withheld ?? '无数据'}，不计分`;
}

/** Stage funnel: leads that reached each stage, and the median dwell against the stage's standard. */
export function funnelChart(stages: FunnelStageVM[]): string {
  const rowH = 38;
  const labelW = 96;
  const funnelW = 330;
  const dwellX = labelW + funnelW + 30;
  const dwellW = 250;
  const top = 24;
  const width = dwellX + dwellW + 150;
  const height = top + rowH * stages.length + 6;
  const maxLeads = Math.max(1, ...stages.map((s) => s.leads));
  const maxDwell = Math.max(1, ...stages.flatMap((s) => [s.medianDwellHours ?? 0, s.standardHours ?? 0]));
  const rows = stages
    .map((s, i) => {
      const y = top + i * rowH;
      const w = Math.max(2, (s.leads / maxLeads) * funnelW);
      const cx = labelW + funnelW / 2;
      const over = s.medianDwellHours != null && s.standardHours != null && s.medianDwellHours > s.standardHours;
      const dwell =
        s.medianDwellHours == null
          ? `<text x="${dwellX}" y="${y + 22}" font-size="12" fill="#57606a">${s.stage === 'won' ? '终点阶段' : '尚无离开此阶段的线索'}</text>`
          : `<rect x="${dwellX}" y="${y + 10}" width="${(s.medianDwellHours / maxDwell) * dwellW}" height="16" fill="${over ? '#cf222e' : '#4e79a7'}" opacity="0.85"/>
${s.standardHours != null ? `<line x1="${dwellX + (s.standardHours / maxDwell) * dwellW}" y1="${y + 5}" x2="${dwellX + (s.standardHours / maxDwell) * dwellW}" y2="${y + 31}" stroke="#24292f" stroke-width="2"/>` : ''}
<text x="${dwellX + dwellW + 8}" y="${y + 16}" font-size="12" fill="${over ? '#cf222e' : '#24292f'}" font-weight="${over ? 700 : 400}">${duration(s.medianDwellHours)}${over ? ' 超标' : ' 达标'}</text>
<text x="${dwellX + dwellW + 8}" y="${y + 31}" font-size="11" fill="#57606a">标准 ${duration(s.standardHours)}${s.overdue ? ` · ${s.overdue} 条超时` : ''}</text>`;
      const desc = `${s.label}：到达 ${s.leads} 条线索，当前处于该阶段 ${s.current} 条；中位停留 ${duration(s.medianDwellHours)}，标准 ${duration(s.standardHours)}${over ? '，超标' : ''}；${s.overdue} 条在此阶段超时`;
      return `<g class="funnel-stage" data-stage="${esc(s.stage)}"><title>${esc(desc)}</title>
<text x="${labelW - 8}" y="${y + 23}" font-size="13" text-anchor="end">${esc(s.label)}</text>
<rect x="${cx - w / 2}" y="${y + 6}" width="${w}" height="${rowH - 12}" rx="3" fill="${s.stage === 'won' ? '#1a7f37' : '#54aeff'}"/>
<text x="${cx}" y="${y + 23}" font-size="13" text-anchor="middle" font-weight="700" fill="#0d1117" paint-order="stroke" stroke="#ffffff" stroke-width="3">${s.leads} 条（当前 ${s.current}）</text>
${dwell}</g>`;
    })
    .join('\n');
  return `<svg class="chart" id="funnel-chart" role="img" aria-labelledby="funnel-chart-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="funnel-chart-t">线索阶段漏斗与各阶段中位停留时长（竖线为标准时长）</title>
<text x="${labelW + funnelW / 2}" y="14" font-size="12" text-anchor="middle" fill="#57606a">到达该阶段的线索数（括号内为当前所处）</text>
<text x="${dwellX}" y="14" font-size="12" fill="#57606a">中位停留时长（黑色竖线 = 标准时长）</text>
${rows}</svg>`;
}

export const ATTITUDE_COLORS = ['#d73027', '#fc8d59', '#fee08b', '#91cf60', '#1a9850'];

/** Customers × days heat map of the daily-report attitude score; runs of ≥ 3 days at ≤ 2 get a red frame. */
export function attitudeHeatmap(att: AttitudeVM): string {
  const cell = 17;
  const left = 210;
  const top = 44;
  const width = left + att.days.length * cell + 90;
  const height = top + att.rows.length * cell + 10;
  const header = att.days
    .map((d, j) => {
      const day = new Date(`${d}T00:00:00Z`).getUTCDay();
      const show = j === 0 || day === 1;
      return show
        ? `<text x="${left + j * cell + 2}" y="${top - 22}" font-size="10" fill="#57606a">${esc(d.slice(5))}</text><line x1="${left + j * cell}" y1="${top - 18}" x2="${left + j * cell}" y2="${top - 2}" stroke="#afb8c1"/>`
        : '';
    })
    .join('');
  const weekdays = att.days
    .map((d, j) => {
      const w = '日一二三四五六'[new Date(`${d}T00:00:00Z`).getUTCDay()];
      return `<text x="${left + j * cell + cell / 2}" y="${top - 5}" font-size="9" text-anchor="middle" fill="#8c959f">${w}</text>`;
    })
    .join('');
  const rows = att.rows
    .map((r, i) => {
      const y = top + i * cell;
      const cells = r.scores
        .map((s, j) => {
          const x = left + j * cell;
          if (s == null) return `<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="#f3f4f6"><title>${esc(r.customerName)} ${att.days[j]}：无日报</title></rect>`;
          const fill = ATTITUDE_COLORS[Math.min(5, Math.max(1, Math.round(s))) - 1];
          return `<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${esc(r.customerName)} ${att.days[j]}：态度 ${num(s, 1)} 分</title></rect><text x="${x + cell / 2 - 0.5}" y="${y + 12}" font-size="9.5" text-anchor="middle" fill="${s <= 1.5 || s >= 4.5 ? '#fff' : '#24292f'}">${Math.round(s)}</text>`;
        })
        .join('');
      const frames = r.redRuns
        .map(
          (run) =>
            `<rect class="red-run" x="${left + run.from * cell - 1}" y="${y - 1}" width="${(run.to - run.from + 1) * cell + 1}" height="${cell + 1}" fill="none" stroke="#a40e26" stroke-width="2.5"><title>${esc(r.customerName)}：${att.days[run.from]} 至 ${att.days[run.to]} 连续 ${run.to - run.from + 1} 天 ≤ 2 分</title></rect>`,
        )
        .join('');
      const label = `${r.customerName}`;
      const nameEl = r.leadHref
        ? `<a href="${esc(r.leadHref)}"><text x="6" y="${y + 12}" font-size="12" fill="#0969da">${esc(label)}</text></a>`
        : `<text x="6" y="${y + 12}" font-size="12">${esc(label)}</text>`;
      const flag = r.redRuns.length ? `<text x="${left + att.days.length * cell + 6}" y="${y + 12}" font-size="11" fill="#a40e26" font-weight="700">⚠ 连续低分</text>` : '';
      return `<g class="att-row" data-customer="${esc(r.customerId)}" data-red="${r.redRuns.length > 0}">${nameEl}<text x="${left - 6}" y="${y + 12}" font-size="10" text-anchor="end" fill="#57606a">${esc(r.customerType)}·${esc(r.repName)}</text>${cells}${frames}${flag}</g>`;
    })
    .join('\n');
  return `<svg class="chart" id="attitude-chart" role="img" aria-labelledby="attitude-chart-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="attitude-chart-t">客户态度热力图：每格为销售日报中的客户态度分（1–5），红框为连续 3 天及以上 ≤ 2 分</title>${header}${weekdays}
${rows}</svg>`;
}

export function attitudeLegend(): string {
  const items = ATTITUDE_COLORS.map((c, i) => `<span><span class="sw" style="background:${c}"></span>${i + 1} 分</span>`).join('');
  return `<div class="legend" aria-hidden="true">${items}<span><span class="sw" style="background:#f3f4f6"></span>无日报</span><span><span class="sw" style="background:#fff;border:2.5px solid #a40e26"></span>连续 3 天 ≤ 2 分（高风险）</span></div>`;
}

/** The rep against the top group (and the rest) on each behaviour that separates them. */
export function comparisonChart(rows: ComparisonVM[], repName: string): string {
  const rowH = 64;
  const left = 250;
  const barW = 380;
  const top = 10;
  const width = left + barW + 130;
  const height = top + rowH * rows.length;
  const max = Math.max(0.5, ...rows.flatMap((r) => [r.rep ?? 0, r.top, r.rest]));
  const x = (v: number) => left + (v / max) * barW;
  const body = rows
    .map((r, i) => {
      const y = top + i * rowH;
      const scope = r.customerType ? `（${r.customerType}客户）` : '（全部客户）';
      const repV = r.rep ?? 0;
      const verdict =
        r.rep == null
          ? { text: '本人暂无可比线索', color: '#57606a' }
          : r.status !== 'established'
            ? { text: r.statusLabel, color: '#57606a' }
            : r.short
              ? { text: '低于优秀组', color: '#cf222e' }
              : { text: '不低于优秀组', color: '#1a7f37' };
      const desc = `${r.stageLabel}前的${r.behaviorLabel}${scope}：${repName} ${r.rep == null ? '无数据' : r.repText} 次/线索，优秀组 ${r.topText}，其他销售 ${r.restText}（${r.statusLabel}）`;
      return `<g class="cmp-row" data-finding="${esc(r.findingId)}" data-behavior="${esc(r.behavior)}" data-stage="${esc(r.stage)}"><title>${esc(desc)}</title>
<text x="${left - 10}" y="${y + 20}" font-size="13" text-anchor="end" font-weight="600">${esc(r.behaviorLabel)}</text>
<text x="${left - 10}" y="${y + 37}" font-size="11" text-anchor="end" fill="#57606a">在「${esc(r.stageLabel)}」之前${esc(scope)}</text>
<text x="${left - 10}" y="${y + 52}" font-size="11" text-anchor="end" fill="${verdict.color}">${esc(verdict.text)}</text>
<rect x="${left}" y="${y + 8}" width="${Math.max(1, x(repV) - left)}" height="18" fill="${r.short ? '#fb8f44' : '#4e79a7'}"/>
<text x="${x(repV) + 6}" y="${y + 22}" font-size="12">${r.rep == null ? '本人：没有足够的可比线索' : `本人 ${esc(r.repText)}（${r.repLeads} 条线索）`}</text>
<rect x="${left}" y="${y + 30}" width="${Math.max(1, x(r.top) - left)}" height="18" fill="#1a7f37"/>
<text x="${x(r.top) + 6}" y="${y + 44}" font-size="12">优秀组 ${esc(r.topText)}</text>
<line x1="${x(r.rest)}" y1="${y + 4}" x2="${x(r.rest)}" y2="${y + 52}" stroke="#24292f" stroke-dasharray="3 2"/>
<text x="${x(r.rest) + 3}" y="${y + 61}" font-size="10" fill="#57606a">其他销售 ${esc(r.restText)}</text></g>`;
    })
    .join('\n');
  return `<svg class="chart" id="cmp-chart" role="img" aria-labelledby="cmp-chart-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<title id="cmp-chart-t">${esc(repName)}与优秀组在关键行为上的对比（每条线索平均次数）</title>
${body}</svg>`;
}
