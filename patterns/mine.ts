import { InvalidInputError } from '../core/errors.ts';
import { loadCoachingTemplates } from '../lexicons/coaching/load.ts';
import { beforeStage } from './before-stage.ts';
import { suggestCoaching } from './coaching.ts';
import { tableFromEvents, type EventTable } from './events.ts';
import { checkTopShare, splitGroups } from './groups.ts';
import { reportPatterns } from './report-patterns.ts';
import { minePatterns } from './sequences.ts';
import { buildTimelines } from './timeline.ts';
import type { MalformedLine, MiningOptions, MiningProgress, MiningResult } from './types.ts';

/** Below this many leads in either group, differences are reported but cannot be trusted; the result says so. */
export const MIN_GROUP_LEADS = 10;

export const MINING_DEFAULTS = {
  topShare: 0.1,
  minSupport: 0.05,
  maxSteps: 4,
  gapWindowsHours: [24, 72, null] as Array<number | null>,
  maxPatterns: 200_000,
  alpha: 0.05,
};

export interface ParsedEvents {
  table: EventTable;
  malformed: MalformedLine[];
}

/**
 * The mining stage: top-vs-rest split, beforeStage means with Mann–Whitney p-values, sequential patterns with
 * Fisher/BH, and coaching suggestions. Takes raw event objects (each validated; bad ones are reported as
 * `malformed` with their 1-based position) or an already parsed table. Pure and synchronous, so the CLI, a queued
 * job and the demo all call this same function.
 */
export function runMining(input: readonly unknown[] | ParsedEvents, opts: MiningOptions = {}): MiningResult {
  const o = { ...MINING_DEFAULTS, ...stripUndefined(opts) };
  checkOptions(o);
  const { table, malformed } = Array.isArray(input) ? tableFromEvents(input) : (input as ParsedEvents);
  const steps: MiningProgress['step'][] = ['timelines', 'groups', 'before_stage', 'patterns', 'coaching', 'done'];
  const progress = (step: MiningProgress['step']) => o.onProgress?.({ step, done: steps.indexOf(step), total: steps.length - 1 });
  progress('timelines');
  const tl = buildTimelines(table);
  progress('groups');
  const groups = splitGroups(table, tl.owner, o.topShare);
  const leadGroup = new Uint8Array(tl.leadCount);
  let nTop = 0;
  for (let l = 0; l < tl.leadCount; l++) {
    leadGroup[l] = groups.isTopRep[tl.owner[l]] ? 0 : 1;
    if (leadGroup[l] === 0) nTop++;
  }
  const nRest = tl.leadCount - nTop;
  progress('before_stage');
  const before = beforeStage(table, tl, leadGroup);
  progress('patterns');
  const gaps = [...o.gapWindowsHours].map((g) => (g === null ? Infinity : g)).sort((a, b) => a - b);
  const mined = minePatterns(tl, leadGroup, {
    maxSteps: o.maxSteps,
    gaps,
    // A group with no leads can never make a pattern frequent.
    minTop: nTop ? Math.max(1, Math.ceil(o.minSupport * nTop - 1e-9)) : Infinity,
    minRest: nRest ? Math.max(1, Math.ceil(o.minSupport * nRest - 1e-9)) : Infinity,
    maxPatterns: o.maxPatterns,
  });
  const reported = reportPatterns(mined, gaps, nTop, nRest, o.alpha);
  progress('coaching');
  const templates = o.templates ?? loadCoachingTemplates();
  const coaching = suggestCoaching({
    table,
    timelines: tl,
    before,
    beforeRows: before.rows,
    patterns: reported.rows,
    rest: groups.rest,
    evidence: o.evidence,
    templates,
    alpha: o.alpha,
  });
  progress('done');
  return {
    topShare: o.topShare,
    groups: { top: groups.top, rest: groups.rest },
    beforeStage: before.rows,
    patterns: reported.rows.map(({ codes: _c, gap: _g, ...row }) => row),
    coaching,
    performance: groups.performance,
    stats: {
      events: table.size,
      leads: tl.leadCount,
      leadsTop: nTop,
      leadsRest: nRest,
      patternsTested: reported.tested,
      patternCapReached: mined.capReached,
    },
    coachingTemplatesVersion: templates.version,
    groupsTooSmall: tooSmall(groups.top.length, groups.rest.length, nTop, nRest),
    malformed,
  };
}

function tooSmall(repsTop: number, repsRest: number, nTop: number, nRest: number): string | null {
  if (repsTop === 0 || repsRest === 0) {
    return `分组过小：优秀组 ${repsTop} 名销售、其余 ${repsRest} 名，至少各需 1 名，无法比较 / groups too small: need reps in both groups`;
  }
  if (nTop < MIN_GROUP_LEADS || nRest < MIN_GROUP_LEADS) {
    return `分组过小：优秀组 ${nTop} 个线索、其余 ${nRest} 个（每组至少 ${MIN_GROUP_LEADS} 个），结果不足以下结论 / groups too small to conclude anything`;
  }
  return null;
}

function checkOptions(o: typeof MINING_DEFAULTS & MiningOptions): void {
  checkTopShare(o.topShare);
  const bad = (name: string, why: string) => new InvalidInputError('invalid_mining_option', `${name} ${why} / invalid option ${name}`);
  if (!(o.minSupport > 0 && o.minSupport <= 1)) throw bad('minSupport', '必须在 (0, 1] 之间');
  if (!(Number.isInteger(o.maxSteps) && o.maxSteps >= 1 && o.maxSteps <= 4)) throw bad('maxSteps', '必须是 1–4 的整数');
  if (!(Number.isInteger(o.maxPatterns) && o.maxPatterns > 0)) throw bad('maxPatterns', '必须是正整数');
  if (!(o.alpha > 0 && o.alpha < 1)) throw bad('alpha', '必须在 (0, 1) 之间');
  if (o.gapWindowsHours.length === 0 || o.gapWindowsHours.some((g) => g !== null && !(g > 0))) {
    throw bad('gapWindowsHours', '必须是正数小时或 null（不限）');
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
