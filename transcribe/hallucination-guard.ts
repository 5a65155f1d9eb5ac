import type { Segment } from '../analyze/types.ts';
import { overlapSec, type Region } from './regions.ts';

/**
 * Lines Chinese whisper is known to invent over silence, music or noise — subtitle credits and video sign-offs from
 * its training data (https://github.com/openai/whisper/discussions/928). None occurs in a sales conversation. Each
 * matches a whole phrase, never a word a customer might say (谢谢 alone stays).
 */
export const SILENCE_PHRASES: readonly RegExp[] = [
  /请不吝点赞[^。！？]*/g,
  /(点赞|订阅)[、，,\s]*(订阅|转发|打赏|点赞)[^。！？]*/g,
  /(本|中文)?字幕(由|来自|提供|制作|组|志愿者)[^。！？]*/g,
  /字幕\s*by[^。！？]*/gi,
  /Amara\.org[^。！？]*/gi,
  /明镜与点点栏目/g,
  /优优独播剧场[^。！？]*/g,
  /(谢谢|感谢)(大家|您的)?(收看|观看)[^。！？]*/g,
  /(我们)?下(期|集)(节目)?再见/g,
];

export type DropKind = 'outside_speech' | 'silence_phrase' | 'repetition_loop';

export interface GuardDrop {
  kind: DropKind;
  start: number | null;
  end: number | null;
  /** The text removed. */
  text: string;
}

export interface GuardResult {
  segments: Segment[];
  drops: GuardDrop[];
}

export interface GuardOptions {
  /** A segment with less speech under it than this (seconds, and share of its length) was invented over silence. */
  minSpeechSec?: number;
  minSpeechShare?: number;
}

/** A unit of 2+ characters repeated this often in a row is a decoding loop (对对对对 is speech, 8 × 我们的 is not). */
const MIN_REPEATS = 4;
const MIN_REPEATS_SINGLE = 8;
const MAX_UNIT = 12;
/** The same line this many times in a row is a loop across segments (whisper re-emits its previous window). */
const MAX_SAME_LINES = 2;

/**
 * Drops what the recognizer wrote where nobody spoke: segments outside the VAD's speech, whisper's known silence
 * phrases, and repetition loops (an n-gram repeated within a segment is cut to one occurrence; the same line
 * repeated over segments is kept twice). Pure; every drop is returned so the caller can count it in warnings.
 */
export function guardSegments(segments: readonly Segment[], speech: readonly Region[], opts: GuardOptions = {}): GuardResult {
  const minSec = opts.minSpeechSec ?? 0.2;
  const minShare = opts.minSpeechShare ?? 0.3;
  const drops: GuardDrop[] = [];
  const out: Segment[] = [];
  let same = 0;
  for (const seg of segments) {
    const at = { start: seg.start, end: seg.end };
    if (seg.start !== null && seg.end !== null) {
      const under = overlapSec(speech, seg.start, Math.max(seg.end, seg.start + 0.01));
      if (under < minSec && under < minShare * Math.max(0.01, seg.end - seg.start)) {
        drops.push({ kind: 'outside_speech', ...at, text: seg.text });
        continue;
      }
    }
    let text = seg.text;
    for (const re of SILENCE_PHRASES) {
      text = text.replace(re, (m) => {
        drops.push({ kind: 'silence_phrase', ...at, text: m });
        return '';
      });
    }
    const looped = collapseLoops(text);
    if (looped.removed) drops.push({ kind: 'repetition_loop', ...at, text: looped.removed });
    text = looped.text.replace(/^[，。、！？,.!?\s]+/, '').trim();
    if (!/[\p{L}\p{N}]/u.test(text)) continue;
    const prev = out[out.length - 1];
    same = prev && prev.text === text ? same + 1 : 0;
    if (same >= MAX_SAME_LINES) {
      drops.push({ kind: 'repetition_loop', ...at, text });
      continue;
    }
    out.push(text === seg.text ? seg : { ...seg, text });
  }
  return { segments: out, drops };
}

/** Cuts every run of a repeated unit (shortest units first, so 啊啊啊… becomes 啊) down to one occurrence. */
export function collapseLoops(text: string): { text: string; removed: string } {
  const chars = Array.from(text);
  let removed = '';
  for (let n = 1; n <= Math.min(MAX_UNIT, Math.floor(chars.length / 2)); n++) {
    const need = n === 1 ? MIN_REPEATS_SINGLE : MIN_REPEATS;
    for (let i = 0; i + n * need <= chars.length; i++) {
      let reps = 1;
      while (sameUnit(chars, i, i + reps * n, n)) reps++;
      if (reps >= need && !/^[\s，。、！？,.!?]+$/.test(chars.slice(i, i + n).join(''))) {
        removed += chars.slice(i + n, i + reps * n).join('');
        chars.splice(i + n, (reps - 1) * n);
      }
    }
  }
  return { text: chars.join(''), removed };
}

function sameUnit(chars: string[], a: number, b: number, n: number): boolean {
  if (b + n > chars.length) return false;
  for (let k = 0; k < n; k++) if (chars[a + k] !== chars[b + k]) return false;
  return true;
}

/** The drops as the result's warnings: one line per kind with its count (Chinese first, as every warning). */
export function guardWarnings(drops: readonly GuardDrop[]): string[] {
  const count = (k: DropKind) => drops.filter((d) => d.kind === k).length;
  const lines: string[] = [];
  const outside = count('outside_speech');
  const phrases = count('silence_phrase');
  const loops = count('repetition_loop');
  if (outside) lines.push(`已丢弃 ${outside} 段出现在无人说话处的识别文字。Dropped ${outside} segment(s) recognized where nobody spoke.`);
  if (phrases) lines.push(`已删除 ${phrases} 处识别模型在静音中常编造的套话（如“字幕由…提供”）。Removed ${phrases} silence phrase(s) the recognizer invents.`);
  if (loops) lines.push(`已删除 ${loops} 处识别模型的重复循环。Removed ${loops} repetition loop(s).`);
  return lines;
}
