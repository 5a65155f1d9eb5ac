import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../core/errors.ts';
import type { Segment, Speaker } from './types.ts';

/**
 * Speaker roles when the transcript does not name them. Explicit roles (销售：, 客户：, a header-mapped name, the
 * JSON speaker field) always win. For the rest each utterance gets a cue score from lexicons/speaker-cues.json
 * (positive = sounds like the rep: 我们公司, 给您报价, 您放心; negative = the customer: 你们家, 太贵, 我们老板), and a
 * two-state forward–backward pass over the call combines it with the fact that speakers usually alternate and with
 * the explicit neighbours. An utterance whose posterior stays between 0.3 and 0.7 is 'unknown'.
 */

export interface SpeakerCues {
  version: string;
  rep: { strong: string[]; weak: string[] };
  customer: { strong: string[]; weak: string[] };
  weights: { strong: number; weak: number };
  minMargin: number;
  labelPatterns: { rep: RegExp[]; customer: RegExp[] };
  labelPatternWeight: number;
  fillers: string[];
}

const CUES_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'lexicons', 'speaker-cues.json');
let cached: SpeakerCues | null = null;

/** Loads and validates lexicons/speaker-cues.json once; a broken file fails loudly rather than guessing. */
export function loadSpeakerCues(path = CUES_PATH): SpeakerCues {
  if (cached && path === CUES_PATH) return cached;
  const problems: string[] = [];
  if (!existsSync(path)) throw new ConfigurationError('lexicon_invalid', `缺少说话人线索文件 / missing ${path}`);
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigurationError('lexicon_invalid', `${path} 不是有效 JSON / invalid JSON: ${(err as Error).message}`);
  }
  const list = (v: unknown, where: string): string[] => {
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !x.trim())) {
      problems.push(`${where} must be a non-empty array of non-empty strings`);
      return [];
    }
    if (new Set(v).size !== v.length) problems.push(`${where} has duplicates`);
    return v as string[];
  };
  const regexes = (v: unknown, where: string): RegExp[] =>
    list(v, where).flatMap((s) => {
      try {
        return [new RegExp(s, 'u')];
      } catch {
        problems.push(`${where}: bad pattern ${s}`);
        return [];
      }
    });
  const cues: SpeakerCues = {
    version: typeof raw.version === 'string' && raw.version ? raw.version : (problems.push('version missing'), ''),
    rep: { strong: list(raw.rep?.strong, 'rep.strong'), weak: list(raw.rep?.weak, 'rep.weak') },
    customer: { strong: list(raw.customer?.strong, 'customer.strong'), weak: list(raw.customer?.weak, 'customer.weak') },
    weights: { strong: Number(raw.weights?.strong), weak: Number(raw.weights?.weak) },
    minMargin: Number(raw.minMargin),
    labelPatterns: {
      rep: regexes(raw.labelPatterns?.rep, 'labelPatterns.rep'),
      customer: regexes(raw.labelPatterns?.customer, 'labelPatterns.customer'),
    },
    labelPatternWeight: Number(raw.labelPatternWeight),
    fillers: list(raw.fillers, 'fillers'),
  };
  for (const [k, v] of Object.entries({ ...cues.weights, minMargin: cues.minMargin, labelPatternWeight: cues.labelPatternWeight })) {
    if (!(v > 0)) problems.push(`${k} must be a positive number`);
  }
  const both = cues.rep.strong.filter((c) => cues.customer.strong.includes(c));
  if (both.length) problems.push(`strong cues on both sides: ${both.join(', ')}`);
  if (problems.length) throw new ConfigurationError('lexicon_invalid', `说话人线索无效 / invalid ${path}:\n- ${problems.join('\n- ')}`);
  if (path === CUES_PATH) cached = cues;
  return cues;
}

