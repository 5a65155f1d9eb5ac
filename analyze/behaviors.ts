import type { BehaviorRule, Lexicon } from '../lexicons/index.ts';
import { parseDueTime } from './due-time.ts';
import { isQuestion } from './question.ts';
import type { Token } from './tokenize.ts';
import { tagText } from './tagging.ts';
import type { BehaviorId, CategoryId, TagHit } from './types.ts';

/**
 * Rep behaviours in one rep utterance, from the data rules in lexicons/behaviors.json.
 *
 * Question requirements are checked where they belong: a rule that needs a question looks only at question
 * sentences (the topic of a question often sits in the clause before it: 您现在用的系统，最头疼的是什么？); a rule
 * that forbids questions looks only at statement clauses (那我今天回去就安排设计，您先把定金付一下？ still promises).
 * Cue phrases must start on a token boundary so they never match inside another word.
 * A rule item written `#category_id` matches when the piece of text carries a tag of that category (a question
 * about a use_case term is a use-case probe). `commitment` additionally needs a due time that parseDueTime
 * understands in the same sentence. Pass `ctx.tags` when the caller already tagged the text.
 */
export function detectBehaviors(
  text: string,
  tokens: Token[],
  lexicon: Lexicon,
  ctx: { now?: Date; tags?: TagHit[] } = {},
): BehaviorId[] {
  const now = ctx.now ?? new Date();
  const tags = ctx.tags ?? tagText(text, tokens, lexicon);
  const starts = new Set(tokens.map((t) => t.start));
  const sentences = splitSentences(text);
  const found: BehaviorId[] = [];
  for (const rule of lexicon.behaviors) {
    const views = viewsFor(rule, text, sentences);
    if (views.some((v) => ruleMatches(rule, v, starts, tags, now))) found.push(rule.id);
  }
  return found;
}

interface Span {
  start: number;
  end: number;
}

/** A piece of the utterance a rule is evaluated on; `sentence` is the span its due time may come from. */
interface View {
  text: string;
  /** Start of `text` in the utterance; -1 for joined clauses, whose tags are looked up in `range`. */
  offset: number;
  range: Span;
  sentence: string;
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

function splitSentences(text: string) {
  return split(text, SENTENCE_END).map((s) => {
    const full = text.slice(s.start, s.end) + (/[？?]/.test(s.delimiter) ? s.delimiter : '');
    return { ...s, text: text.slice(s.start, s.end), question: isQuestion(full) };
  });
}

function viewsFor(rule: BehaviorRule, text: string, sentences: ReturnType<typeof splitSentences>): View[] {
  if (rule.question === 'any') return [{ text, offset: 0, range: { start: 0, end: text.length }, sentence: text }];
  if (rule.question === 'required') {
    return sentences
      .filter((s) => s.question)
      .map((s) => ({ text: s.text, offset: s.start, range: { start: s.start, end: s.end }, sentence: s.text }));
  }
  // Statement clauses only, each sentence's statement clauses joined so co-occurring cues can meet.
  const views: View[] = [];
  for (const s of sentences) {
    const clauses = split(text, CLAUSE_END, s.start, s.end).filter((c) => {
      const clause = text.slice(c.start, c.end);
      return !/[？?]/.test(c.delimiter) && !(s.question && isQuestion(clause));
    });
    for (const c of clauses) {
      views.push({ text: text.slice(c.start, c.end), offset: c.start, range: { start: c.start, end: c.end }, sentence: s.text });
    }
    if (clauses.length > 1) {
      const joined = clauses.map((c) => text.slice(c.start, c.end)).join('，');
      views.push({ text: joined, offset: -1, range: { start: s.start, end: s.end }, sentence: s.text });
    }
  }
  return views;
}

function hasPhrase(view: View, phrase: string, starts: Set<number>): boolean {
  for (let at = view.text.indexOf(phrase); at >= 0; at = view.text.indexOf(phrase, at + 1)) {
    // Joined views lose exact offsets; there the phrase only has to occur.
    if (view.offset < 0 || starts.has(view.offset + at)) return true;
  }
  return false;
}

function hasItem(view: View, item: string | RegExp, starts: Set<number>, tags: TagHit[]): boolean {
  if (typeof item !== 'string') return item.test(view.text);
  if (item.startsWith('#')) {
    const category = item.slice(1) as CategoryId;
    return tags.some((t) => t.category === category && t.start >= view.range.start && t.end <= view.range.end);
  }
  return hasPhrase(view, item, starts);
}

function ruleMatches(rule: BehaviorRule, view: View, starts: Set<number>, tags: TagHit[], now: Date): boolean {
  if (rule.exclude.some((e) => view.text.includes(e))) return false;
  const matched =
    rule.cues.some((c) => hasItem(view, c, starts, tags)) ||
    rule.patterns.some((p) => p.test(view.text)) ||
    (rule.allOf.length > 0 && rule.allOf.every((group) => group.some((item) => hasItem(view, item, starts, tags))));
  if (!matched) return false;
  if (rule.requireDueTime && !parseDueTime(view.sentence, now)) return false;
  return true;
}
