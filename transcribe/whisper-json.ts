import { normalizeText } from '../analyze/normalize-text.ts';
import type { Segment, Speaker } from '../analyze/types.ts';
import { SILENCE_PHRASES } from './hallucination-guard.ts';

export interface ParseWhisperOptions {
  /** Decoded audio length: times are clamped into [0, durationSec] (random or hallucinating models overshoot). */
  durationSec: number;
  speaker?: Speaker;
  /** Leave whisper's silence phrases in, for a caller that runs the hallucination guard, which drops and counts them. */
  keepSilencePhrases?: boolean;
}

interface RawToken {
  text?: string;
  id?: number;
  p?: number | null;
}

interface RawSegment {
  offsets?: { from?: number; to?: number };
  text?: string;
  tokens?: RawToken[];
}

/** SILENCE_PHRASES without the global flag, so `test` keeps no state between segments. */
const SILENCE_TESTS = SILENCE_PHRASES.map((re) => new RegExp(re.source, re.flags.replace('g', '')));

/**
 * whisper.cpp (`-oj`/`-ojf`) JSON → segments. Its writer escapes only `"` and `\`, so strings may hold raw control
 * characters, floats may print as `nan`/`inf`, and token (even segment) texts may end in the middle of a UTF-8
 * character whose remaining bytes start the next one. The file is therefore read as bytes: strings are kept as
 * byte strings through the parse and reassembled across segments before decoding.
 */
export function parseWhisperJson(raw: Buffer, opts: ParseWhisperOptions): Segment[] {
  const { segments, multilingual } = readRaw(raw);
  const eot = multilingual ? 50257 : 50256;
  const out: Segment[] = [];
  let carry: Buffer = Buffer.alloc(0);
  for (const seg of segments) {
    const bytes = Buffer.concat([carry, Buffer.from(seg.text ?? '', 'latin1')]);
    const cut = incompleteTailStart(bytes);
    carry = bytes.subarray(cut);
    const text = normalizeText(bytes.subarray(0, cut).toString('utf8').replace(/\uFFFD/g, ''));
    if (!text || (!opts.keepSilencePhrases && SILENCE_TESTS.some((re) => re.test(text)))) continue;
    const from = finite(seg.offsets?.from);
    const to = finite(seg.offsets?.to);
    const start = from === null ? null : clamp(from / 1000, opts.durationSec);
    const end = to === null ? null : clamp(Math.max(to / 1000, from === null ? 0 : from / 1000), opts.durationSec);
    const segment: Segment = { start, end, speaker: opts.speaker ?? 'unknown', text };
    const confidence = meanTokenProbability(seg.tokens, eot);
    if (confidence !== null) segment.confidence = confidence;
    out.push(segment);
  }
  return out;
}

function readRaw(raw: Buffer): { segments: RawSegment[]; multilingual: boolean } {
  const text = sanitizeJson(raw.toString('latin1'));
  try {
    const data = JSON.parse(text) as { model?: { multilingual?: boolean }; transcription?: RawSegment[] };
    if (!Array.isArray(data.transcription)) throw new Error('no "transcription" array');
    return { segments: data.transcription, multilingual: data.model?.multilingual !== false };
  } catch {
    // A file cut short (disk full, killed writer) still yields the segments written before the damage.
    return { segments: salvageSegments(text), multilingual: !/"multilingual":\s*false/.test(text) };
  }
}

/** Escapes raw control characters inside strings and turns bare nan/inf outside strings into null. */
export function sanitizeJson(s: string): string {
  const parts: string[] = [];
  let copied = 0;
  let inString = false;
  const replace = (at: number, skip: number, by: string) => {
    parts.push(s.slice(copied, at), by);
    copied = at + skip;
  };
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: the writer only emits \" and \\, skip the escaped char
      else if (code === 0x22) inString = false;
      else if (code < 0x20) replace(i, 1, `\\u${code.toString(16).padStart(4, '0')}`);
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x6e || code === 0x4e || code === 0x69 || code === 0x49 || code === 0x2d) {
      const word = /^-?(nan|inf(inity)?)/i.exec(s.slice(i, i + 9));
      if (word) {
        replace(i, word[0].length, 'null');
        i += word[0].length - 1;
      }
    }
  }
  parts.push(s.slice(copied));
  return parts.join('');
}

function salvageSegments(text: string): RawSegment[] {
  // Segment objects list offsets then text; token objects list text first, so this matches segments only.
  const re = /"offsets":\s*\{\s*"from":\s*(\d+),\s*"to":\s*(\d+)\s*\},\s*"text":\s*"((?:[^"\\]|\\.)*)"/g;
  const segments: RawSegment[] = [];
  for (const m of text.matchAll(re)) {
    segments.push({ offsets: { from: Number(m[1]), to: Number(m[2]) }, text: m[3].replace(/\\(["\\])/g, '$1') });
  }
  return segments;
}

/** Index where an unfinished UTF-8 sequence starts at the end of `b` (b.length when it ends cleanly). */
function incompleteTailStart(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? b.length - back : b.length;
  }
  return b.length;
}

function meanTokenProbability(tokens: RawToken[] | undefined, eot: number): number | null {
  if (!Array.isArray(tokens)) return null;
  const ps = tokens
    .filter((t) => typeof t.id === 'number' && t.id < eot && !/^\[_.*\]$/.test(t.text ?? ''))
    .map((t) => finite(t.p))
    .filter((p): p is number => p !== null)
    .map((p) => Math.min(1, Math.max(0, p)));
  if (ps.length === 0) return null;
  return Math.round((ps.reduce((a, b) => a + b, 0) / ps.length) * 1e6) / 1e6;
}

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function clamp(t: number, max: number): number {
  return Math.min(Math.round(Math.max(0, t) * 1000) / 1000, Math.max(0, max));
}
