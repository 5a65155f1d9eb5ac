import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../core/errors.ts';
import type { Speaker } from './types.ts';

/**
 * Speaker cues (lexicons/speaker-cues.json): the roles of speaker *names* a transcript uses without mapping them
 * (王总：…, 小李：…, from the title and everything that name said), and the filler words of the talk metrics. Roles
 * of unlabelled lines are inferred from the whole conversation by analyze/roles.ts.
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
