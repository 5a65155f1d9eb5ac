import { loadLexicon, type Lexicon } from '../lexicons/index.ts';
import type { AnalyzedSegment, CallAnalysis, FileKind, Segment } from './types.ts';
import type { CategoryId } from '../core/categories.ts';
import { normalizeText } from './normalize-text.ts';
import { assignSpeakers, loadSpeakerCues } from './speakers.ts';
import { tokenizeAll } from './tokenize.ts';
import { tagText } from './tagging.ts';
import { detectBehaviors } from './behaviors.ts';
import { extractCommitments } from './commitments.ts';
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
 * Probability that consecutive segments switch speaker, for role inference: typed transcripts alternate turn by
 * turn; speech-to-text segments split at pauses rather than at turns, so they switch less often.
 */
const SWITCH_PROB: Record<FileKind, number | undefined> = { transcript: undefined, audio: 0.5 };

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
 * THE analysis stage (CLI, worker and demo all call it): normalize each utterance, infer missing speaker roles,
 * segment with jieba, tag the 12 categories, detect rep behaviours, extract commitments with due times and compute
 * the call's talk metrics. Pure apart from the lexicon load; empty utterances are dropped.
 */
export function analyzeCall(segments: Segment[], opts: AnalyzeCallOptions): CallAnalysis {
  const lexicon = opts.lexicon ?? loadLexicon();
  const fillers = new Set(loadSpeakerCues().fillers);
  const normalized = segments
    .map((s) => ({ ...s, text: normalizeText(s.text) }))
    .filter((s) => s.text.length > 0);
  const withRoles = assignSpeakers(normalized, { switchProb: SWITCH_PROB[opts.source ?? 'transcript'] });

  const analyzed: AnalyzedSegment[] = [];
  const forMetrics: MetricSegment[] = [];
  const tagCounts: Partial<Record<CategoryId, number>> = {};
  const tokenized = tokenizeAll(withRoles.map((s) => s.text), lexicon);
  withRoles.forEach((s, i) => {
    const tokens = tokenized[i];
    const tags = tagText(s.text, tokens, lexicon);
    for (const t of tags) tagCounts[t.category] = (tagCounts[t.category] ?? 0) + 1;
    const behaviors = s.speaker === 'rep' ? detectBehaviors(s.text, tokens, lexicon, { now: opts.now, tags }) : [];
    const out: AnalyzedSegment = { start: s.start, end: s.end, speaker: s.speaker, text: s.text, tags, behaviors };
    if (s.confidence !== undefined) out.confidence = s.confidence;
    analyzed.push(out);
    const words: string[] = [];
    for (const t of tokens) if (isWord(t.word)) words.push(t.word);
    forMetrics.push({ start: s.start, end: s.end, speaker: s.speaker, text: s.text, words });
  });

  const durationSec = opts.durationSec ?? timedDuration(withRoles);
  return {
    lexiconVersion: lexicon.version,
    durationSec,
    segments: analyzed,
    tagCounts,
    commitments: extractCommitments(analyzed, opts.now),
    metrics: computeMetrics(forMetrics, { durationSec, fillers }),
  };
}
