import { loadLexicon, type Lexicon } from '../lexicons/index.ts';
import type { AnalyzedSegment, CallAnalysis, FileKind, Segment, TagHit } from './types.ts';
import { BEHAVIOR_IDS, type BehaviorId } from '../core/behaviors.ts';
import type { CategoryId } from '../core/categories.ts';
import { normalizeText } from './normalize-text.ts';
import { loadSpeakerCues } from './speakers.ts';
import { inferRoles, SWITCH_AUDIO, SWITCH_TYPED } from './roles.ts';
import { lexiconViews } from './lexicon-view.ts';
import { behaviorThresholds, callLineFeatures, decideTags, scoreLine } from './tagger.ts';
import { repairHomophones } from './homophones.ts';
import { splitTurns } from './split-turns.ts';
import { extractPromises } from './promises.ts';
import { computeMetrics, timedDuration, type MetricSegment } from './metrics.ts';

export interface AnalyzeCallOptions {
  /** The moment relative due times (明天上午, 三天内) are resolved against. */
  now: Date;
  /** Known length of the recording (audio); otherwise derived from the timestamps, or null. */
  durationSec?: number | null;
  lexicon?: Lexicon;
  /** Where the segments came from: a typed transcript (the default) or speech-to-text. */
  source?: FileKind;
}

/**
 * Word tokens for fillerRate: jieba emits punctuation as tokens of its own, so the first character decides.
 * A char-code test, not a Unicode-property regex: it runs once per token of every call.
 */
function isWord(token: string): boolean {
  const c = token.charCodeAt(0);
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xd800 && c <= 0xdbff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x370 && c <= 0x52f)
  );
}

/**
 * THE analysis stage (CLI, worker and demo all call it): normalize each utterance (and repair speech-to-text
 * homophones), split engine segments where the speaker changes, segment with jieba, read every line with the
 * lexicon and the trained tagger, infer the roles the transcript does not name from the whole conversation, decide
 * categories and rep behaviours (weighted by the probability that the rep said the line), build the promise ledger
 * of both sides and compute the call's talk metrics. Pure apart from the lexicon load; empty utterances are dropped.
 */
export function analyzeCall(segments: Segment[], opts: AnalyzeCallOptions): CallAnalysis {
  const lexicon = opts.lexicon ?? loadLexicon();
  const model = lexicon.model;
  const source = opts.source ?? 'transcript';
  const fillers = new Set(loadSpeakerCues().fillers);
  let input = segments.map((s) => ({ ...s, text: normalizeText(s.text) })).filter((s) => s.text.length > 0);
  // Engine output: homophones of lexicon terms are read as the terms (the text shown stays what was transcribed).
  let repaired = input.map((s) => (source === 'audio' ? repairHomophones(s.text, lexicon) : { text: s.text, spans: [] as Array<[number, number]> }));
  if (source === 'audio') ({ segments: input, repaired } = splitTurns(input, repaired, lexicon));
  const texts = repaired.map((r) => r.text);
  const { tokens, views } = lexiconViews(texts, lexicon, repaired.map((r) => r.spans), input.map((s) => s.text));
  const scores = texts.map((_, i) => scoreLine(model, callLineFeatures(texts, views, i)));
  const roles = inferRoles(input, scores.map((s) => s.roleLogit), { switchProb: source === 'audio' ? SWITCH_AUDIO : SWITCH_TYPED });
  const commitments = extractPromises(
    input.map((s, i) => ({ text: texts[i], pRep: roles[i].pRep, start: s.start, end: s.end })),
    opts.now,
  );
  const behaviorCut = behaviorThresholds(model);
  const promisedByRep = new Set(commitments.filter((c) => c.by === 'rep').map((c) => c.segment));

  const analyzed: AnalyzedSegment[] = [];
  const forMetrics: MetricSegment[] = [];
  const tagCounts: Partial<Record<CategoryId, number>> = {};
  input.forEach((s, i) => {
    const tags: TagHit[] = decideTags(model, texts[i], tokens[i], views[i].tags, scores[i]);
    for (const t of tags) tagCounts[t.category] = (tagCounts[t.category] ?? 0) + 1;
    const behaviors: BehaviorId[] = [];
    // A line the role model gives to the rep counts fully; one leaning to the customer counts in proportion
    // (2·P(rep)), so an uncertain line keeps a strong behaviour instead of losing it to a coin-flip role.
    const repWeight = Math.min(1, 2 * roles[i].pRep);
    BEHAVIOR_IDS.forEach((b, k) => {
      if (b === 'commitment' ? promisedByRep.has(i) : scores[i].behaviors[k] * repWeight >= behaviorCut[k]) behaviors.push(b);
    });
    const speaker = roles[i].speaker;
    const out: AnalyzedSegment = { start: s.start, end: s.end, speaker, speakerConfidence: roles[i].confidence, text: s.text, tags, behaviors };
    if (s.confidence !== undefined) out.confidence = s.confidence;
    if (s.voice !== undefined) out.voice = s.voice;
    analyzed.push(out);
    const words: string[] = [];
    for (const t of tokens[i]) if (isWord(t.word)) words.push(t.word);
    forMetrics.push({ start: s.start, end: s.end, speaker, text: s.text, words });
  });

  const durationSec = opts.durationSec ?? timedDuration(input);
  return {
    lexiconVersion: lexicon.version,
    modelVersion: model.version,
    durationSec,
    segments: analyzed,
    tagCounts,
    commitments,
    metrics: computeMetrics(forMetrics, { durationSec, fillers }),
  };
}
