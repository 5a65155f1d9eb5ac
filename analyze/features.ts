/**
 * Features of one utterance for the trained tagger (lexicons/model/): hashed character n-grams (1–3 characters,
 * punctuation removed so typed and speech-to-text output look alike, ASCII digits folded to 0) and named features
 * from the lexicon and from number/frame patterns. Feature ids are 20-bit FNV-1a hashes; the model keeps weights only
 * for ids seen in training, so an unseen n-gram costs one failed lookup.
 */

export const FEATURE_BITS = 20;
const MASK = (1 << FEATURE_BITS) - 1;

/** Characters left out of n-grams: punctuation and spaces, which speech-to-text output does not have. */
function isSkipped(c: number): boolean {
  return c <= 0x20 || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) || c === 0x2026 ||
    c === 0x2014 || (c >= 0x2018 && c <= 0x201d) || (c >= 0x21 && c <= 0x2f && c !== 0x25 && c !== 0x2e) || (c >= 0x3a && c <= 0x40);
}

function fold(c: number): number {
  if (c >= 0x30 && c <= 0x39) return 0x30;
  if (c >= 0x41 && c <= 0x5a) return c + 32;
  return c;
}

const BOUNDARY = 0x5e; // '^' marks the start and end of the utterance

/** FNV-1a over 32-bit units, seeded per namespace. */
function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 16777619) >>> 0;
}

/** Hashed id of a named feature (`cat:price_sensitivity`, `q`, `prev:budget` …). */
export function namedFeature(name: string): number {
  let h = 2166136261 ^ 0x9e37;
  for (let i = 0; i < name.length; i++) h = mix(h, name.charCodeAt(i));
  return (h & MASK) >>> 0;
}

/**
 * A small open-addressing set, reused for every line: deduplicating through a table indexed by the 20-bit id itself
 * missed the cache on nearly every n-gram. Slots are valid only for the current generation, so clearing is free.
 */
const SET_BITS = 11;
const setKeys = new Int32Array(1 << SET_BITS);
const setGen = new Uint32Array(1 << SET_BITS);
let generation = 0;

/** The n-gram ids of `text` and the given named features, deduplicated, in first-seen order. */
export function featureIds(text: string, named: readonly string[]): number[] {
  if (++generation === 0xffffffff) (setGen.fill(0), (generation = 1));
  const g = generation;
  const out: number[] = [];
  const mask = (1 << SET_BITS) - 1;
  const add = (id: number) => {
    if (out.length >= mask >> 1) {
      if (!out.includes(id)) out.push(id); // a very long line: past half the table, fall back to a scan
      return;
    }
    let i = Math.imul(id, 0x9e3779b1) >>> (32 - SET_BITS);
    while (setGen[i] === g) {
      if (setKeys[i] === id) return;
      i = (i + 1) & mask;
    }
    setGen[i] = g;
    setKeys[i] = id;
    out.push(id);
  };
  eachNgram(text, add);
  for (const f of named) add(namedFeature(f));
  return out;
}

/**
 * Calls `visit` with every n-gram id and its span [start, end) in `text` (punctuation skipped, so a span may cover
 * a comma between two characters). The boundary marker has no span of its own.
 */
export function eachNgram(text: string, visit: (id: number, start: number, end: number) => void): void {
  const chars: number[] = [BOUNDARY];
  const at: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isSkipped(c)) (chars.push(fold(c)), at.push(i));
  }
  chars.push(BOUNDARY);
  at.push(text.length);
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    let h = mix(2166136261, chars[i]);
    if (chars[i] !== BOUNDARY || (i > 0 && i < n - 1)) visit((h & MASK) >>> 0, at[i], at[i] + 1);
    for (let k = 1; k < 3 && i + k < n; k++) {
      h = mix(mix(h, 0x2f), chars[i + k]);
      const start = i === 0 ? at[1] ?? 0 : at[i];
      const end = i + k === n - 1 ? text.length : at[i + k] + 1;
      visit(((h ^ k) & MASK) >>> 0, start, end);
    }
  }
}

const NUM = '[0-9零〇一二两三四五六七八九十百千万亿点.]+';
/** A number with a non-currency unit is a spec or a quantity (四百万像素, 十二万方, 一块电池, 二十人, 三年). */
const NUM_UNIT = new RegExp(
  `${NUM}(万?像素|方|立方|公斤|千克|斤|吨|公里|米|厘米|毫米|平米|平方|平|瓦|千瓦|伏|安|度电|度|升|毫升|克|寸|兆|g|kg|mm|人|个人|名|位|年|个月|天|小时|层|间|台|套|箱|袋|桶|头|只|件|张|块(?=电池|板|屏|砖)|号|款|种|家|店|条|路|倍|%|百分)`,
);
/** Money: a number with a currency word, or a bare spoken price before a measure word (六百八十八一套, 五百二一盒). */
const MONEY = new RegExp(`${NUM}(块钱|块(?![电板屏砖])|元|万块|万元|毛|分钱)|${NUM}(一|每)(套|盒|台|个|件|吨|箱|袋|桶|平|平米|方|斤|公斤|人|次|年|月|张|只|瓶|包|份)|(单价|报价|价格|价钱|一共|总共|总价|优惠到|降到|算您|给您)${NUM}`);
/** Comparison frames that bring in another supplier, named or not (比X便宜, 跟X比, 之前用的X, X家的, 网上那种). */
const COMPARISON = /比[^，。？！\s]{1,8}(便宜|贵|好|差|低|高|快|慢)|跟[^，。？！\s]{1,8}比|(之前|原来|以前|现在|一直)(用|买|找|合作)的|[^\s，。？！]{1,4}家的|网上(那种|买|的)|别家|其他家|人家(的|那|报)|另外(一|两|几)家|换(一)?家/;
const ADDRESS_ONLY = /^(?:[\u4e00-\u9fff]{1,2}(总|老板|经理|科长|主任|工|厂长|院长|姐|哥|老师|师傅))[，,！!。]?/;

/** Pattern features of the words themselves, shared by every label. */
export function patternFeatures(text: string): string[] {
  const out: string[] = [];
  if (NUM_UNIT.test(text)) out.push('num:unit');
  if (MONEY.test(text)) out.push('num:money');
  if (COMPARISON.test(text)) out.push('frame:compare');
  if (ADDRESS_ONLY.test(text)) out.push('addr:start');
  if (text.length <= 4) out.push('len:short');
  else if (text.length >= 40) out.push('len:long');
  return out;
}
