import type { BehaviorRule, Lexicon } from '../lexicons/index.ts';
import { promiseDueTime } from './commitments.ts';
import { isQuestion } from './question.ts';
import type { Token } from './tokenize.ts';
import { tagText } from './tagging.ts';
import type { TagHit } from './types.ts';
import type { BehaviorId } from '../core/behaviors.ts';
import type { CategoryId } from '../core/categories.ts';

/**
 * Rep behaviours in one rep utterance, from the data rules in lexicons/behaviors.json.
 *
 * Question requirements are checked where they belong: a rule that needs a question looks only at question
 * sentences (the topic of a question often sits in the clause before it: 您现在用的系统，最头疼的是什么？); a rule
 * that forbids questions looks only at statement clauses (那我今天回去就安排设计，您先把定金付一下？ still promises).
 * Cue phrases must start on a token boundary so they never match inside another word; exclusions are plain
 * substrings of the part being checked.
 * A rule item written `#category_id` matches when the piece of text carries a tag of that category (a question
 * about a use_case term is a use-case probe). `commitment` additionally needs, in the same sentence, a due time tied to something promised
 * (promiseDueTime), so the behaviour and the call's commitments list always agree. Pass `ctx.tags` when the caller already tagged the text.
 */
export function detectBehaviors(
  text: string,
  tokens: Token[],
  lexicon: Lexicon,
  ctx: { now?: Date; tags?: TagHit[] } = {},
): BehaviorId[] {
  const now = ctx.now ?? new Date();
  const tags = ctx.tags ?? tagText(text, tokens, lexicon);
  const index = ruleIndex(lexicon);
  const found = findPhrases(text, tokens, index.byFirstChar);
  const foundPhrases = [...found.keys()];
  const tagCategories = new Set(tags.map((t) => t.category));
  let sentences: Sentence[] | undefined;
  const viewCache = new Map<BehaviorRule['question'], View[]>();
  const out: BehaviorId[] = [];
  for (const rule of lexicon.behaviors) {
    // Cheap pass over the whole utterance first: most rules have no cue in it at all.
    if (!mayMatch(index.rules.get(rule)!, text, foundPhrases, tagCategories)) continue;
    let views = viewCache.get(rule.question);
    if (!views) {
      sentences ??= splitSentences(text);
      views = viewsFor(rule.question, text, sentences);
      viewCache.set(rule.question, views);
    }
    if (views.some((v) => ruleMatches(rule, v, found, tags, now))) out.push(rule.id);
  }
  return out;
}

interface Span {
  start: number;
  end: number;
}

/** The part of the utterance a rule is evaluated on; `sentence` is the text its due time may come from. */
interface View {
  text: string;
  spans: Span[];
  sentence: string;
}

interface Sentence extends Span {
  text: string;
  question: boolean;
}

/** Items of one rule group (or of a rule's cues), split by kind for the whole-utterance pre-check. */
interface ItemSet {
  phrases: Set<string>;
  categories: Set<CategoryId>;
  regexes: RegExp[];
}

interface RuleEntry {
  cues: ItemSet;
  groups: ItemSet[];
  /** The rule's patterns as one expression, for the whole-utterance pre-check. */
  anyPattern: RegExp | null;
}

interface RuleIndex {
  /** Rule phrases by first character, for one scan over the token starts. */
  byFirstChar: Map<string, string[]>;
  rules: Map<BehaviorRule, RuleEntry>;
}

const indexes = new WeakMap<Lexicon, RuleIndex>();

function itemSet(items: Array<string | RegExp>): ItemSet {
  const set: ItemSet = { phrases: new Set(), categories: new Set(), regexes: [] };
  for (const item of items) {
    if (typeof item !== 'string') set.regexes.push(item);
    else if (item.startsWith('#')) set.categories.add(item.slice(1) as CategoryId);
    else set.phrases.add(item);
  }
  return set;
}

function ruleIndex(lexicon: Lexicon): RuleIndex {
  let index = indexes.get(lexicon);
  if (index) return index;
  index = { byFirstChar: new Map(), rules: new Map() };
  const phrases = new Set<string>();
  for (const rule of lexicon.behaviors) {
    const entry: RuleEntry = {
      cues: itemSet(rule.cues),
      groups: rule.allOf.map(itemSet),
      anyPattern: rule.patterns.length ? new RegExp(rule.patterns.map((p) => `(?:${p.source})`).join('|'), 'i') : null,
    };
    index.rules.set(rule, entry);
    for (const set of [entry.cues, ...entry.groups]) set.phrases.forEach((p) => phrases.add(p));
  }
  for (const p of phrases) {
    const list = index.byFirstChar.get(p[0]) ?? [];
    list.push(p);
    index.byFirstChar.set(p[0], list);
  }
  indexes.set(lexicon, index);
  return index;
}

