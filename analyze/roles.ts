/**
 * Speaker roles from the whole conversation. Explicit roles (销售：, a mapped name, the JSON speaker field) always
 * win. For every other line the trained tagger gives the log-odds that the rep said it, from its words alone (who
 * asks about whose operation, who quotes and promises delivery, self-introductions, titles — lexicons/model/); the
 * conversation then decides:
 * - with voice labels (diarized audio: S1, S2 …) every line of one voice has one role, decided from the evidence of
 *   all its lines together; when no voice sounds like the rep, the one that sounds most like it is the rep (every
 *   sales conversation has one);
 * - without them, a two-state forward–backward pass combines the lines' evidence with how often the speaker changes
 *   between consecutive lines (typed transcripts change at most lines; engine segments split at pauses, less often)
 *   and with the explicit neighbours.
 * Each line gets the posterior P(rep); the role is the likelier side, `unknown` only when the posterior stays within
 * UNDECIDED of one half. speakerConfidence is the posterior of the role given (1 for explicit roles).
 */
import type { Segment, Speaker } from './types.ts';

export interface RoleEstimate {
  speaker: Speaker;
  pRep: number;
  confidence: number;
}

/** P(speaker changes between consecutive lines), measured on the corpus's typed conversations (0.86). */
export const SWITCH_TYPED = 0.85;
/** Engine segments: split at pauses and sometimes merged, so a change at every other segment or so. */
export const SWITCH_AUDIO = 0.6;
const UNDECIDED = 0.03;
const SURE = 0.999;
/** Lines of one voice are not independent evidence: their summed log-odds are damped by this factor. */
const VOICE_DAMPING = 0.6;
const MAX_LOGIT = 12;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const clamp = (z: number) => Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, z));

function estimate(pRep: number, explicit?: Speaker): RoleEstimate {
  if (explicit && explicit !== 'unknown') return { speaker: explicit, pRep, confidence: 1 };
  const speaker: Speaker = pRep >= 0.5 + UNDECIDED ? 'rep' : pRep <= 0.5 - UNDECIDED ? 'customer' : 'unknown';
  return { speaker, pRep, confidence: Math.round(Math.max(pRep, 1 - pRep) * 1000) / 1000 };
}

/**
 * Roles of every segment. `logits[i]` is the words' log-odds for the rep on segment i; `switchProb` how often the
 * speaker changes between consecutive segments.
 */
export function inferRoles(segments: Segment[], logits: number[], opts: { switchProb: number }): RoleEstimate[] {
  const explicit = segments.map((s) => (s.speaker === 'unknown' ? null : s.speaker));
  const voiced = segments.some((s, i) => s.voice && !explicit[i]);
  const evidence = voiced ? voiceEvidence(segments, logits, explicit) : logits.map(clamp);
  if (voiced) {
    return segments.map((s, i) => (explicit[i] ? estimate(explicit[i] === 'rep' ? 1 : 0, explicit[i]!) : estimate(sigmoid(evidence[i]))));
  }
  const e = segments.map((_, i) => (explicit[i] === 'rep' ? SURE : explicit[i] === 'customer' ? 1 - SURE : sigmoid(evidence[i])));
  const post = forwardBackward(e, opts.switchProb);
  return segments.map((_, i) => estimate(post[i], explicit[i] ?? undefined));
}

/** Per voice, the damped sum of its lines' log-odds (explicit lines of that voice count as strong evidence). */
function voiceEvidence(segments: Segment[], logits: number[], explicit: Array<Speaker | null>): number[] {
  const sum = new Map<string, number>();
  segments.forEach((s, i) => {
    if (!s.voice) return;
    const z = explicit[i] === 'rep' ? MAX_LOGIT : explicit[i] === 'customer' ? -MAX_LOGIT : clamp(logits[i]);
    sum.set(s.voice, (sum.get(s.voice) ?? 0) + z);
  });
  const byVoice = new Map([...sum].map(([v, z]) => [v, clamp(z * VOICE_DAMPING)]));
  if (byVoice.size >= 2 && [...byVoice.values()].every((z) => z < 0)) {
    const [top] = [...byVoice].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    byVoice.set(top[0], Math.max(1, -top[1]));
  }
  return segments.map((s, i) => (s.voice ? byVoice.get(s.voice)! : clamp(logits[i])));
}

/** Posterior P(rep) per line of a two-state chain with emissions P(rep | line) and a constant switch probability. */
function forwardBackward(e: number[], sw: number): number[] {
  const n = e.length;
  const fwd = new Array<number>(n);
  const bwd = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const prior = i === 0 ? 0.5 : fwd[i - 1] * (1 - sw) + (1 - fwd[i - 1]) * sw;
    const r = prior * e[i];
    const c = (1 - prior) * (1 - e[i]);
    fwd[i] = r / (r + c);
  }
  bwd[n - 1] = 0.5;
  for (let i = n - 2; i >= 0; i--) {
    const nextR = e[i + 1] * bwd[i + 1];
    const nextC = (1 - e[i + 1]) * (1 - bwd[i + 1]);
    const r = (1 - sw) * nextR + sw * nextC;
    const c = sw * nextR + (1 - sw) * nextC;
    bwd[i] = r / (r + c);
  }
  return e.map((_, i) => {
    const r = fwd[i] * bwd[i];
    return r / (r + (1 - fwd[i]) * (1 - bwd[i]));
  });
}
