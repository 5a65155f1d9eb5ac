/**
 * Chinese due-time expressions → an absolute deadline in Asia/Shanghai (UTC+8 all year, no DST since 1991, so a
 * fixed offset is exact). Every result is a DEADLINE: the end of the period the speaker named.
 *
 * Default times (documented in docs/transcript-format.md § due times):
 * - a day with no time of day (明天, 后天, 下周三, 3月5号, 月底, 三天内) → 18:00, the end of the working day;
 *   if that day is today and 18:00 has already passed → 23:59 today.
 * - 早上/一早/明早/清早 09:00 · 上午 12:00 · 中午 12:00 · 下午 18:00 · 下班(前) 18:00 · 傍晚 19:00 ·
 *   晚上/今晚/明晚/夜里 22:00 · 凌晨 06:00.
 * - a clock time wins over the period (明天下午三点 → 15:00). Without 上午/下午, 1–6 点 means the afternoon
 *   (business hours): 三点前 → 15:00. A clock time or period with no day is today, or tomorrow if already past.
 * - 周X (no 这/下) is the next such day including today; 这周X/本周X is this ISO week's (Mon–Sun) day even if past;
 *   下周X is next week's. 这周/本周(内) → this Friday 18:00 (Sunday if Friday is past); 下周 → next Friday;
 *   (这)周末 → Sunday.
 * - 月初 → the 5th, 月中 → the 15th, 上旬/中旬/下旬 → the 10th/20th/last day, 月底/月末 → the last day, of this
 *   month, 下个月, or a named month (九月底; next year when that month is past); 这个月/本月(内)
 *   → the last day; 下个月 → the last day of next month. 年底 → 31 Dec, 年初 → 31 Jan, 年中 → 30 Jun.
 * - X月X号 with no year: this year, or next year if that date is already past. X号 alone needs a cue
 *   (X号前, X号上午, 这个月X号, 下个月X号); bare "5号" is too often a model or line number.
 * - N小时/分钟内|后: exact (now + N). N天内|后: today + N days at 18:00; N个工作日内: skipping Sat/Sun;
 *   N周内: + 7N days; N个月内: same day N months later (clamped to month end); 半个月: 15 days; 半天: 4 hours.
 * - 马上/立刻/立即: + 1 hour; 稍后/待会/等会/一会儿: + 2 hours; 这两天: today + 2 days.
 * The first expression in the text wins; at one position the longest reading wins (明天上午十点前 as a whole).
 */

import { shanghaiIso } from '../core/time.ts';

export interface DueTime {
  dueAt: Date;
  /** e.g. 2026-03-03T12:00:00+08:00 */
  iso: string;
  /** The matched words, e.g. 明天上午. */
  expression: string;
  start: number;
  end: number;
}

const OFFSET_MS = 8 * 3600_000;
const END_OF_WORKDAY = 18;

interface Local {
  y: number;
  mo: number; // 1-12
  d: number;
  h: number;
  mi: number;
}

function toLocal(date: Date): Local & { isoWeekday: number } {
  const s = new Date(date.getTime() + OFFSET_MS);
  const wd = s.getUTCDay();
  return {
    y: s.getUTCFullYear(),
    mo: s.getUTCMonth() + 1,
    d: s.getUTCDate(),
    h: s.getUTCHours(),
    mi: s.getUTCMinutes(),
    isoWeekday: wd === 0 ? 7 : wd,
  };
}

/** Local wall time → instant. Date.UTC normalizes overflow, which gives month and year rollover for free. */
function fromLocal(y: number, mo: number, d: number, h = END_OF_WORKDAY, mi = 0): Date {
  return new Date(Date.UTC(y, mo - 1, d, h, mi) - OFFSET_MS);
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const CN_DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** "48", "四十八", "十", "二十三", "一百", "半" → number (NaN when not a number). */
export function parseChineseNumber(s: string): number {
  if (s === '半') return 0.5;
  if (/^[0-9]+$/.test(s)) return Number(s);
  let total = 0;
  let num = 0;
  for (const ch of s) {
    if (ch in CN_DIGIT) num = CN_DIGIT[ch];
    else if (ch === '十') {
      total += (num || 1) * 10;
      num = 0;
    } else if (ch === '百') {
      total += (num || 1) * 100;
      num = 0;
    } else return NaN;
  }
  return total + num;
}

const N = '[0-9]{1,4}|[零〇一二两三四五六七八九十百]{1,4}';
const WEEKDAY_NUM: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 七: 7 };

