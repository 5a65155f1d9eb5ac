import { parseAllDueTimes, type DueTime } from './due-time.ts';

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
