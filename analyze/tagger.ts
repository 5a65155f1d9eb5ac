/**
 * The trained tagger combined with the lexicon. The lexicon's hits (keywords, patterns, behaviour rules) are
 * features of the model, next to character n-grams and the neighbouring lines' hits; the model decides which
 * categories and behaviours a line has, and the lexicon still gives the highlight span and the reason of each tag.
 * A category the model finds without any lexicon hit is highlighted at the n-gram that weighed most for it.
 * Training (scripts/train-tagger.ts) builds features with exactly these functions.
 */
import type { TaggerModel } from '../lexicons/model.ts';
import { modelLogits } from '../lexicons/model.ts';
import { BEHAVIOR_IDS, type BehaviorId } from '../core/behaviors.ts';
import { CATEGORY_IDS } from '../core/categories.ts';
import { eachNgram, featureIds, patternFeatures } from './features.ts';
import type { TagHit } from './types.ts';

/** What the lexicon says about one line, before the model. */
export interface LexiconView {
  tags: TagHit[];
  ruleBehaviors: BehaviorId[];
  question: boolean;
}

function named(view: LexiconView, prefix: string, out: string[]): void {
  for (const t of view.tags) {
    out.push(`${prefix}cat:${t.category}`);
    if (!prefix) out.push(`kw:${t.keyword}`);
    if (!prefix && t.homophone) out.push(`catfz:${t.category}`);
  }
  for (const b of view.ruleBehaviors) out.push(`${prefix}beh:${b}`);
  if (view.question) out.push(`${prefix}q`);
}

/** Feature ids of a line given its lexicon view and its neighbours'. */
export function lineFeatures(text: string, view: LexiconView, prev?: LexiconView, next?: LexiconView): number[] {
  const names: string[] = patternFeatures(text);
  named(view, '', names);
  if (prev) named(prev, 'prev:', names);
  else names.push('prev:none');
  if (next) named(next, 'next:', names);
  return featureIds(text, names);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface LineScores {
  /** P(category) per CATEGORY_IDS entry. */
  categories: Float64Array;
  /** P(behaviour | the line is the rep's) per BEHAVIOR_IDS entry. */
  behaviors: Float64Array;
  /** Log-odds that the rep says this line, from its words alone. */
  roleLogit: number;
}

export function scoreLine(model: TaggerModel, features: readonly number[]): LineScores {
  const z = modelLogits(model, features);
  const pick = (ids: readonly string[], prefix: string) =>
    Float64Array.from(ids, (id) => {
      const k = model.index(prefix + id);
      return k < 0 ? 0 : sigmoid(z[k]);
    });
  const r = model.index('role:rep');
  return { categories: pick(CATEGORY_IDS, 'cat:'), behaviors: pick(BEHAVIOR_IDS, 'beh:'), roleLogit: r < 0 ? 0 : z[r] };
}

export function threshold(model: TaggerModel, label: string): number {
  const k = model.index(label);
  return k < 0 ? Infinity : model.thresholds[k];
}

/**
 * The line's tags: the lexicon hits of every category the model accepts (the hit keeps its span and keyword), and
 * for an accepted category without a hit, the n-gram that weighed most for it (`keyword` is that n-gram, marked
 * `model`). Each tag carries the model's probability as `score`.
 */
export function decideTags(model: TaggerModel, text: string, hits: TagHit[], scores: LineScores): TagHit[] {
  const out: TagHit[] = [];
  CATEGORY_IDS.forEach((c, i) => {
    const p = scores.categories[i];
    if (p < threshold(model, `cat:${c}`)) return;
    const own = hits.filter((h) => h.category === c);
    const score = Math.round(p * 1000) / 1000;
    if (own.length) for (const h of own) out.push({ ...h, score });
    else {
      const span = bestSpan(model, text, `cat:${c}`);
      if (span) out.push({ category: c, keyword: text.slice(span.start, span.end), start: span.start, end: span.end, score, source: 'model' });
    }
  });
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

function bestSpan(model: TaggerModel, text: string, label: string): { start: number; end: number } | null {
  const k = model.index(label);
  let best: { start: number; end: number; w: number } | null = null;
  eachNgram(text, (id, start, end) => {
    if (end - start < 2) return;
    const off = model.rows.get(id);
    if (off === undefined) return;
    const w = model.weights[off + k];
    if (w > 0 && (!best || w > best.w)) best = { start, end, w };
  });
  return best;
}