/** End hour (and minute) of each named period of the day; `pm` says how a bare clock hour inside it reads. */
const PARTS: Array<[RegExp, number, number, 'am' | 'pm' | 'noon']> = [
  [/一早|大早|清早|早上|早晨/y, 9, 0, 'am'],
  [/上午/y, 12, 0, 'am'],
  [/中午|午饭前/y, 12, 0, 'noon'],
  [/下午/y, 18, 0, 'pm'],
  [/下班之前|下班以前|下班前|下班/y, 18, 0, 'pm'],
  [/傍晚/y, 19, 0, 'pm'],
  [/晚上|晚间|夜里/y, 22, 0, 'pm'],
  [/凌晨/y, 6, 0, 'am'],
];

// Sticky patterns, compiled once (the parser tries them at every anchor character).
const REL_DAY = /(大后天|后天|明天|明日|明儿|今天|今日|今儿|当天|当日)/y;
/** 第二天/次日/隔天: the day after the day being talked about (an earlier day word in the text, else today). */
const NEXT_DAY = /(第二天|第二日|次日|隔天|隔日|第三天)/y;
const DAY_WITH_PART = /(今|明)(早上|早|晚上|晚|夜)/y;
const WEEKDAY = /(这个?|本|下下个?|下个?)?(周|星期|礼拜)([一二三四五六日天七1-7])/y;
const ISO_DATE = /(20[0-9]{2})[-/.](1[0-2]|0?[1-9])[-/.](3[01]|[12][0-9]|0?[1-9])/y;
const HHMM = /([01]?[0-9]|2[0-3])[:：]([0-5][0-9])/y;
const SUFFIX = /之前|以前|之内|以内|为止|左右|前|内/y;
const NAMED_MONTH_PART = new RegExp(`(今年|明年)?(${N})月(初|上旬|中旬|下旬|中|底|末)`, 'y');
const MONTH_PART = /(这个?月?|本月?|当月|下下个?月?|下个?月?)?(月底|月末|月初|月中|上旬|中旬|下旬)/y;
const MONTH_BARE = /(这个月|本月|当月|下下个?月|下个?月)(之内|以内|内|之前|以前|前|底前)?/y;
const YEAR_PART = /(今年|明年)?(年底|年末|年初|年中)/y;
const WEEK = /(这个?|本|下下个?|下个?)?(周|星期|礼拜)(末)?(之内|以内|内|之前|以前|前)?/y;
const THESE_TWO_DAYS = /这两天/y;
const SOON = /(马上就?|立刻|立即|稍后|待会儿?|等会儿?|过一会儿?|一会儿)/y;
const MONTH_DAY = new RegExp(`(今年|明年|[0-9]{4}年)?(${N})月(${N})[号日]`, 'y');
const DAY_OF_MONTH = new RegExp(`(这个月|本月|下个?月)?(${N})[号日]`, 'y');
const CLOCK = new RegExp(`(${N})(?:点钟|点|时)(半|一刻|三刻|整|过?(${N})分?)?`, 'y');
const DURATION = new RegExp(`(${N}|半)(个)?(半)?(小时|钟头|分钟|天|工作日|周|星期|礼拜|月)(之内|以内|内|之后|以后|后)`, 'y');

interface DayRef {
  y: number;
  mo: number;
  d: number;
  /** Part of day already carried by the day word (今晚, 明早). */
  part?: { h: number; mi: number; mode: 'am' | 'pm' | 'noon' };
}

interface Hit {
  due: Date;
  end: number;
  /** Deadline named by a clock time or computed exactly: never moved by the "already past" rules. */
  exact?: boolean;
}

class Parser {
  readonly now: Local & { isoWeekday: number };
  /** The last day a day word in this text named, for 第二天/次日. */
  private lastDay: DayRef | null = null;
  constructor(
    readonly text: string,
    readonly nowDate: Date,
  ) {
    this.now = toLocal(nowDate);
  }

  private at(re: RegExp, i: number): RegExpExecArray | null {
    re.lastIndex = i;
    return re.exec(this.text);
  }

