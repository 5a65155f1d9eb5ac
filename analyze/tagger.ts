/**
 * The trained tagger combined with the lexicon. The lexicon's hits (keywords and patterns) are
 * features of the model, next to character n-grams and the neighbouring lines' hits; the model decides which
 * categories and behaviours a line has, and the lexicon still gives the highlight span and the reason of each tag.
 * A category the model finds without any lexicon hit is highlighted at the n-gram that weighed most for it.
 * Training (scripts/train-tagger.ts) builds features with exactly these functions.
 */
import type { TaggerModel } from '../lexicons/model.ts';
import { modelLogits } from '../lexicons/model.ts';
import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { CATEGORY_IDS } from '../core/categories.ts';
import { eachNgram, featureIds, patternFeatures } from './features.ts';
import type { TagHit } from './types.ts';
import type { Token } from './tokenize.ts';

/** What the lexicon says about one line, before the model. */
export interface LexiconView {
  tags: TagHit[];
  question: boolean;
}

function named(view: LexiconView, prefix: string, out: string[]): void {
  for (const t of view.tags) {
    out.push(`${prefix}cat:${t.category}`);
    if (!prefix) out.push(`kw:${t.homophoneOf ?? t.keyword}`);
    if (!prefix && t.homophoneOf) out.push(`catfz:${t.category}`);
  }
  if (view.question) out.push(`${prefix}q`);
}

export interface Neighbour {
  text: string;
  view: LexiconView;
}

/** Feature ids of a line given its lexicon view and its neighbours' (the line before and the line after). */
export function lineFeatures(text: string, view: LexiconView, prev?: Neighbour, next?: Neighbour): number[] {
  const names: string[] = patternFeatures(text);
  named(view, '', names);
  if (prev) named(prev.view, 'prev:', names);
  else names.push('prev:none');
  if (next) named(next.view, 'next:', names);
  return featureIds(text, names);
}

/** lineFeatures for line i of a call. */
export function callLineFeatures(texts: string[], views: LexiconView[], i: number): number[] {
  const at = (k: number) => (k >= 0 && k < texts.length ? { text: texts[k], view: views[k] } : undefined);
  return lineFeatures(texts[i], views[i], at(i - 1), at(i + 1));
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

/** Label positions of a model, looked up once: scoring runs per line and string lookups per label added up. */
interface LabelSlots {
  categories: Int32Array;
  behaviors: Int32Array;
  role: number;
  categoryThresholds: Float64Array;
  behaviorThresholds: Float64Array;
}
const slotCache = new WeakMap<TaggerModel, LabelSlots>();

function slots(model: TaggerModel): LabelSlots {
  let s = slotCache.get(model);
  if (s) return s;
  const categories = Int32Array.from(CATEGORY_IDS, (c) => model.index(`cat:${c}`));
  const behaviors = Int32Array.from(BEHAVIOR_IDS, (b) => model.index(`beh:${b}`));
  const th = (k: number) => (k < 0 ? Infinity : model.thresholds[k]);
  s = {
    categories,
    behaviors,
    role: model.index('role:rep'),
    categoryThresholds: Float64Array.from(categories, th),
    behaviorThresholds: Float64Array.from(behaviors, th),
  };
  slotCache.set(model, s);
  return s;
}

export function scoreLine(model: TaggerModel, features: readonly number[]): LineScores {
  const z = modelLogits(model, features);
  const s = slots(model);
  const pick = (idx: Int32Array) => {
    const out = new Float64Array(idx.length);
    for (let j = 0; j < idx.length; j++) out[j] = idx[j] < 0 ? 0 : sigmoid(z[idx[j]]);
    return out;
  };
  return { categories: pick(s.categories), behaviors: pick(s.behaviors), roleLogit: s.role < 0 ? 0 : z[s.role] };
}

/** Decision thresholds per BEHAVIOR_IDS entry (Infinity for a behaviour the model does not predict). */
export function behaviorThresholds(model: TaggerModel): Float64Array {
  return slots(model).behaviorThresholds;
}

/**
 * The line's tags: the lexicon hits of every category the model accepts (the hit keeps its span and keyword), and
 * for an accepted category without a hit, the word (jieba token) whose n-grams weighed most for it (marked
 * `source: 'model'`). Each tag carries the model's probability as `score`.
 */
export function decideTags(model: TaggerModel, text: string, tokens: Token[], hits: TagHit[], scores: LineScores): TagHit[] {
  const out: TagHit[] = [];
  const sl = slots(model);
  const needSpan: number[] = [];
  CATEGORY_IDS.forEach((c, i) => {
    const p = scores.categories[i];
    if (p < sl.categoryThresholds[i]) return;
    const own = hits.filter((h) => h.category === c);
    if (own.length) for (const h of own) out.push({ ...h, score: Math.round(p * 1000) / 1000 });
    else needSpan.push(i);
  });
  if (needSpan.length) {
    const spans = bestWords(model, text, tokens, needSpan.map((i) => sl.categories[i]));
    needSpan.forEach((i, j) => {
      const span = spans[j];
      if (!span) return;
      const score = Math.round(scores.categories[i] * 1000) / 1000;
      out.push({ category: CATEGORY_IDS[i], keyword: text.slice(span.start, span.end), start: span.start, end: span.end, score, source: 'model' });
    });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * For each label, the word (token of two or more characters) whose own n-grams add up to the largest positive
 * weight for it; one pass over the n-grams for all labels.
 */
function bestWords(model: TaggerModel, text: string, tokens: Token[], labels: number[]): Array<{ start: number; end: number } | null> {
  const words = tokens.filter((t) => t.end - t.start >= 2 && /[\u4e00-\u9fffA-Za-z0-9]/.test(text[t.start]));
  const tokenAt = new Int32Array(text.length + 1).fill(-1);
  words.forEach((t, w) => {
    for (let at = t.start; at < t.end; at++) tokenAt[at] = w;
  });
  const sums = new Float64Array(words.length * labels.length);
  eachNgram(text, (id, start, end) => {
    const w = tokenAt[start];
    if (w < 0 || end > words[w].end) return;
    const off = model.rowOf(id);
    if (off < 0) return;
    for (let j = 0; j < labels.length; j++) sums[w * labels.length + j] += model.weights[off + labels[j]];
  });
  return labels.map((_, j) => {
    let best = -1;
    for (let w = 0; w < words.length; w++) if (sums[w * labels.length + j] > 0 && (best < 0 || sums[w * labels.length + j] > sums[best * labels.length + j])) best = w;
    return best < 0 ? null : { start: words[best].start, end: words[best].end };
  });
}
