import type { Lexicon } from '../lexicons/index.ts';
import type { TagHit } from './types.ts';
import type { CategoryId } from '../core/categories.ts';
import type { Token } from './tokenize.ts';

/**
 * Tag the 12 categories in one utterance.
 *
 * - A keyword matches only a run of whole tokens (it may span several), so 价 never fires inside 价值观.
 * - A hit overlapped by one of its category's guard phrases is dropped (贵 in 贵司, 比较 in 比较贵).
 * - Category patterns cover open classes (四十八万, 10.9级, DN100); they must start on a token, and a pattern hit
 *   yields to the categories named in `yieldTo` within the same sentence (三十万 next to 预算 is budget, not price).
 * - A hit nested inside a longer hit is dropped (协议 inside 保密协议 counts once, as contract_legal).
 * - Dismissals: in a clause where the speaker says the topic is no concern (我们不担心质量 / 价格不是问题),
 *   hits of `dismissible` categories are dropped. Reassurance (您不用担心质量) and questions (您不担心质量吗？)
 *   are not dismissals: the concern is on the table, so they still count.
 * - Forms of address: a decision_chain title used to address someone (王总，…; 老板您好; 李科长！) is no decision
 *   chain; it counts when the line says that person decides (王总拍板).
 * Offsets are JS string indices into `text`.
 */
export function tagText(text: string, tokens: Token[], lexicon: Lexicon): TagHit[] {
  const m = matcher(lexicon);
  // ASCII-only lowering keeps every offset valid (String#toLowerCase can change the length of some letters).
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  // Token ends, as a lookup: a keyword must end exactly where some token ends.
  const ends = new Uint8Array(text.length + 1);
  const starts = new Uint8Array(text.length + 1);
  for (const t of tokens) {
    ends[t.end] = 1;
    starts[t.start] = 1;
  }
  let hits: TagHit[] = [];
  for (const t of tokens) {
    const candidates = m.byFirstChar.get(lower[t.start]);
    if (!candidates) continue;
    for (const key of candidates) {
      const end = t.start + key.length;
      // Tokens never span whitespace, so a keyword that lines up with token edges is made of whole tokens.
      if (ends[end] && lower.startsWith(key, t.start)) {
        const entry = lexicon.keywordIndex.get(key)!;
        hits.push({ category: entry.category, keyword: entry.keyword, start: t.start, end });
      }
    }
  }
  const patternHits = m.anyPattern ? matchPatterns(text, starts, m) : [];
  hits.push(...patternHits);
  if (hits.length === 0) return hits;
  hits = hits.filter((h) => {
    const guards = m.lowerGuards.get(h.category)!;
    return guards.length === 0 || !guarded(h, lower, guards);
  });
  if (patternHits.length) hits = dropYielding(hits, new Set(patternHits), text, lexicon);
  if (hits.length > 1) {
    hits = hits.filter((h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start));
  }
  hits = dropDismissed(hits, text, lexicon);
  hits = dropAddresses(hits, text, lexicon);
  return hits.sort((a, b) => a.start - b.start || a.end - b.end);
}

interface Matcher {
  /** Lower-cased keywords by first character. */
  byFirstChar: Map<string, string[]>;
  dismissible: Set<CategoryId>;
  lowerGuards: Map<CategoryId, string[]>;
  /** All category patterns in one expression, one named group per category, so an utterance is scanned once. */
  anyPattern: RegExp | null;
  patternCategories: CategoryId[];
}

const matchers = new WeakMap<Lexicon, Matcher>();

function matcher(lexicon: Lexicon): Matcher {
  let m = matchers.get(lexicon);
  if (m) return m;
  const byFirstChar = new Map<string, string[]>();
  for (const key of lexicon.keywordIndex.keys()) {
    const list = byFirstChar.get(key[0]) ?? [];
    list.push(key);
    byFirstChar.set(key[0], list);
  }
  const withPatterns = lexicon.categories.filter((c) => c.patterns.length > 0);
  const sources = withPatterns.map((c, i) => `(?<c${i}>${c.patterns.map((p) => `(?:${p.source})`).join('|')})`);
  m = {
    byFirstChar,
    dismissible: new Set(lexicon.categories.filter((c) => c.dismissible).map((c) => c.id)),
    lowerGuards: new Map(lexicon.categories.map((c) => [c.id, c.guards.map((g) => g.toLowerCase())])),
    anyPattern: sources.length ? new RegExp(sources.join('|'), 'gi') : null,
    patternCategories: withPatterns.map((c) => c.id),
  };
  matchers.set(lexicon, m);
  return m;
}