  private today(offsetDays = 0): DayRef {
    const t = new Date(Date.UTC(this.now.y, this.now.mo - 1, this.now.d + offsetDays));
    return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() };
  }

  private isToday(r: DayRef): boolean {
    return r.y === this.now.y && r.mo === this.now.mo && r.d === this.now.d;
  }

  /** Day words: 今天/明天/后天/大后天/今晚/明早, 周X/下周X, X月X号, 2026-03-05, X号 with a cue. */
  private day(i: number): { ref: DayRef; end: number } | null {
    const found = this.dayWord(i);
    if (found) this.lastDay = { y: found.ref.y, mo: found.ref.mo, d: found.ref.d };
    return found;
  }

  private dayWord(i: number): { ref: DayRef; end: number } | null {
    let m = this.at(NEXT_DAY, i);
    if (m) {
      // 款到的第二天 / 收货后第二天: counted from an event with no known day, so not a time we can name.
      if (!this.lastDay && /[的后]$/.test(this.text.slice(0, i))) return null;
      const base = this.lastDay ?? this.today();
      const t = new Date(Date.UTC(base.y, base.mo - 1, base.d + (m[1] === '第三天' ? 2 : 1)));
      return { ref: { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate() }, end: i + m[0].length };
    }
    m = this.at(REL_DAY, i);
    if (m) {
      const off = { 大后天: 3, 后天: 2, 明天: 1, 明日: 1, 明儿: 1 }[m[1] as string] ?? 0;
      return { ref: this.today(off), end: i + m[0].length };
    }
    m = this.at(DAY_WITH_PART, i);
    if (m) {
      const ref = this.today(m[1] === '明' ? 1 : 0);
      const p = m[2].startsWith('早') ? PARTS[0] : PARTS[6];
      ref.part = { h: p[1], mi: p[2], mode: p[3] };
      return { ref, end: i + m[0].length };
    }
    m = this.at(WEEKDAY, i);
    if (m && this.text[i - 1] !== '每' && !/[次起样直定般些共致]/.test(this.text[i + m[0].length] ?? '')) {
      const target = WEEKDAY_NUM[m[3]] ?? Number(m[3]);
      const prefix = m[1] ?? '';
      let off: number;
      if (!prefix) off = (target - this.now.isoWeekday + 7) % 7;
      else {
        const weeks = prefix.startsWith('下下') ? 2 : prefix.startsWith('下') ? 1 : 0;
        off = target - this.now.isoWeekday + 7 * weeks;
      }
      return { ref: this.today(off), end: i + m[0].length };
    }
    m = this.at(ISO_DATE, i);
    if (m) return this.valid(Number(m[1]), Number(m[2]), Number(m[3]), i + m[0].length);
    m = this.at(MONTH_DAY, i);
    if (m) {
      const mo = parseChineseNumber(m[2]);
      const d = parseChineseNumber(m[3]);
      let y = this.now.y;
      if (m[1] === '明年') y += 1;
      else if (m[1] && m[1] !== '今年') y = Number(m[1].slice(0, 4));
      else if (!m[1] && (mo < this.now.mo || (mo === this.now.mo && d < this.now.d))) y += 1;
      return this.valid(y, mo, d, i + m[0].length);
    }
    m = this.at(DAY_OF_MONTH, i);
    if (m) {
      const end = i + m[0].length;
      // A cue that it is a date: a deadline word, a part of the day, or a delivery verb (十九号送货, 五号到).
      const cue = /^(之前|以前|前|之内|以内|上午|下午|晚上|中午|早上|下班|当天|左右|送|发|到|交|过来|安装|装|签|付)/.test(this.text.slice(end, end + 2));
      if (!m[1] && !cue) return null;
      if (!m[1] && /[0-9零〇一二两三四五六七八九十百]/.test(this.text[i - 1] ?? '')) return null;
      const d = parseChineseNumber(m[2]);
      let { y, mo } = this.now;
      if (m[1]?.startsWith('下') || (!m[1] && d < this.now.d)) mo += 1;
      if (mo > 12) (mo = 1), (y += 1);
      return this.valid(y, mo, d, end);
    }
    return null;
  }

  private valid(y: number, mo: number, d: number, end: number): { ref: DayRef; end: number } | null {
    if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo))) return null;
    return { ref: { y, mo, d }, end };
  }

  private part(i: number): { h: number; mi: number; mode: 'am' | 'pm' | 'noon'; end: number } | null {
    for (const [re, h, mi, mode] of PARTS) {
      const m = this.at(re, i);
      if (m) return { h, mi, mode, end: i + m[0].length };
    }
    return null;
  }

  /** 三点, 3点半, 十点一刻, 10:30, 15时. With no day or period (mode null) a cue is needed: "一点" is usually "a bit". */
  private clock(i: number, mode: 'am' | 'pm' | 'noon' | null): { h: number; mi: number; end: number } | null {
    let m = this.at(HHMM, i);
    if (m) return { h: Number(m[1]), mi: Number(m[2]), end: i + m[0].length };
    m = this.at(CLOCK, i);
    if (!m) return null;
    if (/时/.test(m[0]) && !/^[0-9]/.test(m[1])) return null; // 一时半会 is not 1:30
    const end = i + m[0].length;
    const tail = this.text.slice(end, end + 2);
    if (mode === null) {
      const cued = /钟|半|整|刻|分/.test(m[0].slice(m[1].length)) || /^(之前|以前|前|左右|以后|之后)/.test(tail);
      if (!cued) return null;
    }
    if (m[3] && !/分/.test(m[0]) && /^[米倍公毫万个寸元块千吨%]/.test(tail)) return null; // 一点五米 is 1.5 m
    let h = parseChineseNumber(m[1]);
    if (!(h >= 0 && h <= 24)) return null;
    let mi = 0;
    if (m[2] === '半') mi = 30;
    else if (m[2] === '一刻') mi = 15;
    else if (m[2] === '三刻') mi = 45;
    else if (m[3]) mi = parseChineseNumber(m[3]);
    if (!(mi >= 0 && mi < 60)) return null;
    if (mode === 'pm') h = h < 12 ? h + 12 : 24; // 晚上12点 is midnight
    else if (mode === 'noon' && h <= 3) h += 12;
    else if (mode === null && h >= 1 && h <= 6) h += 12;
    if (h >= 24) (h = 23), (mi = 59);
    return { h, mi, end };
  }

  private suffix(i: number): number {
    const m = this.at(SUFFIX, i);
    return m ? i + m[0].length : i;
  }

  private at18(ref: DayRef, h = END_OF_WORKDAY, mi = 0): Date {
    const due = fromLocal(ref.y, ref.mo, ref.d, h, mi);
    if (this.isToday(ref) && due < this.nowDate) return fromLocal(ref.y, ref.mo, ref.d, 23, 59);
    return due;
  }

  /** Day word, then optional period, clock time and 前/之前/内. */
  private dayPhrase(i: number): Hit | null {
    const day = this.day(i);
    if (!day) return null;
    let end = day.end;
    let part = day.ref.part ?? null;
    const p = part ? null : this.part(end);
    if (p) (part = p), (end = p.end);
    const c = part ? this.clock(end, part.mode) : this.clockDefault(end);
    if (c) return { due: fromLocal(day.ref.y, day.ref.mo, day.ref.d, c.h, c.mi), end: this.suffix(c.end), exact: true };
    if (part) return { due: this.at18(day.ref, part.h, part.mi), end: this.suffix(end) };
    return { due: this.at18(day.ref), end: this.suffix(end) };
  }

  /** After a bare day word, "三点" needs no cue (明天三点 is clearly a time) and reads by business hours. */
  private clockDefault(i: number): { h: number; mi: number; end: number } | null {
    const c = this.clock(i, 'am');
    if (!c) return null;
    const h = c.h >= 1 && c.h <= 6 ? c.h + 12 : c.h;
    return { ...c, h };
  }

  /** 上午/下午三点/三点前 with no day: today, or tomorrow when already past. 下午好/早上好 are greetings. */
  private timePhrase(i: number): Hit | null {
    const p = this.part(i);
    if (p && this.text[p.end] === '好') return null;
    let end = p ? p.end : i;
    const c = this.clock(end, p ? p.mode : null);
    if (!p && !c) return null;
    let h: number;
    let mi: number;
    if (c) (h = c.h), (mi = c.mi), (end = c.end);
    else (h = p!.h), (mi = p!.mi);
    let due = fromLocal(this.now.y, this.now.mo, this.now.d, h, mi);
    if (due < this.nowDate) {
      const t = this.today(1);
      due = fromLocal(t.y, t.mo, t.d, h, mi);
    }
    return { due, end: this.suffix(end), exact: !!c };
  }

  /** 三天内, 48小时内, 两小时后, 3个工作日内, 一周内, 半个月内, 一个半小时后. */
  private duration(i: number): Hit | null {
    const m = this.at(DURATION, i);
    if (!m) return null;
    let n = parseChineseNumber(m[1]);
    if (!(n > 0)) return null;
    if (m[3]) n += 0.5;
    const unit = m[4];
    const end = i + m[0].length;
    const nowMs = this.nowDate.getTime() - (this.nowDate.getTime() % 60_000);
    if (unit === '小时' || unit === '钟头') return { due: new Date(nowMs + n * 3600_000), end, exact: true };
    if (unit === '分钟') return { due: new Date(nowMs + n * 60_000), end, exact: true };
    if (unit === '天') {
      if (n < 1) return { due: new Date(nowMs + 4 * 3600_000), end, exact: true };
      return { due: this.at18(this.today(Math.round(n))), end };
    }
    if (unit === '工作日') {
      let off = 0;
      let left = Math.ceil(n);
      while (left > 0) {
        off += 1;
        const wd = ((this.now.isoWeekday - 1 + off) % 7) + 1;
        if (wd <= 5) left -= 1;
      }
      return { due: this.at18(this.today(off)), end };
    }
    if (unit === '月') {
      const whole = Math.floor(n);
      let mo = this.now.mo + whole;
      const y = this.now.y + Math.floor((mo - 1) / 12);
      mo = ((mo - 1) % 12) + 1;
      const d = Math.min(this.now.d, daysInMonth(y, mo));
      const extra = n - whole > 0 ? 15 : 0;
      return { due: fromLocal(y, mo, d + extra), end };
    }
    return { due: this.at18(this.today(Math.round(n * 7))), end };
  }

  /** 月底前, 下个月初, 九月底, 这个月中旬, 本月内, 下个月, 年底, 这周内, 下周, 周末. */
  private period(i: number): Hit | null {
    let m = this.at(NAMED_MONTH_PART, i);
    if (m) {
      const mo = parseChineseNumber(m[2]);
      if (!(mo >= 1 && mo <= 12)) return null;
      const y = this.now.y + (m[1] === '明年' || (!m[1] && mo < this.now.mo) ? 1 : 0);
      const d = { 初: 5, 中: 15, 上旬: 10, 中旬: 20 }[m[3] as string] ?? daysInMonth(y, mo);
      return { due: this.at18({ y, mo, d }), end: this.suffix(i + m[0].length) };
    }
    m = this.at(MONTH_PART, i);
    // "十三月底" is no month; a numeral right before 月底 belongs to a month name handled above.
    if (m && !m[1] && /[0-9零〇一二两三四五六七八九十]/.test(this.text[i - 1] ?? '')) return null;
    if (m) {
      const prefix = m[1] ?? '';
      let { y, mo } = this.now;
      mo += prefix.startsWith('下下') ? 2 : prefix.startsWith('下') ? 1 : 0;
      if (mo > 12) (mo -= 12), (y += 1);
      const last = daysInMonth(y, mo);
      const d = { 月初: 5, 月中: 15, 上旬: 10, 中旬: 20 }[m[2] as string] ?? last;
      return { due: this.at18({ y, mo, d }), end: this.suffix(i + m[0].length) };
    }
    m = this.at(MONTH_BARE, i);
    if (m) {
      let { y, mo } = this.now;
      mo += m[1].startsWith('下下') ? 2 : m[1].startsWith('下') ? 1 : 0;
      if (mo > 12) (mo -= 12), (y += 1);
      return { due: this.at18({ y, mo, d: daysInMonth(y, mo) }), end: i + m[0].length };
    }
    m = this.at(YEAR_PART, i);
    if (m) {
      const y = this.now.y + (m[1] === '明年' ? 1 : 0);
      const [mo, d] = m[2] === '年初' ? [1, 31] : m[2] === '年中' ? [6, 30] : [12, 31];
      return { due: this.at18({ y, mo, d }), end: this.suffix(i + m[0].length) };
    }
    m = this.at(WEEK, i);
    if (m && (m[1] || m[3]) && this.text[i - 1] !== '每' && !/[0-9零〇一二两三四五六七八九十百几]/.test(this.text[i - 1] ?? '')) {
      const weeks = !m[1] ? 0 : m[1].startsWith('下下') ? 2 : m[1].startsWith('下') ? 1 : 0;
      const monday = 1 - this.now.isoWeekday + 7 * weeks;
      if (m[3] && !m[4]) return { due: this.at18(this.today(monday + 6)), end: i + m[0].length };
      let due = this.at18(this.today(monday + 4));
      if (due < this.nowDate) due = this.at18(this.today(monday + 6));
      return { due, end: i + m[0].length };
    }
    m = this.at(THESE_TWO_DAYS, i);
    if (m) return { due: this.at18(this.today(2)), end: i + m[0].length };
    m = this.at(SOON, i);
    if (m) {
      const soon = /马上|立刻|立即/.test(m[0]) ? 1 : 2;
      const nowMs = this.nowDate.getTime() - (this.nowDate.getTime() % 60_000);
      return { due: new Date(nowMs + soon * 3600_000), end: i + m[0].length, exact: true };
    }
    return null;
  }

  /** The longest expression starting at `i`, trying only the parsers whose expressions can start with text[i]. */
  parseAt(i: number): Hit | null {
    const kinds = START[this.text.charCodeAt(i)];
    // Never start inside a number: 十三月底 is not 三月底, 23号 is not 3号.
    if (kinds & NUM && START[this.text.charCodeAt(i - 1)] & NUM) return null;
    let best: Hit | null = null;
    let h: Hit | null;
    if (kinds & DURATION_START && (h = this.duration(i))) best = h;
    if (kinds & DAY && (h = this.dayPhrase(i)) && (!best || h.end > best.end)) best = h;
    if (kinds & PERIOD && (h = this.period(i)) && (!best || h.end > best.end)) best = h;
    if (kinds & TIME && (h = this.timePhrase(i)) && (!best || h.end > best.end)) best = h;
    return best;
  }
}

