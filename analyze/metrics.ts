import type { CallMetrics, Segment, Speaker } from './types.ts';
import { countQuestions } from './question.ts';

/**
 * Per-call talk metrics. Definitions (docs/transcript-format.md § metrics):
 * - timed call: every segment has a start time. A segment lasts end − start; a last segment with no end is
 *   estimated from its length at the call's own median seconds per character (0.25 s/char, Mandarin's ~4 chars/s,
 *   when nothing is timed), capped at 60 s.
 * - repTalkShare: rep / (rep + customer) speaking time in a timed call, else by characters; unknown speakers are
 *   left out of both sides; null when neither side spoke.
 * - longestRepMonologueSec / longestCustomerStorySec: the longest run of consecutive segments by one side, from the
 *   run's first start to its last end (an 'unknown' segment breaks a run); null when the call is not timed.
 * - repQuestions: question sentences in rep utterances (analyze/question.ts).
 * - interactivityPerMin: rep↔customer switches between consecutive known-speaker segments per minute of call;
 *   null when the duration is unknown.
 * - fillerRate: filler tokens (那个/就是/嗯/然后 …) / all word tokens of the rep; of everyone when no rep is identified.
 */

export interface MetricSegment extends Segment {
  /** Word tokens (no punctuation) of the segment. */
  words: string[];
}

const DEFAULT_SEC_PER_CHAR = 0.25;
const MAX_ESTIMATED_SEC = 60;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** End times to use for metrics: the file's, or the estimate for a trailing segment without one. */
export function effectiveEnds(segments: Segment[]): Array<number | null> {
  const rates: number[] = [];
  for (const s of segments) {
    if (s.start !== null && s.end !== null && s.end > s.start && s.text.length > 0) rates.push((s.end - s.start) / s.text.length);
  }
  rates.sort((a, b) => a - b);
  const rate = rates.length ? rates[Math.floor(rates.length / 2)] : DEFAULT_SEC_PER_CHAR;
  return segments.map((s) => {
    if (s.end !== null) return s.end;
    if (s.start === null) return null;
    return s.start + Math.min(MAX_ESTIMATED_SEC, Math.max(0.5, s.text.length * rate));
  });
}

/** Call duration from the segments: last end − first start, or null when untimed. */
export function timedDuration(segments: Segment[]): number | null {
  if (segments.length === 0 || segments.some((s) => s.start === null)) return null;
  const ends = effectiveEnds(segments);
  const last = Math.max(...ends.map((e, i) => e ?? segments[i].start!));
  return round(last - segments[0].start!, 3);
}

function longestRun(segments: Segment[], ends: Array<number | null>, who: Speaker): number {
  let best = 0;
  let runStart: number | null = null;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.speaker !== who) {
      runStart = null;
      continue;
    }
    if (runStart === null) runStart = s.start!;
    best = Math.max(best, (ends[i] ?? s.start!) - runStart);
  }
  return round(best, 1);
}

export function computeMetrics(
  segments: MetricSegment[],
  opts: { durationSec: number | null; fillers: ReadonlySet<string> },
): CallMetrics {
  const timed = segments.length > 0 && segments.every((s) => s.start !== null);
  const ends = effectiveEnds(segments);

  let rep = 0;
  let customer = 0;
  segments.forEach((s, i) => {
    const amount = timed ? Math.max(0, (ends[i] ?? s.start!) - s.start!) : s.text.length;
    if (s.speaker === 'rep') rep += amount;
    else if (s.speaker === 'customer') customer += amount;
  });
  const repTalkShare = rep + customer > 0 ? round(rep / (rep + customer), 3) : null;

  let switches = 0;
  let prev: Speaker | null = null;
  for (const s of segments) {
    if (s.speaker === 'unknown') continue;
    if (prev && prev !== s.speaker) switches++;
    prev = s.speaker;
  }
  const duration = opts.durationSec ?? (timed ? timedDuration(segments) : null);
  const interactivityPerMin = duration && duration > 0 ? round(switches / (duration / 60), 2) : null;

  const hasRep = segments.some((s) => s.speaker === 'rep');
  let words = 0;
  let fillers = 0;
  let repQuestions = 0;
  for (const s of segments) {
    if (s.speaker === 'rep') repQuestions += countQuestions(s.text);
    if (hasRep && s.speaker !== 'rep') continue;
    words += s.words.length;
    for (const w of s.words) if (opts.fillers.has(w)) fillers++;
  }

  return {
    repTalkShare,
    longestRepMonologueSec: timed ? longestRun(segments, ends, 'rep') : null,
    longestCustomerStorySec: timed ? longestRun(segments, ends, 'customer') : null,
    repQuestions,
    interactivityPerMin,
    fillerRate: words > 0 ? round(fillers / words, 4) : 0,
  };
}