function setHits(set: ItemSet, text: string, foundPhrases: string[], tagCategories: Set<CategoryId>): boolean {
  return (
    foundPhrases.some((p) => set.phrases.has(p)) ||
    hasAny(set.categories, tagCategories) ||
    set.regexes.some((r) => r.test(text))
  );
}

function hasAny<T>(a: Set<T>, b: Set<T>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function mayMatch(
  entry: RuleEntry,
  text: string,
  foundPhrases: string[],
  tagCategories: Set<CategoryId>,
): boolean {
  return (
    setHits(entry.cues, text, foundPhrases, tagCategories) ||
    (entry.anyPattern !== null && entry.anyPattern.test(text)) ||
    (entry.groups.length > 0 && entry.groups.every((g) => setHits(g, text, foundPhrases, tagCategories)))
  );
}

/** Every rule phrase that starts on a token boundary, with its start positions. */
function findPhrases(text: string, tokens: Token[], index: Map<string, string[]>): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const t of tokens) {
    const candidates = index.get(text[t.start]);
    if (!candidates) continue;
    for (const p of candidates) {
      if (!text.startsWith(p, t.start)) continue;
      const at = found.get(p);
      if (at) at.push(t.start);
      else found.set(p, [t.start]);
    }
  }
  return found;
}

const SENTENCE_END = /[。！!？?\n]/;
const CLAUSE_END = /[，,；;：:。！!？?\n]/;

function split(text: string, end: RegExp, from = 0, to = text.length): Array<Span & { delimiter: string }> {
  const out: Array<Span & { delimiter: string }> = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i === to || end.test(text[i])) {
      if (text.slice(start, i).trim()) out.push({ start, end: i, delimiter: text[i] ?? '' });
      start = i + 1;
    }
  }
  return out;
}

function splitSentences(text: string): Sentence[] {
  return split(text, SENTENCE_END).map((s) => {
    const body = text.slice(s.start, s.end);
    return { start: s.start, end: s.end, text: body, question: isQuestion(body + (/[？?]/.test(s.delimiter) ? s.delimiter : '')) };
  });
}

function viewsFor(mode: BehaviorRule['question'], text: string, sentences: Sentence[]): View[] {
  if (mode === 'any') return [{ text, spans: [{ start: 0, end: text.length }], sentence: text }];
  if (mode === 'required') {
    return sentences.filter((s) => s.question).map((s) => ({ text: s.text, spans: [s], sentence: s.text }));
  }
  // Each sentence's statement clauses, together, so co-occurring cues can meet across a comma.
  const views: View[] = [];
  for (const s of sentences) {
    const clauses = split(text, CLAUSE_END, s.start, s.end).filter((c) => {
      return !/[？?]/.test(c.delimiter) && !(s.question && isQuestion(text.slice(c.start, c.end)));
    });
    if (clauses.length === 0) continue;
    views.push({ text: clauses.map((c) => text.slice(c.start, c.end)).join('，'), spans: clauses, sentence: s.text });
  }
  return views;
}

function inSpans(start: number, end: number, spans: Span[]): boolean {
  return spans.some((s) => start >= s.start && end <= s.end);
}

function hasItem(view: View, item: string | RegExp, found: Map<string, number[]>, tags: TagHit[]): boolean {
  if (typeof item !== 'string') return item.test(view.text);
  if (item.startsWith('#')) {
    const category = item.slice(1) as CategoryId;
    return tags.some((t) => t.category === category && inSpans(t.start, t.end, view.spans));
  }
  const at = found.get(item);
  return !!at && at.some((p) => inSpans(p, p + item.length, view.spans));
}

function itemsMatch(rule: BehaviorRule, view: View, found: Map<string, number[]>, tags: TagHit[]): boolean {
  return (
    rule.cues.some((c) => hasItem(view, c, found, tags)) ||
    rule.patterns.some((p) => p.test(view.text)) ||
    (rule.allOf.length > 0 && rule.allOf.every((group) => group.some((item) => hasItem(view, item, found, tags))))
  );
}

function ruleMatches(rule: BehaviorRule, view: View, found: Map<string, number[]>, tags: TagHit[], now: Date): boolean {
  if (rule.exclude.some((e) => view.text.includes(e))) return false;
  if (!itemsMatch(rule, view, found, tags)) return false;
  if (rule.requireDueTime && !promiseDueTime(view.sentence, now)) return false;
  return true;
}
