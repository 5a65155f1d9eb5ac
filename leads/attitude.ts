import type { CallAnalysis } from '../analyze/types.ts';
import { InvalidInputError } from '../core/errors.ts';
import { addDays, isDay } from '../core/time.ts';

export type AttitudeSource = 'report' | 'conversation';

/** One score for one customer on one day (Asia/Shanghai calendar day). */
export interface AttitudeEntry {
  customerId: string;
  repId: string;
  day: string;
  score: number;
  source: AttitudeSource;
}

export const RED_FLAG_DAYS = 3;
export const RED_FLAG_MAX_SCORE = 2;

export function assertAttitudeScore(score: unknown): asserts score is number {
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
    throw new InvalidInputError('invalid_attitude_score', `客户态度评分必须是 1–5 的整数，收到：${String(score)} / score must be an integer 1-5`);
  }
}

export function assertDay(day: unknown): asserts day is string {
  if (!isDay(day)) throw new InvalidInputError('invalid_day', `日期格式应为 YYYY-MM-DD，收到：${String(day)} / day must be YYYY-MM-DD`);
}

export interface DailyScore {
  customerId: string;
  day: string;
  /** Mean of the day's scores from the chosen source, rounded to 0.1. */
  score: number;
  source: AttitudeSource;
}

/**
 * One score per customer per day. What the rep wrote in the daily report wins over the conversation estimate:
 * the rep was there; the estimate fills days without a report.
 */
export function dailyScores(entries: AttitudeEntry[]): DailyScore[] {
  const byKey = new Map<string, { report: number[]; conversation: number[]; customerId: string; day: string }>();
  for (const e of entries) {
    const key = `${e.customerId}\u0000${e.day}`;
    if (!byKey.has(key)) byKey.set(key, { report: [], conversation: [], customerId: e.customerId, day: e.day });
    byKey.get(key)![e.source].push(e.score);
  }
  const out: DailyScore[] = [];
  for (const v of byKey.values()) {
    const source: AttitudeSource = v.report.length > 0 ? 'report' : 'conversation';
    const scores = v[source];
    out.push({ customerId: v.customerId, day: v.day, source, score: Math.round((10 * scores.reduce((a, b) => a + b, 0)) / scores.length) / 10 });
  }
  return out.sort((a, b) => a.customerId.localeCompare(b.customerId) || a.day.localeCompare(b.day));
}

export interface RedFlag {
  customerId: string;
  /** The consecutive calendar days with score ≤ 2, oldest first (3 or more). */
  days: string[];
  scores: number[];
}

/**
 * Customers with `RED_FLAG_DAYS` consecutive calendar days each scoring ≤ 2. A day without any score breaks the run:
 * silence is not evidence of a bad mood. Each maximal run is reported once.
 */
export function redFlags(scores: DailyScore[]): RedFlag[] {
  const byCustomer = new Map<string, DailyScore[]>();
  for (const s of scores) {
    if (!byCustomer.has(s.customerId)) byCustomer.set(s.customerId, []);
    byCustomer.get(s.customerId)!.push(s);
  }
  const flags: RedFlag[] = [];
  for (const [customerId, list] of [...byCustomer.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.day.localeCompare(b.day));
    let run: DailyScore[] = [];
    const flush = () => {
      if (run.length >= RED_FLAG_DAYS) flags.push({ customerId, days: run.map((r) => r.day), scores: run.map((r) => r.score) });
      run = [];
    };
    for (const s of list) {
      const continues = run.length > 0 && addDays(run[run.length - 1].day, 1) === s.day;
      if (s.score <= RED_FLAG_MAX_SCORE) {
        if (!continues) flush();
        run.push(s);
      } else flush();
    }
    flush();
  }
  return flags;
}

export type HeatColor = 'red' | 'orange' | 'yellow' | 'light_green' | 'green';
const COLORS: HeatColor[] = ['red', 'orange', 'yellow', 'light_green', 'green'];

