/**
 * The promise ledger of a call: what each side promised to do by when (docs/transcript-format.md § commitments).
 * Rules, matched on characters (not jieba tokens), per time expression and its clause:
 * - a promise is a due time followed in its clause by something promised (发/寄/回复/过来 … for the rep;
 *   答复/下单/付/签 … for the customer), said by the first person or no named subject;
 * - not a promise: a condition before it in the sentence (您要是周五前签样，我们…; 如果…的话), a standing schedule or
 *   product fact (每天/一般/老规矩, 当天, 下单后三天内), a question or an offer (要不我下周二带过来？);
 * - an offer becomes binding when the other side accepts it: on the offerer's confirmation if they confirm, else on
 *   the acceptance line (行，那你下周二带过来吧 → the rep's promise);
 * - the same promise said again (same side, same day, same kind of action), or echoed by the other side, is one entry;
 *   a more precise time said later (下周二 → 下周二上午) moves its deadline;
 * - two different promises in one line are two entries.
 * The side is the speaker's role; on a line whose role is uncertain, the likelier side (RoleEstimate.pRep).
 * Without punctuation (speech-to-text) a segment is one sentence, and the previous segment of the same speaker
 * after a short pause is read as the start of the same sentence, so a condition said just before still counts.
 */
import { parseAllDueTimes, type DueTime } from './due-time.ts';
import type { Commitment } from './types.ts';

export interface LedgerLine {
  text: string;
  pRep: number;
  start: number | null;
  end: number | null;
}

type Side = 'rep' | 'customer';

const SENTENCE_END = /[。！？!?；;]/;
const CLAUSE_END = /[，,、：:]/;
const DELIVER = /(?<![不没收])到(?=[，,。！!；;]|$)|发|寄|送|带|传|给您|给你|给到|等您|等你|弄|帮您|帮你|办|改|修改|反馈|准时到|我到|就到|到您|到你们|回复|答复|回话|回电|回个|打电话|打给|联系|通知|告诉|安排|提供|报价|出方案|出图|做好|做出来|整理|搞定|确认|落实|到货|到场|上门|拜访|过来|过去|去现场|到现场|去您|到您|处理|解决|申请|跟进|排产|交货|发货|出货|换|补|退|装|调试|培训|演示|试|到$|能到|送到/;
const CUSTOMER_ACT = /下单|下了|下$|就下|付|打款|转账|转给|汇|签|寄|送|带|腾|清|反馈|回话|回个话|回电|组织|准备|发恁|发微信|发邮箱|拍给|盖章|定下|定了|决定|拍板|确认|答复|回复|回你|回您|告诉|给你|给您|给个|发你|发您|发给|发过来|传|问完|问一下|问问|商量|报上去|提交|走完|批下来|审完|办完|弄完|弄好|整理好|准备好|通知|联系|打电话|打给/;
const NOT_PROMISE = /打扰|打搅|了解一下|想了解|听听|截止|得开会|要开会|在外地|不在|出差|^(不|没|还没|就不|也不|都不|有点|以后|之后)/;
const CONDITION = /如果|要是|只要|假如|假设|万一|的话|一旦|等您|等你|看您|看你们|除非|最好/;
/** The part of CONDITION that also counts when said after the time (明天…要是能定下来). */
const CONDITION_AFTER = /如果|要是|只要|假如|假设|万一|的话|一旦|除非/;
/** An appointment made before this conversation (上周约好今天十点半过来的), not a new promise. */
const EARLIER = /约好|约的|约了|说好/;
/** 发我 / 给我: the other side is the one who will do it. */
const TO_ME = /^(就|先|再)?(发|给|寄|送|传|拿)(给)?(我|俺)/;
const HABIT = /每天|每周|每个月|每月|每次|每年|每礼拜|每星期|一般|通常|平时|平常|正常|都是|都会|都能|老规矩|一律|默认|标准|常规|向来|一向|从来|全年|随时|规定|合同写|写的是|写进合同|合同里|次月|值守|监控|我们是|在线|有人/;
/** Said anywhere in the sentence, these make the whole of it a standing rule (…次日上午十点前送到，老规矩). */
const STANDING = /老规矩|一般|通常|每天|每次|每周|七乘二十四|二十四小时|24小时|全年/;
/** A due time named by a duration (两小时内, 三个工作日内) promises only with a personal subject or recipient. */
const DURATION_EXPR = /(小时|分钟|钟头|天|工作日|周|星期|礼拜|月)(之内|以内|内)$/;
const PERSONAL = /我(?!们)|给您|给你|发您|发你|帮您|帮你|保证|肯定|一定/;
/** A time counted from an event (下单后三天内, 收到货当天): a service rule, not a dated promise. */
const EVENT_RELATIVE = /(后|之后|以后|起)$/;
const OFFER = /要不|要不要|建议|我们?可以|可以给您|能给您|行不行|可以吗|可不可以|行吗|好吗|好不好|怎么样|如何|方便吗|方便不|您看行|你看行|您看可以|你看可以|合适吗|可以不/;
const ACCEPT = /^(好|行|可以|没问题|成|中|要得|那就|就这么|OK|ok|嗯好|嗯行|嗯可以|对|那你|那您|那麻烦)/;
const REJECT = /不用|不行|算了|不了|再说|不要|别|改天|先不/;
const FIRST = /我|咱|俺/;
const SECOND = /你|您|恁/;

