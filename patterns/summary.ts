import { formatP } from './finding-text.ts';
import type { Finding, MiningResult } from './types.ts';

const MAX_LINES = 20;
/** When the team is too small for significance, the strongest differences are still shown, marked as descriptive. */
const MAX_DESCRIPTIVE = 5;

/** A readable Chinese summary of a mining result (the CLI without --json): the findings' own sentences and figures. */
export function formatMiningSummary(r: MiningResult): string {
  const inf = r.inference;
  const out: string[] = [];
  out.push('听见 · Top 销售行为挖掘');
  out.push(
    `事件 ${r.stats.events} 条，线索 ${r.stats.leads} 个。优秀组（前 ${Math.round(r.topShare * 100)}%）：${r.groups.top.join('、') || '无'}` +
      `（${inf.leads.top} 个线索）；其余 ${r.groups.rest.length} 名销售（${inf.leads.rest} 个线索）。`,
  );
  out.push(
    `比较单位是销售本人（每人的数字至少基于 ${inf.minRepLeads} 条线索）：共 ${inf.family.findings} 项比较，` +
      (inf.group.inFamily
        ? `组间比较${inf.group.exhaustive ? `枚举全部 ${inf.group.relabellings} 种分组` : `随机抽取至多 ${inf.group.relabellings} 种分组`}（最小可达 p = ${formatP(inf.group.minPValue)}）`
        : '组间比较人数不足，不计显著性') +
      (inf.rank.inFamily ? `，另检验与全部 ${inf.reps.top + inf.reps.rest} 人业绩排名的相关` : '') +
      `；Benjamini–Hochberg 校正后 q < ${inf.alpha} 为显著。`,
  );
  if (r.groupsTooSmall) out.push(`⚠ ${r.groupsTooSmall}`);
  if (inf.note) out.push(`⚠ ${inf.note}`);
  if (r.malformed.length) {
    out.push(`⚠ 跳过 ${r.malformed.length} 行格式错误的数据：`);
    for (const m of r.malformed.slice(0, MAX_LINES)) out.push(`  第 ${m.line} 行 [${m.code}] ${m.message}`);
    if (r.malformed.length > MAX_LINES) out.push(`  ……另有 ${r.malformed.length - MAX_LINES} 行`);
  }
  const established = r.findings.filter((f) => f.status === 'established');
  const unstable = r.findings.filter((f) => f.status === 'significant');
  out.push('', `一、已确认的差异（显著，且前后两段时间、去掉任何一位销售后都成立；共 ${established.length} 项）`);
  if (!established.length) out.push('  没有。');
  for (const f of established.slice(0, MAX_LINES)) out.push(line(f));
  out.push('', `二、显著但尚不稳定的差异（不用于辅导；共 ${unstable.length} 项）`);
  if (!unstable.length) out.push('  没有。');
  for (const f of unstable.slice(0, MAX_LINES)) out.push(line(f));
  if (!established.length && !unstable.length && (!inf.group.inFamily || !inf.rank.inFamily)) {
    const shown = r.findings.slice().sort((a, b) => b.tests.group.statistic - a.tests.group.statistic).slice(0, MAX_DESCRIPTIVE);
    out.push('', `三、仅供参考的差异（不具统计意义，不据此辅导；差异最大的 ${shown.length} 项）`);
    for (const f of shown) out.push(line(f));
  }
  out.push('', `个人辅导建议（${r.coaching.length} 名销售；只来自已确认的差异）`);
  if (!r.coaching.length) out.push('  暂无：需要已确认的差异、销售本人确实落后于优秀组，并有录音证据（--evidence）。');
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
  if (r.stats.patternCapReached) out.push('', '⚠ 候选模式数量达到上限，部分模式未被检验。');
  return out.join('\n');
}

function line(f: Finding): string {
  const folded = f.variants.length > 1 ? `；另含 ${f.variants.length - 1} 个相近写法` : '';
  return `  [${f.text.status}] ${f.text.sentence}。${f.text.basis}${f.text.test ? `；${f.text.test}` : ''}${folded}`;
}
