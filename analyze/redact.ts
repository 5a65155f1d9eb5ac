import type { Segment } from './types.ts';

/**
 * Personal data spoken in visits — resident ID numbers, mobile numbers, bank-card numbers, e-mail addresses — found
 * and replaced before anything is stored, so analyses, report pages, follow-up titles and webhooks never carry them.
 * Numbers are matched as digit runs whatever way they were written or transcribed: 13812345678, 138 1234 5678,
 * 一三八一二三四五六七八 (幺 for 1, 洞 for 0), and then confirmed by their structure — the ID checksum (GB 11643),
 * the mobile prefixes, Luhn for cards — so order numbers and prices stay as they are.
 */
export type PiiKind = 'id_card' | 'mobile' | 'bank_card' | 'email';

export const PII_LABELS: Record<PiiKind, string> = {
  id_card: '[身份证号]',
  mobile: '[手机号]',
  bank_card: '[银行卡号]',
  email: '[邮箱]',
};

export interface PiiSpan {
  kind: PiiKind;
  start: number;
  end: number;
}

const DIGIT: Record<string, string> = {
  零: '0', 〇: '0', 洞: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};

function digitOf(ch: string): string | null {
  if (ch >= '0' && ch <= '9') return ch;
  // Full-width ０–９.
  const code = ch.charCodeAt(0);
  if (code >= 0xff10 && code <= 0xff19) return String(code - 0xff10);
  return DIGIT[ch] ?? null;
}

/** Between two digits of one number: spaces, hyphens, dots and the pauses a transcript writes as commas. */
const SEPARATOR = /^[\s\-－.·、，,]$/;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 18-character resident ID: a plausible birth date and the ISO 7064 MOD 11-2 check character. */
export function isResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = id.slice(6, 14);
  const y = Number(birth.slice(0, 4));
  const d = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (y < 1900 || y > 2100 || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10).replace(/-/g, '') !== birth) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17];
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function classify(digits: string): PiiKind | null {
  if (digits.length === 18 && isResidentId(digits)) return 'id_card';
  if (/^1[3-9]\d{9}$/.test(digits) || /^861[3-9]\d{9}$/.test(digits)) return 'mobile';
  if (/^\d{13,19}$/.test(digits) && passesLuhn(digits)) return 'bank_card';
  return null;
}

/** Maximal digit runs with their positions, separators allowed only between digits. */
function digitRuns(text: string): Array<{ start: number; end: number; digits: string }> {
  const runs: Array<{ start: number; end: number; digits: string }> = [];
  const chars = [...text];
  // Positions in UTF-16 units, since callers slice the JS string.
  const offsets: number[] = [];
  let o = 0;
  for (const c of chars) {
    offsets.push(o);
    o += c.length;
  }
  offsets.push(o);
  let i = 0;
  while (i < chars.length) {
    if (digitOf(chars[i]) === null) {
      i++;
      continue;
    }
    const start = i;
    let digits = '';
    let end = i;
    while (i < chars.length) {
      const d = digitOf(chars[i]);
      if (d !== null) {
        digits += d;
        end = ++i;
      } else if (SEPARATOR.test(chars[i]) && i + 1 < chars.length && digitOf(chars[i + 1]) !== null) i++;
      else break;
    }
    // An ID number's check character may be X (spoken 叉).
    if (digits.length === 17 && /^[Xx×叉Ｘ]$/.test(chars[end] ?? '')) {
      digits += 'X';
      end++;
      i = end;
    }
    runs.push({ start: offsets[start], end: offsets[end], digits });
  }
  return runs;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Every span of personal data in `text`, in order, never overlapping. */
export function findPii(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  for (const m of text.matchAll(EMAIL)) spans.push({ kind: 'email', start: m.index!, end: m.index! + m[0].length });
  for (const run of digitRuns(text)) {
    const kind = classify(run.digits);
    if (!kind) continue;
    if (spans.some((s) => s.start < run.end && run.start < s.end)) continue;
    // "+86 138…": the plus sign belongs to the number.
    const start = kind === 'mobile' && text[run.start - 1] === '+' ? run.start - 1 : run.start;
    spans.push({ kind, start, end: run.end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

export type PiiCounts = Partial<Record<PiiKind, number>>;

export function redactText(text: string): { text: string; counts: PiiCounts } {
  const spans = findPii(text);
  const counts: PiiCounts = {};
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + PII_LABELS[s.kind];
    at = s.end;
    counts[s.kind] = (counts[s.kind] ?? 0) + 1;
  }
  return { text: out + text.slice(at), counts };
}

export interface RedactedSegments {
  segments: Segment[];
  counts: PiiCounts;
  /** Indexes of the segments that held personal data (their audio can be muted). */
  redacted: number[];
}

/** Redacts every segment's text; segments without personal data come back as they were. */
export function redactSegments(segments: Segment[]): RedactedSegments {
  const counts: PiiCounts = {};
  const redacted: number[] = [];
  const out = segments.map((seg, i) => {
    const r = redactText(seg.text);
    if (r.text === seg.text) return seg;
    redacted.push(i);
    for (const [k, n] of Object.entries(r.counts) as Array<[PiiKind, number]>) counts[k] = (counts[k] ?? 0) + n;
    return { ...seg, text: r.text };
  });
  return { segments: out, counts, redacted };
}
