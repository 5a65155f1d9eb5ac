import { ConverterFactory } from 'opencc-js/core';
import TWPhrasesRev from 'opencc-js/dict/TWPhrasesRev';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';

/**
 * Text normalization applied to every utterance before segmentation, so the lexicon only needs simplified,
 * half-width spellings:
 * - full-width letters, digits and symbols (Ｍ１０, ４８小时, ％) → ASCII; the punctuation Chinese prose is written
 *   with (，。？！：；（）) stays full-width because readers expect it and the tagger treats both forms alike;
 * - U+3000 ideographic space → ' '; zero-width and control characters dropped;
 * - traditional → simplified with OpenCC (plus Taiwan phrasing: 軟體 → 软件, 資料庫 → 数据库), run only when the text
 *   holds a character the tables change, so simplified text is never rewritten by a phrase rule;
 * - whitespace runs → one space, trimmed; spaces between two CJK characters or next to Chinese punctuation
 *   removed (speech engines and some typists put them between words; jieba would otherwise see separate sentences).
 * Offsets of tags refer to this normalized text, which is what every surface stores and prints.
 */

/**
 * OpenCC's traditional→simplified tables plus the Taiwan phrase table, but not its Taiwan variant table: that one
 * maps 么 to 幺 and would turn 是么/好么 in mixed text into nonsense.
 */
const toSimplified: (s: string) => string = ConverterFactory([[TWPhrasesRev], [TSPhrases, TSCharacters]]);

/**
 * Characters the converter changes on their own, as a lookup table over the BMP: a cheap gate (one array read per
 * character, several times faster than a 3,000-character regex class) before the phrase-level conversion.
 */
let traditionalTable: Uint8Array | null = null;
function hasTraditional(s: string): boolean {
  if (!traditionalTable) {
    traditionalTable = new Uint8Array(0x10000);
    for (let c = 0x3400; c <= 0x9fff; c++) {
      const ch = String.fromCharCode(c);
      if (toSimplified(ch) !== ch) traditionalTable[c] = 1;
    }
  }
  for (let i = 0; i < s.length; i++) if (traditionalTable[s.charCodeAt(i)]) return true;
  return false;
}

const HAS_INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const HAS_SPACE = /[\s\u3000\u00a0]/;
const SPACES = /[\s\u3000\u00a0]+/g;
// U+FF01–FF5E except ！（），：；？ (FF01 FF08 FF09 FF0C FF1A FF1B FF1F), which stay full-width.
const FULLWIDTH_CLASS = '[\\uff02-\\uff07\\uff0a\\uff0b\\uff0d-\\uff19\\uff1c-\\uff1e\\uff20-\\uff5e]';
const HAS_FULLWIDTH = new RegExp(FULLWIDTH_CLASS);
const FULLWIDTH = new RegExp(FULLWIDTH_CLASS, 'g');
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff01-\\uff0f\\uff1a-\\uff1f';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, 'g');
const SPACE_AT_PUNCT = /(?<=[，。？！：；、（）“”]) | (?=[，。？！：；、（）“”])/g;

/** Normalize one utterance (see the module comment for each step). Each step is skipped when it has nothing to do. */
export function normalizeText(s: string): string {
  let t = HAS_INVISIBLE.test(s) ? s.replace(INVISIBLE, '') : s;
  if (HAS_FULLWIDTH.test(t)) {
    t = t.replace(FULLWIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  }
  if (HAS_SPACE.test(t)) {
    t = t.replace(SPACES, ' ').trim();
    t = t.replace(SPACE_BETWEEN_CJK, '').replace(SPACE_AT_PUNCT, '');
  }
  if (hasTraditional(t)) t = toSimplified(t);
  return t;
}