/**
 * For each character, which parsers an expression starting there can belong to (bit flags). The scan visits only
 * characters with a flag, and parseAt runs only the flagged parsers: most of a transcript is never looked at twice.
 */
const NUM = 1;
const DURATION_START = 2;
const DAY = 4;
const PERIOD = 8;
const TIME = 16;
const START = new Uint8Array(0x10000);
const flag = (chars: string, bits: number) => {
  for (const ch of chars) START[ch.charCodeAt(0)] |= bits;
};
flag('0123456789零〇一二两三四五六七八九十百', NUM | DURATION_START | DAY | PERIOD | TIME);
flag('半', DURATION_START);
flag('今明后大当这本下周星礼第次隔', DAY);
flag('这本当下月今明年周星礼马立稍待等过一', PERIOD);
flag('一大清早上中午下傍晚夜凌', TIME);

const FULLWIDTH_DIGIT = /[０-９：]/g;

/**
 * Finds the first due-time expression in `text` and resolves it against `now` in Asia/Shanghai.
 * Returns null when the text names no time we can pin down (回头, 改天, 有空的时候).
 */
export function parseDueTime(text: string, now: Date): DueTime | null {
  return scan(text, now, true)[0] ?? null;
}

/** Every due-time expression in `text`, in order, not overlapping. */
export function parseAllDueTimes(text: string, now: Date): DueTime[] {
  return scan(text, now, false);
}

/**
 * Every expression the parser knows contains one of these characters (天/号/点/月/午/马上/… or a date separator);
 * about half of all utterances contain none, and skip the scan.
 */
const MUST_CONTAIN = /[天日儿号周期拜点时钟:：月年旬早晚夜午班凌马立稍待等会\-/.]/;

function scan(text: string, now: Date, firstOnly: boolean): DueTime[] {
  if (!MUST_CONTAIN.test(text)) return [];
  // Same-length substitution keeps offsets valid for the caller's text.
  const t = text.replace(FULLWIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const parser = new Parser(t, now);
  const found: DueTime[] = [];
  for (let i = 0; i < t.length; i++) {
    if (!START[t.charCodeAt(i)]) continue;
    const hit = parser.parseAt(i);
    if (!hit) continue;
    found.push({ dueAt: hit.due, iso: shanghaiIso(hit.due), expression: text.slice(i, hit.end), start: i, end: hit.end });
    if (firstOnly) break;
    i = hit.end - 1;
  }
  return found;
}