function guarded(hit: TagHit, lower: string, guards: string[]): boolean {
  for (const g of guards) {
    // Any occurrence of the guard that overlaps the hit.
    const from = Math.max(0, hit.start - g.length + 1);
    for (let at = lower.indexOf(g, from); at >= 0 && at < hit.end; at = lower.indexOf(g, at + 1)) {
      if (at + g.length > hit.start) return true;
    }
  }
  return false;
}

/** Clause spans [start, end) split on the lexicon's delimiters. */
function clauses(text: string, delimiters: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || delimiters.includes(text[i])) {
      if (i > start) out.push([start, i]);
      start = i + 1;
    }
  }
  return out;
}

const QUESTION_END = /[？?]|[吗么呢][\s。]*$/;
const REASSURANCE_BEFORE = /(您|你|你们)(也|就|完全|真的)?$/;

function dropDismissed(hits: TagHit[], text: string, lexicon: Lexicon): TagHit[] {
  const dismissible = matcher(lexicon).dismissible;
  if (lexicon.dismissals.length === 0 || !hits.some((h) => dismissible.has(h.category))) return hits;
  const dismissedClauses: Array<[number, number]> = [];
  for (const [cs, ce] of clauses(text, lexicon.clauseDelimiters)) {
    const clause = text.slice(cs, ce);
    // A question ends its clause at ？; if the utterance ends in a particle question, treat its last clause so too.
    const delimiter = text[ce] ?? '';
    if (/[？?]/.test(delimiter) || (ce === text.length && QUESTION_END.test(clause))) continue;
    for (const d of lexicon.dismissals) {
      const at = clause.indexOf(d);
      if (at >= 0 && !REASSURANCE_BEFORE.test(clause.slice(0, at))) {
        dismissedClauses.push([cs, ce]);
        break;
      }
    }
  }
  return hits.filter(
    (h) => !(dismissible.has(h.category) && dismissedClauses.some(([cs, ce]) => h.start >= cs && h.end <= ce)),
  );
}

const VOCATIVE_AFTER = /^([，,！!。、？?～~]|您|你|好|啊|呀|哈|早|$)/;
const SURNAME_TITLE = /^[\u4e00-\u9fff](总|工|经理|科长|处长|主任|厂长|院长|局长)$/;

function dropAddresses(hits: TagHit[], text: string, lexicon: Lexicon): TagHit[] {
  if (!hits.some((h) => h.category === 'decision_chain')) return hits;
  const titles = new Set(lexicon.addressTitles);
  return hits.filter((h) => {
    if (h.category !== 'decision_chain' || !(titles.has(h.keyword) || SURNAME_TITLE.test(h.keyword))) return true;
    return !VOCATIVE_AFTER.test(text.slice(h.end, h.end + 2));
  });
}

function matchPatterns(text: string, starts: Uint8Array, m: Matcher): TagHit[] {
  const re = m.anyPattern!;
  const out: TagHit[] = [];
  re.lastIndex = 0;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    // Step one character, not past the match, so a pattern of another category starting inside it is still seen.
    re.lastIndex = match.index + 1;
    if (match[0].length === 0 || !starts[match.index]) continue;
    const groups = match.groups!;
    const i = m.patternCategories.findIndex((_, k) => groups[`c${k}`] !== undefined);
    out.push({ category: m.patternCategories[i], keyword: match[0], start: match.index, end: match.index + match[0].length });
  }
  return out;
}

function dropYielding(hits: TagHit[], fromPatterns: Set<TagHit>, text: string, lexicon: Lexicon): TagHit[] {
  if (fromPatterns.size === 0) return hits;
  const spans = clauses(text, '。！!？?；;\n');
  const clauseOf = (h: TagHit) => spans.findIndex(([s, e]) => h.start >= s && h.start < e);
  return hits.filter((h) => {
    if (!fromPatterns.has(h)) return true;
    const yieldTo = lexicon.categories.find((c) => c.id === h.category)?.yieldTo ?? [];
    const clause = clauseOf(h);
    return !hits.some((o) => o !== h && yieldTo.includes(o.category) && clauseOf(o) === clause);
  });
}