/** > 0 sounds like the rep, < 0 like the customer; magnitude is the evidence. */
export function cueScore(text: string, cues: SpeakerCues = loadSpeakerCues()): number {
  let s = 0;
  for (const c of cues.rep.strong) if (text.includes(c)) s += cues.weights.strong;
  for (const c of cues.rep.weak) if (text.includes(c)) s += cues.weights.weak;
  for (const c of cues.customer.strong) if (text.includes(c)) s -= cues.weights.strong;
  for (const c of cues.customer.weak) if (text.includes(c)) s -= cues.weights.weak;
  return s;
}

/** Roles of speaker names not mapped by a header (王总：…, 小李：…): the name's title plus everything they said. */
export function inferLabelRoles(utterancesByLabel: Map<string, string[]>): Map<string, Speaker> {
  const cues = loadSpeakerCues();
  const out = new Map<string, Speaker>();
  for (const [label, texts] of utterancesByLabel) {
    let s = texts.reduce((acc, t) => acc + cueScore(t, cues), 0);
    if (cues.labelPatterns.rep.some((r) => r.test(label))) s += cues.labelPatternWeight;
    if (cues.labelPatterns.customer.some((r) => r.test(label))) s -= cues.labelPatternWeight;
    out.set(label, s >= cues.minMargin ? 'rep' : s <= -cues.minMargin ? 'customer' : 'unknown');
  }
  return out;
}

/**
 * Typed transcripts put one speaker turn per line, so the speaker changes at most lines: 0.75 (measured on the
 * fixtures with their labels stripped: 99% of inferred roles right, 46% of lines decided). Speech-to-text segments
 * split at pauses instead, so the audio path passes 0.5 (no alternation prior).
 */
export const DEFAULT_SWITCH_PROB = 0.75;
const DECIDE = 0.7;
const SURE = 0.999;

/**
 * Fills in 'unknown' speakers where the words and the neighbours make the role clear; returns new segments.
 * Explicit roles are never changed.
 */
export function assignSpeakers(segments: Segment[], opts: { switchProb?: number } = {}): Segment[] {
  const SWITCH = opts.switchProb ?? DEFAULT_SWITCH_PROB;
  if (!segments.some((s) => s.speaker === 'unknown')) return segments;
  const cues = loadSpeakerCues();
  // P(rep | this utterance alone); explicit roles are near-certain observations.
  const e = segments.map((s) => {
    if (s.speaker === 'rep') return SURE;
    if (s.speaker === 'customer') return 1 - SURE;
    return 1 / (1 + Math.exp(-cueScore(s.text, cues) / cues.minMargin));
  });
  const n = segments.length;
  const fwd: number[] = new Array(n);
  const bwd: number[] = new Array(n);
  // Forward: fwd[i] = P(rep at i | obs 0..i), normalized each step.
  for (let i = 0; i < n; i++) {
    const prior = i === 0 ? 0.5 : fwd[i - 1] * (1 - SWITCH) + (1 - fwd[i - 1]) * SWITCH;
    const r = prior * e[i];
    const c = (1 - prior) * (1 - e[i]);
    fwd[i] = r / (r + c);
  }
  // Backward: bwd[i] = P(obs i+1.. | rep at i) / (that + P(obs i+1.. | customer at i)).
  bwd[n - 1] = 0.5;
  for (let i = n - 2; i >= 0; i--) {
    const nextR = e[i + 1] * bwd[i + 1];
    const nextC = (1 - e[i + 1]) * (1 - bwd[i + 1]);
    const r = (1 - SWITCH) * nextR + SWITCH * nextC;
    const c = SWITCH * nextR + (1 - SWITCH) * nextC;
    bwd[i] = r / (r + c);
  }
  return segments.map((s, i) => {
    if (s.speaker !== 'unknown') return s;
    const r = fwd[i] * bwd[i];
    const post = r / (r + (1 - fwd[i]) * (1 - bwd[i]));
    const speaker: Speaker = post >= DECIDE ? 'rep' : post <= 1 - DECIDE ? 'customer' : 'unknown';
    return { ...s, speaker };
  });
}
