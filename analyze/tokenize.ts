import type { Lexicon } from '../lexicons/index.ts';
import { ensureJieba, jiebaCut } from '../lexicons/jieba.ts';

export interface Token {
  word: string;
  /** JS string index of the first character in the segmented text. */
  start: number;
  /** Exclusive end index. */
  end: number;
}

/**
 * Segment `text` with nodejieba (HMM on) using the lexicon's user dictionary, so domain terms (交货周期, 承兑汇票,
 * 等保三级) and every keyword stay whole. Offsets are JS string indices into `text`; whitespace is not a token.
 */
export function tokenize(text: string, lexicon: Lexicon): Token[] {
  ensureJieba(lexicon.userDictPath, lexicon.userDictWords);
  const tokens: Token[] = [];
  let cursor = 0;
  for (const word of jiebaCut(text)) {
    // jieba returns the text in order; search forward in case it ever normalises or drops a character.
    const start = text.startsWith(word, cursor) ? cursor : text.indexOf(word, cursor);
    if (start < 0) continue;
    cursor = start + word.length;
    if (word.trim() === '') continue;
    tokens.push({ word, start, end: cursor });
  }
  return tokens;
}
