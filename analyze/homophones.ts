/**
 * Homophone repair for speech-to-text output. Engines write a word they heard with characters of the same sound
 * (报价 → 报加, 明天 → 明添), which exact matching never sees. Every lexicon term of two or more Han characters
 * (category keywords, behaviour cue phrases, the time words and promise verbs of tagging-rules.json `repairTerms`)
 * is indexed by its toneless pinyin (pinyin-pro); a span of the text with the same pinyin, at least one character in
 * common and not already the term, is rewritten to the term. The rewrite keeps the length, so every offset stays
 * valid, and the spans are returned so tags on them can count for less than an exact match.
 * Only engine output goes through here: typed transcripts have typos, not homophones.
 */
import { pinyin } from 'pinyin-pro';
import type { Lexicon } from '../lexicons/index.ts';

interface RepairIndex {
  /** "bao jia" → 报价, per term length. */
  byLength: Map<number, Map<string, string>>;
  lengths: number[];
}

const syllables = new Map<string, string>();
const HAN = /^[\u4e00-\u9fff]+$/;

function syllable(ch: string): string {
  let s = syllables.get(ch);
  if (s === undefined) {
    s = pinyin(ch, { toneType: 'none', type: 'array' })[0] ?? ch;
    syllables.set(ch, s);
  }
  return s;
}

const indexes = new WeakMap<Lexicon, RepairIndex>();

function repairIndex(lexicon: Lexicon): RepairIndex {
  let index = indexes.get(lexicon);
  if (index) return index;
  const terms = new Set<string>(lexicon.repairTerms);
  for (const c of lexicon.categories) for (const k of c.keywords) terms.add(k);
  for (const b of lexicon.behaviors) for (const item of [...b.cues, ...b.allOf.flat()]) if (typeof item === 'string') terms.add(item);
  index = { byLength: new Map(), lengths: [] };
  // Sorted so that when two terms share a sound the choice does not depend on file order.
  for (const t of [...terms].filter((t) => t.length >= 2 && t.length <= 6 && HAN.test(t)).sort()) {
    const key = [...t].map(syllable).join(' ');
    const map = index.byLength.get(t.length) ?? new Map<string, string>();
    if (!map.has(key)) map.set(key, t);
    index.byLength.set(t.length, map);
  }
  index.lengths = [...index.byLength.keys()].sort((a, b) => b - a);
  indexes.set(lexicon, index);
  return index;
}

export interface Repaired {
  text: string;
  /** [start, end) of every rewritten span. */
  spans: Array<[number, number]>;
}

/** The text with homophones of lexicon terms rewritten to the terms (longest term first, left to right). */
export function repairHomophones(text: string, lexicon: Lexicon): Repaired {
  const index = repairIndex(lexicon);
  const sounds = [...text].length === text.length ? [...text].map((ch) => (HAN.test(ch) ? syllable(ch) : '')) : null;
  if (!sounds) return { text, spans: [] };
  let out = text;
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < text.length; ) {
    let step = 1;
    for (const len of index.lengths) {
      if (i + len > text.length) continue;
      const slice = out.slice(i, i + len);
      if (!HAN.test(slice)) continue;
      const term = index.byLength.get(len)!.get(sounds.slice(i, i + len).join(' '));
      if (!term) continue;
      if (term !== slice) {
        let same = 0;
        for (let k = 0; k < len; k++) if (term[k] === slice[k]) same++;
        if (same === 0) continue;
        out = out.slice(0, i) + term + out.slice(i + len);
        spans.push([i, i + len]);
      }
      step = len;
      break;
    }
    i += step;
  }
  return { text: out, spans };
}

/** The text an engine segment is analysed as: homophones repaired. */
export function prepareAsrText(text: string, lexicon: Lexicon): string {
  return repairHomophones(text, lexicon).text;
}
