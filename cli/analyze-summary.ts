import type { Lexicon } from '../lexicons/index.ts';
import type { AnalyzedSegment, FileResult, Speaker } from '../analyze/types.ts';

/** Human-readable Chinese summary of one `tingjian analyze` result; tagged words highlighted. */

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
};
/** One colour per category, stable across runs (index in the lexicon). */
const TAG_COLORS = ['33', '35', '36', '32', '34', '31', '93', '95', '96', '92', '94', '91'];

export function useColor(stream: { isTTY?: boolean }): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

const SPEAKER: Record<Speaker, string> = { rep: '销售', customer: '客户', unknown: '未知' };

function clock(sec: number | null): string {
  if (sec === null) return '     ';
  const s = Math.floor(sec);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function duration(sec: number): string {
  const s = Math.round(sec);
  return s >= 60 ? `${Math.floor(s / 60)}分${s % 60}秒` : `${s}秒`;
}

function highlight(seg: AnalyzedSegment, names: Map<string, { name: string; color: string }>, color: boolean): string {
  let out = '';
  let at = 0;
  for (const tag of seg.tags) {
    if (tag.start < at) continue; // overlapping hits: the first one is shown
    const cat = names.get(tag.category);
    const word = seg.text.slice(tag.start, tag.end);
    out += seg.text.slice(at, tag.start);
    out += color
      ? `\x1b[1;${cat?.color ?? '33'}m${word}${ANSI.reset}${ANSI.dim}(${cat?.name ?? tag.category})${ANSI.reset}`
      : `【${word}｜${cat?.name ?? tag.category}】`;
    at = tag.end;
  }
  return out + seg.text.slice(at);
}

export function renderSummary(result: FileResult, lexicon: Lexicon, color: boolean): string {
  const c = (code: string, s: string) => (color ? `${code}${s}${ANSI.reset}` : s);
  if (result.status === 'error') {
    return `${c(ANSI.red, '✗')} ${result.file}  [${result.error.code}] ${result.error.message}\n`;
  }
  const cats = new Map(lexicon.categories.map((cat, i) => [cat.id as string, { name: cat.name, color: TAG_COLORS[i % TAG_COLORS.length] }]));
  const behaviorNames = new Map(lexicon.behaviors.map((b) => [b.id as string, b.name]));
  const lines: string[] = [];
  const kind = result.kind === 'audio' ? '录音' : '转写';
  const dur = result.durationSec !== null ? ` · 时长 ${duration(result.durationSec)}` : '';
  lines.push(`${c(ANSI.green, '✓')} ${c(ANSI.bold, result.file)}  ${kind} · ${result.segments.length} 句${dur}`);

  const topics = Object.entries(result.tagCounts)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([id, n]) => `${cats.get(id)?.name ?? id}×${n}`);
  lines.push(`  话题：${topics.length ? topics.join('  ') : '（未发现）'}`);

  const m = result.metrics;
  const parts = [
    `销售说话占比 ${m.repTalkShare === null ? '未知' : `${Math.round(m.repTalkShare * 100)}%`}`,
    m.longestRepMonologueSec !== null ? `最长销售独白 ${m.longestRepMonologueSec} 秒` : null,
    m.longestCustomerStorySec !== null ? `最长客户陈述 ${m.longestCustomerStorySec} 秒` : null,
    `销售提问 ${m.repQuestions} 个`,
    m.interactivityPerMin !== null ? `互动 ${m.interactivityPerMin} 次/分钟` : null,
    `口头禅 ${(m.fillerRate * 100).toFixed(1)}%`,
  ].filter(Boolean);
  lines.push(`  指标：${parts.join(' · ')}`);

  if (result.commitments.length) {
    lines.push('  承诺：');
    for (const k of result.commitments) {
      const due = k.dueAt ? `截止 ${k.dueAt.slice(0, 16).replace('T', ' ')}` : '未给出时间';
      lines.push(`    • 第${k.segment + 1}句 ${k.text} → ${c(ANSI.bold, due)}`);
    }
  } else {
    lines.push('  承诺：（无）');
  }

  lines.push('  对话：');
  for (const seg of result.segments) {
    const who = SPEAKER[seg.speaker];
    const time = seg.start !== null ? `[${clock(seg.start)}] ` : '';
    lines.push(`    ${time}${c(ANSI.cyan, who)}：${highlight(seg, cats, color)}`);
    if (seg.behaviors.length) {
      lines.push(`        ${c(ANSI.dim, '↳ ' + seg.behaviors.map((b) => behaviorNames.get(b) ?? b).join('、'))}`);
    }
  }
  return lines.join('\n') + '\n';
}