export interface HeatMap {
  days: string[];
  rows: Array<{ customerId: string; cells: Array<{ day: string; score: number | null; color: HeatColor | null; redFlag: boolean }> }>;
}

/** The 客户情绪趋势 heat map: customers × days from..to inclusive, cells in a red run marked. */
export function heatMap(scores: DailyScore[], from: string, to: string): HeatMap {
  const days: string[] = [];
  for (let d = from; d <= to && days.length < 366; d = addDays(d, 1)) days.push(d);
  const flagged = new Set(redFlags(scores).flatMap((f) => f.days.map((d) => `${f.customerId}\u0000${d}`)));
  const byCustomer = new Map<string, Map<string, number>>();
  for (const s of scores) {
    if (!byCustomer.has(s.customerId)) byCustomer.set(s.customerId, new Map());
    byCustomer.get(s.customerId)!.set(s.day, s.score);
  }
  const rows = [...byCustomer.keys()].sort().map((customerId) => ({
    customerId,
    cells: days.map((day) => {
      const score = byCustomer.get(customerId)!.get(day) ?? null;
      return {
        day,
        score,
        color: score === null ? null : COLORS[Math.min(4, Math.max(0, Math.round(score) - 1))],
        redFlag: flagged.has(`${customerId}\u0000${day}`),
      };
    }),
  }));
  return { days, rows: rows.filter((r) => r.cells.some((c) => c.score !== null)) };
}

/** Customer phrases that show warmth or coldness; counted in customer utterances only. */
const POSITIVE = ['挺好', '不错', '满意', '感兴趣', '可以考虑', '没问题', '尽快', '安排一下', '下单', '签合同', '合作愉快', '就这么定', '认可', '很好', '靠谱'];
const NEGATIVE = ['太贵', '贵了', '不考虑', '没兴趣', '不需要', '算了', '再说吧', '以后再说', '不满意', '别家', '另一家', '投诉', '失望', '不行', '没法接受', '拖', '暂时不', '不合适'];

const CUES = [...POSITIVE.map((w) => ({ w, positive: true })), ...NEGATIVE.map((w) => ({ w, positive: false }))].sort(
  (a, b) => b.w.length - a.w.length,
);

/** Counts cue occurrences without letting overlapping cues (太贵/贵了, 暂时不/不考虑) count one phrase twice. */
function countCues(text: string): { p: number; n: number } {
  const used = new Array<boolean>(text.length).fill(false);
  let p = 0;
  let n = 0;
  for (const { w, positive } of CUES) {
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) {
      if (used.slice(i, i + w.length).some(Boolean)) continue;
      used.fill(true, i, i + w.length);
      if (positive) p++;
      else n++;
    }
  }
  return { p, n };
}

export interface AttitudeEstimate {
  score: number;
  positive: number;
  negative: number;
  /** Indices of the customer segments the cues came from. */
  evidence: number[];
}

/**
 * A 1–5 estimate of the customer's attitude in one conversation from warm/cold cue phrases in their utterances:
 * 3 when balanced or silent on both, moving towards 5 or 1 with the balance of cues. Null without customer speech.
 */
export function estimateAttitude(analysis: Pick<CallAnalysis, 'segments'>): AttitudeEstimate | null {
  let positive = 0;
  let negative = 0;
  const evidence: number[] = [];
  let customerSpoke = false;
  analysis.segments.forEach((seg, i) => {
    if (seg.speaker !== 'customer') return;
    customerSpoke = true;
    const { p, n } = countCues(seg.text);
    if (p + n > 0) evidence.push(i);
    positive += p;
    negative += n;
  });
  if (!customerSpoke) return null;
  const total = positive + negative;
  const balance = total === 0 ? 0 : (positive - negative) / total;
  // Few cues should not swing to an extreme: confidence grows with the number of cues, full at 4.
  const strength = Math.min(1, total / 4);
  const score = Math.min(5, Math.max(1, Math.round(3 + 2 * balance * strength)));
  return { score, positive, negative, evidence };
}
