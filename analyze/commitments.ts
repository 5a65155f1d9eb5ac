import type { AnalyzedSegment, Commitment } from './types.ts';
import { parseAllDueTimes, type DueTime } from './due-time.ts';

/**
 * Commitments of a call: rep utterances whose behaviours include `commitment` (analyze/behaviors.ts) and in which
 * a due time is followed, in the same sentence, by something promised (发/寄/回复/安排/过来 …; see
 * promiseDueTime). `text` is the promise itself — the sentence holding that due time, starting at the clause that
 * names who promises (好的王总，我明天上午把报价单发给您。→ 我明天上午把报价单发给您) — and `dueAt` its deadline.
 */
export function extractCommitments(segments: AnalyzedSegment[], now: Date): Commitment[] {
  const out: Commitment[] = [];
  segments.forEach((s, i) => {
    if (s.speaker !== 'rep' || !s.behaviors.includes('commitment')) return;
    const due = promiseDueTime(s.text, now);
    if (due) out.push({ segment: i, text: promiseText(s.text, due.start, due.end), dueAt: due.iso });
  });
  return out;
}

/** What a rep promises to do or deliver by a time. 打扰 marks a greeting (今天过来打扰了), not a promise. */
const PROMISE = /发|寄|送|约|讲|演示|出货|给您|给你|回复|答复|回电|回话|联系|安排|提供|报价|出方案|做好|做出来|搞定|确认|落实|到货|到场|上门|拜访|过来|过去|去现场|到现场|去您|到您|带|处理|解决|申请|跟进|通知|排产|交货|发货|到$/;
const NOT_PROMISE = /打扰|打搅|了解一下|想了解|听听/;
/** 如果您这边能三天内确认 / 只要您五号之前确认: a condition on the customer, not the rep's promise. */
const CONDITION = /如果|只要|要是|假如|万一/;
const TODAY = /^(今天|今儿|今日)$/;

/**
 * The due time a promise is tied to: of all time expressions, the first whose rest of the sentence names a
 * deliverable (我今天回去整理一下，明天上午把报价单发您 → 明天上午, not 今天). Null when none does.
 */
export function promiseDueTime(text: string, now: Date): DueTime | null {
  for (const due of parseAllDueTimes(text, now)) {
    let end = due.end;
    while (end < text.length && !SENTENCE_END.test(text[end]) && !CLAUSE_END.test(text[end])) end++;
    let start = due.start;
    while (start > 0 && !SENTENCE_END.test(text[start - 1]) && !CLAUSE_END.test(text[start - 1])) start--;
    const after = text.slice(due.end, end);
    const before = text.slice(start, due.start);
    if (!PROMISE.test(after) || NOT_PROMISE.test(after) || CONDITION.test(before)) continue;
    // 今天(我们)过来… describes the visit that is happening, not a promise.
    if (TODAY.test(due.expression) && /过来/.test(after)) continue;
    return due;
  }
  return null;
}

const SENTENCE_END = /[。！？!?；;]/;
const CLAUSE_END = /[，,、：:]/;
const SUBJECT = /我|咱们|咱|我们/;

function trimPunct(s: string): string {
  return s.replace(/^[\s，,、。！？!?；;：:]+|[\s，,、。！？!?；;：:]+$/g, '');
}

/** From the clause naming the promiser (我/我们), or the expression's own clause, to the end of that clause. */
export function promiseText(text: string, start: number, end: number): string {
  let sStart = start;
  while (sStart > 0 && !SENTENCE_END.test(text[sStart - 1])) sStart--;
  let sEnd = end;
  while (sEnd < text.length && !SENTENCE_END.test(text[sEnd]) && !CLAUSE_END.test(text[sEnd])) sEnd++;
  // Clause starts inside the sentence, up to the expression's clause.
  const clauseStarts = [sStart];
  for (let i = sStart; i < start; i++) if (CLAUSE_END.test(text[i])) clauseStarts.push(i + 1);
  let from = clauseStarts[clauseStarts.length - 1];
  for (let k = clauseStarts.length - 1; k >= 0; k--) {
    const cEnd = k + 1 < clauseStarts.length ? clauseStarts[k + 1] : start;
    const clause = text.slice(clauseStarts[k], k === clauseStarts.length - 1 ? end : cEnd);
    if (SUBJECT.test(clause)) {
      from = clauseStarts[k];
      break;
    }
  }
  return trimPunct(text.slice(from, sEnd));
}
