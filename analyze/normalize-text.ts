import * as OpenCC from 'opencc-js/t2cn';

/**
 * Text normalization applied to every utterance before segmentation, so the lexicon only needs simplified,
 * half-width spellings:
 * - full-width letters, digits and symbols (Ｍ１０, ４８小时, ％) → ASCII; the punctuation Chinese prose is written
 *   with (，。？！：；（）) stays full-width because readers expect it and the tagger treats both forms alike;
 * - U+3000 ideographic space → ' '; zero-width and control characters dropped;
 * - traditional → simplified with OpenCC's Taiwan-phrase table (軟體 → 软件, 資料庫 → 数据库), run only when the text
 *   holds a character that table changes, so simplified text is never rewritten by a phrase rule;
 * - whitespace runs → one space, trimmed; spaces between two CJK characters or next to Chinese punctuation removed (speech engines and some
 *   typists put them between words; jieba would otherwise see separate sentences).
 * Offsets of tags refer to this normalized text, which is what every surface stores and prints.
 */

const toSimplified: (s: string) => string = OpenCC.Converter({ from: 'twp', to: 'cn' });

/** Characters the converter changes on their own: a cheap gate before the phrase-level conversion. */
let traditionalChars: Set<string> | null = null;
function traditionalSet(): Set<string> {
  if (traditionalChars) return traditionalChars;
  const set = new Set<string>();
  for (let c = 0x4e00; c <= 0x9fff; c++) {
    const ch = String.fromCharCode(c);
    if (toSimplified(ch) !== ch) set.add(ch);
  }
  traditionalChars = set;
  return set;
}

function hasTraditional(s: string): boolean {
  const set = traditionalSet();
  for (const ch of s) if (set.has(ch)) return true;
  return false;
}

const KEEP_FULLWIDTH = new Set(['！', '（', '）', '，', '：', '；', '？']);
const FULLWIDTH = /[\uff01-\uff5e]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff01-\\uff0f\\uff1a-\\uff1f';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}]) (?=[${CJK}])`, 'g');
const SPACE_AT_PUNCT = /(?<=[，。？！：；、（）“”]) | (?=[，。？！：；、（）“”])/g;

/** Normalize one utterance (see the module comment for each step). */
export function normalizeText(s: string): string {
  let t = s.replace(INVISIBLE, '');
  t = t.replace(FULLWIDTH, (c) => (KEEP_FULLWIDTH.has(c) ? c : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  t = t.replace(/[\s\u3000\u00a0]+/g, ' ').trim();
  t = t.replace(SPACE_BETWEEN_CJK, '').replace(SPACE_AT_PUNCT, '');
  if (hasTraditional(t)) t = toSimplified(t);
  return t;
}