interface Candidate {
  line: number;
  side: Side;
  due: DueTime;
  kind: string;
  text: string;
}

/** The kind of action, so two promises of one day are told apart (发报价 vs 上门). */
function actionKind(s: string): string {
  if (/(送|拉|寄|带|运)(过来|过去)/.test(s)) return 'deliver';
  if (/过来|过去|上门|拜访|到现场|去现场|去您|到您|来/.test(s)) return 'visit';
  if (/回复|答复|回话|回电|回个|打电话|打给|告诉|通知|联系|确认|回你|回您/.test(s)) return 'reply';
  if (/到货|发货|出货|交货|送到|送过|排产|装|调试|能到/.test(s)) return 'deliver';
  if (/下单|下了|付|打款|转账|汇|签|盖章/.test(s)) return 'order';
  if (/发|传|寄|给您|给你|报价|方案|出图|整理/.test(s)) return 'send';
  return 'other';
}

function bounds(text: string, at: number, dir: -1 | 1, stop: RegExp): number {
  let i = at;
  if (dir < 0) while (i > 0 && !stop.test(text[i - 1])) i--;
  else while (i < text.length && !stop.test(text[i])) i++;
  return i;
}

const ANY_END = new RegExp(`${SENTENCE_END.source}|${CLAUSE_END.source}`);

/** Promise candidates of one line (before offers and repeats are resolved). */
function lineCandidates(lines: LedgerLine[], i: number, now: Date): { promises: Candidate[]; offers: Candidate[] } {
  const line = lines[i];
  const side: Side = line.pRep >= 0.5 ? 'rep' : 'customer';
  const promises: Candidate[] = [];
  const offers: Candidate[] = [];
  const prefix = carriedPrefix(lines, i);
  // Most lines promise nothing: no promise word, no need to read their times.
  if (!(side === 'rep' ? DELIVER : CUSTOMER_ACT).test(line.text) && !SECOND.test(line.text)) return { promises, offers };
  const dues = parseAllDueTimes(line.text, now);
  for (const [k, due] of dues.entries()) {
    const text = line.text;
    const sStart = bounds(text, due.start, -1, SENTENCE_END);
    const sEnd = bounds(text, due.end, 1, SENTENCE_END);
    const cStart = bounds(text, due.start, -1, ANY_END);
    const cEnd = bounds(text, due.end, 1, ANY_END);
    const before = prefix + text.slice(sStart, due.start);
    const clause = text.slice(cStart, cEnd);
    // What follows the time up to the end of its sentence, stopping at the next time expression.
    // What follows the time: its clause and the next one (我明天上午，把报价单发您), up to the next time expression.
    const nextClauseEnd = cEnd < sEnd ? bounds(text, cEnd + 1, 1, ANY_END) : cEnd;
    const after = text.slice(due.end, Math.min(nextClauseEnd, dues[k + 1]?.start ?? sEnd));
    const act = side === 'rep' ? DELIVER : CUSTOMER_ACT;
    if (!act.test(after) || NOT_PROMISE.test(after)) continue;
    // 今天礼拜三: a statement of the date, not a deadline.
    if (/(今天|今儿|今日)是?$/.test(text.slice(cStart, due.start)) && /^(这个?|本)?(周|星期|礼拜)/.test(due.expression)) continue;
    if (CONDITION.test(before) || CONDITION_AFTER.test(after) || EARLIER.test(before) || HABIT.test(clause) || HABIT.test(text.slice(sStart, due.start)) || STANDING.test(text.slice(sStart, sEnd))) continue;
    if (/^(当天|当日)/.test(due.expression) || EVENT_RELATIVE.test(text.slice(cStart, due.start))) continue;
    if (DURATION_EXPR.test(due.expression) && !PERSONAL.test(clause + after)) continue;
    // 今天过来 / 今天我把设计师也带来了: this visit, or something already done.
    if (/^(今天|今儿|今日)$/.test(due.expression) && (/过来/.test(after) || /(来|到|好|完)了/.test(after))) continue;
    // The subject is before the time or right after it (明天你过来); 您 in 发您 is the recipient.
    const subjBefore = text.slice(cStart, due.start);
    const subjAfter = /^(就|再|先|也|都)?(你们|您|你|我们|我|咱们|咱)/.exec(after)?.[2] ?? '';
    const second = (SECOND.test(subjBefore) && !FIRST.test(subjBefore)) || SECOND.test(subjAfter) || TO_ME.test(after);
    const who: Side = second ? (side === 'rep' ? 'customer' : 'rep') : side;
    const sentence = text.slice(sStart, sEnd + 1);
    const ownClauseEnd = bounds(text, due.end, 1, /[，,；;。！!？?]/);
    const c: Candidate = { line: i, side: who, due, kind: actionKind(after), text: promiseText(text, cStart, Math.max(cEnd, Math.min(sEnd, due.end + after.length)), sStart) };
    if (OFFER.test(sentence) || /[？?]/.test(text[ownClauseEnd] ?? '') || who !== side) offers.push(c);
    else promises.push(c);
  }
  return { promises, offers };
}

