import { InvalidInputError } from '../core/errors.ts';
import { loadCoachingTemplates } from '../lexicons/coaching/load.ts';
import { beforeStage } from './before-stage.ts';
import { suggestCoaching } from './coaching.ts';
import { tableFromEvents, type EventTable } from './events.ts';
import { inferFindings } from './findings.ts';
import { checkTopShare, splitGroups } from './groups.ts';
import { buildRepLayout } from './rep-layout.ts';
import { sequenceColumns } from './sequence-columns.ts';
import { buildTimelines } from './timeline.ts';
import { MINING_RESULT_VERSION, type MalformedLine, type MiningOptions, type MiningProgress, type MiningResult } from './types.ts';

/** Below this many leads in either group, differences are reported but cannot be trusted; the result says so. */
export const MIN_GROUP_LEADS = 10;

export const MINING_DEFAULTS = {
  topShare: 0.1,
  minSupport: 0.05,
  maxSteps: 2,
  gapWindowsHours: [24, 72] as number[],
  maxPatterns: 200_000,
  alpha: 0.05,
  permutations: 10_000,
  seed: 1,
};

/** Relabellings are enumerated up to this many (C(30, 3) = 4 060; C(40, 4) = 91 390). */
const ENUMERATE_LIMIT = 100_000;
/** Besag–Clifford: a finding stops after this many relabellings as extreme as the observed one. */
const STOP_AFTER = 10;

export interface ParsedEvents {
  table: EventTable;
  malformed: MalformedLine[];
}

/**
 * The mining stage: top-vs-rest split, per-rep figures (behaviour before a stage, sequence shares), rep-level
 * permutation tests with Benjamini–Hochberg over the declared family, stability checks, findings, and coaching from
 * established findings only. Takes raw event objects (each validated; bad ones are reported as `malformed` with
 * their 1-based position) or an already parsed table. Pure and synchronous, so the CLI, a queued job and the demo
 * all call this same function.
 */
export function runMining(input: readonly unknown[] | ParsedEvents, opts: MiningOptions = {}): MiningResult {
  const o = { ...MINING_DEFAULTS, ...stripUndefined(opts) };
  checkOptions(o);
  const { table, malformed } = Array.isArray(input) ? tableFromEvents(input) : (input as ParsedEvents);
  const steps: MiningProgress['step'][] = ['timelines', 'groups', 'before_stage', 'patterns', 'inference', 'coaching', 'done'];
  const progress = (step: MiningProgress['step']) => o.onProgress?.({ step, done: steps.indexOf(step), total: steps.length - 1 });
  progress('timelines');
  const tl = buildTimelines(table);
  progress('groups');
  const groups = splitGroups(table, tl.owner, o.topShare);
  const layout = buildRepLayout(table, tl, groups);
  progress('before_stage');
  const before = beforeStage(table, tl, layout);
  progress('patterns');
  const gaps = [...o.gapWindowsHours].sort((a, b) => a - b);
  const seq = sequenceColumns(tl, layout, before.firstStagePos, {
    maxSteps: o.maxSteps,
    gaps,
    minSupport: o.minSupport,
    maxPatterns: o.maxPatterns,
  });
  progress('inference');
  const templates = o.templates ?? loadCoachingTemplates();
  const inferred = inferFindings(layout, [...before.columns, ...seq.columns], {
    alpha: o.alpha,
    labels: templates.labels,
    permutations: { enumerateLimit: ENUMERATE_LIMIT, samples: o.permutations, seed: o.seed, stopAfter: STOP_AFTER },
  });
  progress('coaching');
  const coaching = suggestCoaching({
    table,
    timelines: tl,
    layout,
    findings: inferred.findings,
    figures: inferred.figures,
    firstStagePos: before.firstStagePos,
    evidence: o.evidence,
    templates,
  });
  progress('done');
  return {
    resultVersion: MINING_RESULT_VERSION,
    topShare: o.topShare,
    groups: { top: groups.top, rest: groups.rest },
    findings: inferred.findings,
    inference: inferred.inference,
    beforeStage: before.rows,
    patterns: seq.rows,
    coaching,
    performance: groups.performance,
    stats: {
      events: table.size,
      leads: tl.leadCount,
      leadsTop: inferred.inference.leads.top,
      leadsRest: inferred.inference.leads.rest,
      patternsMined: seq.mined,
      patternCapReached: seq.capReached,
    },
    coachingTemplatesVersion: templates.version,
    groupsTooSmall: tooSmall(groups.top.length, groups.rest.length, inferred.inference.leads.top, inferred.inference.leads.rest),
    malformed,
  };
}

function tooSmall(repsTop: number, repsRest: number, nTop: number, nRest: number): string | null {
  if (repsTop === 0 && repsRest > 0) {
    return `分组过小：优秀组 0 名销售——本期没有销售签约，优秀组至少需要一单签约，无法比较 / groups too small: no rep won a deal, so there is no top group`;
  }
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
  if (!(Number.isInteger(o.maxSteps) && o.maxSteps >= 2 && o.maxSteps <= 3)) throw bad('maxSteps', '必须是 2 或 3');
  if (!(Number.isInteger(o.maxPatterns) && o.maxPatterns > 0)) throw bad('maxPatterns', '必须是正整数');
  if (!(o.alpha > 0 && o.alpha < 1)) throw bad('alpha', '必须在 (0, 1) 之间');
  if (!(Number.isInteger(o.permutations) && o.permutations >= 100 && o.permutations <= 1_000_000)) throw bad('permutations', '必须是 100–1 000 000 的整数');
  if (!Number.isInteger(o.seed)) throw bad('seed', '必须是整数');
  if (o.gapWindowsHours.length === 0 || o.gapWindowsHours.some((g) => !(typeof g === 'number' && g > 0 && Number.isFinite(g)))) {
    throw bad('gapWindowsHours', '必须是正数小时（不支持不限间隔）');
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
