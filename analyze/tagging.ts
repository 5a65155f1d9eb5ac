import type { Lexicon } from '../lexicons/index.ts';
import type { CategoryId, TagHit } from './types.ts';
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
 * Offsets are JS string indices into `text`.
 */
export function tagText(text: string, tokens: Token[], lexicon: Lexicon): TagHit[] {
  const lower = text.toLowerCase();
  let hits: TagHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const start = tokens[i].start;
    for (let j = i; j < tokens.length; j++) {
      const end = tokens[j].end;
      if (end - start > lexicon.maxKeywordLength) break;
      // Tokens are contiguous except for skipped whitespace; a keyword never spans a gap.
      if (j > i && tokens[j].start !== tokens[j - 1].end) break;
      const entry = lexicon.keywordIndex.get(lower.slice(start, end));
      if (entry) hits.push({ category: entry.category, keyword: entry.keyword, start, end });
    }
  }
  const patternHits = matchPatterns(text, tokens, lexicon);
  hits.push(...patternHits);
  if (hits.length === 0) return hits;
  hits = hits.filter((h) => !guarded(h, lower, lexicon));
  hits = dropYielding(hits, new Set(patternHits), text, lexicon);
  hits = hits.filter((h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start));
  hits = dropDismissed(hits, text, lexicon);
  return hits.sort((a, b) => a.start - b.start || a.end - b.end);
}

function guarded(hit: TagHit, lower: string, lexicon: Lexicon): boolean {
  const cat = lexicon.categories.find((c) => c.id === hit.category);
  if (!cat) return false;
  for (const guard of cat.guards) {
    const g = guard.toLowerCase();
    // Any occurrence of the guard that overlaps the hit and is not just the keyword itself.
    let from = Math.max(0, hit.start - g.length + 1);
    for (let at = lower.indexOf(g, from); at >= 0 && at < hit.end; at = lower.indexOf(g, at + 1)) {
      if (at + g.length > hit.start) return true;
      from = at + 1;
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
  if (lexicon.dismissals.length === 0) return hits;
  const dismissible = new Set<CategoryId>(lexicon.categories.filter((c) => c.dismissible).map((c) => c.id));
  if (!hits.some((h) => dismissible.has(h.category))) return hits;
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

function matchPatterns(text: string, tokens: Token[], lexicon: Lexicon): TagHit[] {
  const starts = new Set(tokens.map((t) => t.start));
  const out: TagHit[] = [];
  for (const cat of lexicon.categories) {
    for (const re of cat.patterns) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        if (starts.has(m.index)) out.push({ category: cat.id, keyword: m[0], start: m.index, end: m.index + m[0].length });
      }
    }
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
