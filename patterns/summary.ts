import { loadCoachingTemplates, type CoachingTemplates } from '../lexicons/coaching/load.ts';
import type { MiningResult } from './types.ts';

const MAX_LINES = 20;

/** A readable Chinese summary of a mining result (the CLI without --json). */
export function formatMiningSummary(r: MiningResult, t: CoachingTemplates = loadCoachingTemplates()): string {
  const label = (s: string) =>
    (t.labels.behaviors as Record<string, string>)[s] ?? (t.labels.stages as Record<string, string>)[s] ?? s;
  const num = (v: number | null) => (v === null ? '—' : String(Math.round(v * 100) / 100));
  const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
  const sci = (v: number | null) => (v === null ? '—' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));
  const out: string[] = [];
  out.push('听见 · Top 销售行为挖掘');
  out.push(
    `事件 ${r.stats.events} 条，线索 ${r.stats.leads} 个。优秀组（前 ${Math.round(r.topShare * 100)}%）：${r.groups.top.join('、') || '无'}` +
      `（${r.stats.leadsTop} 个线索）；其余 ${r.groups.rest.length} 名销售（${r.stats.leadsRest} 个线索）。`,
  );
  if (r.groupsTooSmall) out.push(`⚠ ${r.groupsTooSmall}`);
  if (r.malformed.length) {
    out.push(`⚠ 跳过 ${r.malformed.length} 行格式错误的数据：`);
    for (const m of r.malformed.slice(0, MAX_LINES)) out.push(`  第 ${m.line} 行 [${m.code}] ${m.message}`);
    if (r.malformed.length > MAX_LINES) out.push(`  ……另有 ${r.malformed.length - MAX_LINES} 行`);
  }
  const sig = r.beforeStage.filter((x) => x.qValue !== null && x.qValue < 0.05);
  out.push('', `一、进入各阶段之前的行为差异（q < 0.05，共 ${sig.length} 项）`);
  if (!sig.length) out.push('  没有显著差异。');
  for (const x of sig.slice(0, MAX_LINES)) {
    out.push(
      `  进入「${label(x.stage)}」前「${label(x.behavior)}」：优秀组 ${num(x.top)} 次，其余 ${num(x.rest)} 次` +
        `（客户类型：${x.customerType ?? '全部'}；线索 ${x.leadsTop}/${x.leadsRest}；p=${sci(x.pValue)}，q=${sci(x.qValue)}）`,
    );
  }
  out.push('', `二、行为序列差异（q < 0.05，共 ${r.patterns.length} 项，已去除重复）`);
  if (!r.patterns.length) out.push('  没有显著差异。');
  for (const p of r.patterns.slice(0, MAX_LINES)) {
    const gap = p.steps.length === 1 ? '' : p.maxGapHours === null ? '，相邻间隔不限' : `，相邻间隔 ≤ ${p.maxGapHours} 小时`;
    out.push(
      `  ${p.steps.map(label).join(' → ')}${gap}：优秀组 ${pct(p.topSupport)} 的线索，其余 ${pct(p.restSupport)}` +
        `（p=${sci(p.pValue)}，q=${sci(p.qValue)}）`,
    );
  }
  out.push('', `三、个人辅导建议（${r.coaching.length} 名销售）`);
  if (!r.coaching.length) out.push('  暂无：需要提供录音证据（--evidence），且销售确实落后于 优秀组。');
  for (const c of r.coaching.slice(0, MAX_LINES)) {
    out.push(`  ${c.rep}：`);
    for (const s of c.suggestions) {
      out.push(`    · ${s.message}`);
      for (const tip of s.tips) out.push(`      建议：${tip}`);
      for (const rec of s.evidence.recordings) {
        const m = rec.moments[0];
        const where = m.startSec != null ? `${Math.round(m.startSec)} 秒处` : m.segment != null ? `第 ${m.segment + 1} 段` : '';
        out.push(`      证据：录音 ${rec.recordingId}（线索 ${rec.lead}，${rec.at}）${where}${m.text ? `「${m.text}」` : ''}`);
      }
    }
  }
  if (r.stats.patternCapReached) out.push('', '⚠ 候选模式数量达到上限，部分长模式未被搜索。');
  return out.join('\n');
}
