import type { AnalyzedSegment, Commitment } from './types.ts';
import { parseDueTime } from './due-time.ts';

/**
 * Commitments of a call: every rep utterance whose behaviours include `commitment` (a concrete promise with a
 * time, decided by analyze/behaviors.ts). `text` is the promise itself — the sentence holding the due-time
 * expression, starting at the clause that names who promises (好的王总，我明天上午把报价单发给您。→
 * 我明天上午把报价单发给您) — and `dueAt` its deadline in Asia/Shanghai, or null when no time can be pinned down.
 */
export function extractCommitments(segments: AnalyzedSegment[], now: Date): Commitment[] {
  const out: Commitment[] = [];
  segments.forEach((s, i) => {
    if (s.speaker !== 'rep' || !s.behaviors.includes('commitment')) return;
    const due = parseDueTime(s.text, now);
    out.push({ segment: i, text: due ? promiseText(s.text, due.start, due.end) : trimPunct(s.text), dueAt: due ? due.iso : null });
  });
  return out;
}

const SENTENCE_END = /[。！？!?；;]/;
const CLAUSE_END = /[，,、：:]/;
const SUBJECT = /我|咱们|咱|我们/;

function trimPunct(s: string): string {
  return s.replace(/^[\s，,、。！？!?；;：:]+|[\s，,、。！？!?；;：:]+$/g, '');
}

/** The sentence around [start, end), from the clause with the promiser (我/我们) or the expression's clause. */
export function promiseText(text: string, start: number, end: number): string {
  let sStart = start;
  while (sStart > 0 && !SENTENCE_END.test(text[sStart - 1])) sStart--;
  let sEnd = end;
  while (sEnd < text.length && !SENTENCE_END.test(text[sEnd])) sEnd++;
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