/** The previous segment of the same speaker after a short pause, when this one has no punctuation before it. */
function carriedPrefix(lines: LedgerLine[], i: number): string {
  const prev = lines[i - 1];
  const cur = lines[i];
  if (!prev || prev.end === null || cur.start === null || cur.start - prev.end > 0.7) return '';
  if ((prev.pRep >= 0.5) !== (cur.pRep >= 0.5) || /[。！？!?；;]$/.test(prev.text)) return '';
  return prev.text;
}

function promiseText(text: string, cStart: number, cEnd: number, sStart: number): string {
  let from = cStart;
  // Start at the clause naming the promiser when it is earlier in the sentence (好的王总，我明天上午把报价单发您).
  for (let k = cStart - 1; k >= sStart; k--) if (CLAUSE_END.test(text[k]) && FIRST.test(text.slice(k + 1, cStart))) from = k + 1;
  return text.slice(from, cEnd).replace(/^[\s，,、。！？!?；;：:]+|[\s，,、。！？!?；;：:]+$/g, '');
}

const dayOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Han bigrams of what is promised, without pronouns and time words: 报价单 in 我明天上午把报价单发您. */
function objectBigrams(c: Candidate): Set<string> {
  const t = c.text.replace(c.due.expression, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) {
    const b = t.slice(i, i + 2);
    if (/^[\u4e00-\u9fff]{2}$/.test(b) && !/[我你您他她咱俺们把给发的了一这那就再先上下午天明今点前之]/.test(b)) out.add(b);
  }
  return out;
}

/**
 * The same promise said again: same side, same day, same kind of action; close together (within 6 lines) they must
 * also not name different objects (合同 vs 步骤), while a recap at the end of a visit repeats in its own words.
 */
function samePromise(a: Candidate, b: Candidate): boolean {
  if (a.side !== b.side || dayOf(a.due.dueAt) !== dayOf(b.due.dueAt) || a.kind !== b.kind) return false;
  const x = objectBigrams(a);
  const y = objectBigrams(b);
  return x.size === 0 || y.size === 0 || [...x].some((g) => y.has(g)) || Math.abs(a.line - b.line) > 6;
}

/** Every promise of the call, one entry per promise, in order of where it became binding. */
export function extractPromises(lines: LedgerLine[], now: Date): Commitment[] {
  const ledger: Candidate[] = [];
  const add = (c: Candidate) => {
    const same = ledger.find((o) => samePromise(o, c));
    if (!same) return void ledger.push(c);
    if (c.due.dueAt < same.due.dueAt) same.due = c.due; // 下周二 → 下周二上午: the more precise deadline
  };
  const pending: Candidate[] = [];
  const memo = new Map<number, ReturnType<typeof lineCandidates>>();
  const candidates = (i: number) => {
    let c = memo.get(i);
    if (!c) memo.set(i, (c = lineCandidates(lines, i, now)));
    return c;
  };
  lines.forEach((line, i) => {
    const { promises, offers } = candidates(i);
    const side: Side = line.pRep >= 0.5 ? 'rep' : 'customer';
    // An acceptance of the other side's open offer binds it, unless the offerer confirms in their next line.
    const open = pending.filter((o) => o.side !== side && o.line >= i - 2);
    if (open.length && ACCEPT.test(line.text) && !REJECT.test(line.text.slice(0, 8))) {
      for (const o of open) {
        const confirm = lines.slice(i + 1, i + 3).findIndex((l) => (l.pRep >= 0.5 ? 'rep' : 'customer') === o.side);
        const confirmed = confirm >= 0 && candidates(i + 1 + confirm).promises.some((p) => p.side === o.side && dayOf(p.due.dueAt) === dayOf(o.due.dueAt));
        if (!confirmed) add({ ...o, line: i, due: offers.find((x) => x.side === o.side)?.due ?? o.due });
        pending.splice(pending.indexOf(o), 1);
      }
    }
    for (const p of promises) add(p);
    // A second-person echo of a promise already made (那你明天上午发我哈) is that promise again.
    for (const o of offers) {
      if (o.side !== side && ledger.some((x) => x.side === o.side && dayOf(x.due.dueAt) === dayOf(o.due.dueAt))) add(o);
      else if (o.side === side) pending.push(o);
    }
  });
  return ledger.map((c) => ({ segment: c.line, text: c.text, dueAt: c.due.iso, by: c.side }));
}
