/**
 * The shapes every stage and surface shares. The JSON printed by `tingjian analyze --json`, served by
 * `GET /v1/recordings/:id/analysis` and stored in the analyses table is exactly `FileResult` (more keys may be
 * added, none renamed).
 */

import type { BehaviorId } from '../core/behaviors.ts';
import type { CategoryId } from '../core/categories.ts';

export type Speaker = 'rep' | 'customer' | 'unknown';

/** One utterance as it comes from a transcript file or a speech-to-text engine. Times in seconds, null if unknown. */
export interface Segment {
  start: number | null;
  end: number | null;
  speaker: Speaker;
  text: string;
  /** 0..1, from the engine's token probabilities; absent for typed transcripts. */
  confidence?: number;
  /** Diarization label of the voice (S1, S2 …) when the audio stage tells voices apart; segments with the same label
   * are one person, so they share a role. */
  voice?: string;
}

/** `start`/`end` are character offsets into the segment's (normalized) `text`. */
export interface TagHit {
  category: CategoryId;
  keyword: string;
  start: number;
  end: number;
  /** The tagger model's probability for this category on the line (absent on raw lexicon hits). */
  score?: number;
  /** `model`: no lexicon phrase matched, the span is the n-gram that weighed most; otherwise a lexicon hit. */
  source?: 'model';
  /** Set when the transcribed words (`keyword`, e.g. 报加) only sound like the lexicon term (报价): a homophone
   * match, which the model weighs less than an exact one. */
  homophoneOf?: string;
}

export interface AnalyzedSegment extends Segment {
  tags: TagHit[];
  behaviors: BehaviorId[];
  /** How sure the role is: 1 for a role the transcript names, else the posterior of the inferred role (0.5–1).
   * Always set by analyzeCall; absent only in analyses stored before lexicon 2026.12.01. */
  speakerConfidence?: number;
}

export interface Commitment {
  /** 0-based index into `segments`. */
  segment: number;
  text: string;
  /** ISO 8601 with +08:00 offset; null when the promise names no time we can parse. */
  dueAt: string | null;
  /** Who promised: the rep (a task to keep it) or the customer (a task for the rep to check back). Always set by
   * analyzeCall; absent (meaning the rep) only in analyses stored before lexicon 2026.12.01. */
  by?: 'rep' | 'customer';
}

export interface CallMetrics {
  repTalkShare: number | null;
  longestRepMonologueSec: number | null;
  longestCustomerStorySec: number | null;
  repQuestions: number;
  interactivityPerMin: number | null;
  fillerRate: number;
}

export interface CallAnalysis {
  lexiconVersion: string;
  /** Version of the trained tagger inside that lexicon (lexicons/model/); absent in analyses stored before it. */
  modelVersion?: string;
  durationSec: number | null;
  segments: AnalyzedSegment[];
  tagCounts: Partial<Record<CategoryId, number>>;
  commitments: Commitment[];
  metrics: CallMetrics;
}

export type FileKind = 'transcript' | 'audio';

export interface FileResultOk extends CallAnalysis {
  file: string;
  status: 'ok';
  kind: FileKind;
  /** Audio inputs only. */
  audio?: AudioInfo;
}

/** What decoding found in a recording and where its words came from (transcribe/). */
export interface AudioInfo {
  /** The container's claim; `durationSec` is what actually decoded (they differ for truncated files). */
  declaredDurationSec: number | null;
  /** Share of the recording that is not silence, 0..1. */
  speechRatio: number;
  source: { format: string; codec: string; sampleRate: number; channels: number; bitRate: number | null; sizeBytes: number };
  /** `rep-left`/`rep-right`: speaker roles came from the stereo channels. */
  channels: 'mix' | 'rep-left' | 'rep-right';
  transcript: { from: 'engine'; engine: string; model: string } | { from: 'sidecar'; file: string };
  warnings: string[];
}

export interface FileResultError {
  file: string;
  status: 'error';
  error: { code: string; message: string };
}

export type FileResult = FileResultOk | FileResultError;
