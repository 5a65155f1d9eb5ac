import type { BehaviorId } from '../core/behaviors.ts';
import type { StageId } from '../core/stages.ts';

/** A pattern step: a stage or a behaviour. */
export type StepId = StageId | BehaviorId;

/** One line of the mining input (`events.jsonl`). `amount` is required on `won` stage events. */
export interface MiningEvent {
  rep: string;
  lead: string;
  customerType?: string | null;
  /** Optional role of the customer contact (采购总监, 技术负责人 …); picks coaching templates. */
  customerRole?: string | null;
  /** ISO 8601 with offset, e.g. `2026-01-05T10:00:00+08:00`. */
  at: string;
  type: 'behavior' | 'stage';
  name: StepId;
  amount?: number;
}

export interface MalformedLine {
  /** 1-based line number in the input file. */
  line: number;
  code: string;
  message: string;
}

/**
 * Descriptive: beforeStage(B, S) per customer type. Group figures are means over the group's reps (each rep's own
 * mean over its leads that reached S); a rep counts when it has at least MIN_REP_LEADS such leads.
 */
export interface BeforeStageRow {
  behavior: BehaviorId;
  stage: StageId;
  customerType: string | null;
  /** Mean over reps of each rep's mean count of `behavior` at or before a lead's first `stage`; null without reps. */
  top: number | null;
  rest: number | null;
  /** Reps behind each figure, and their leads that reached the stage. */
  repsTop: number;
  repsRest: number;
  leadsTop: number;
  leadsRest: number;
  /** The finding this row is a variant of, when it was tested (stages a rep works towards only). */
  findingId: string | null;
}

/** Descriptive: one tested sequence variant. Shares are means over reps of each rep's share of its eligible leads. */
export interface PatternRow {
  steps: StepId[];
  /** Hours between consecutive steps; null for the unbounded window. */
  maxGapHours: number | null;
  /** Mean over reps of the share of the rep's leads (that reached the pattern's stage) showing the pattern. */
  topSupport: number | null;
  restSupport: number | null;
  repsTop: number;
  repsRest: number;
  /** Leads that reached the pattern's stage (all leads when it names none), of the reps counted. */
  leadsTop: number;
  leadsRest: number;
  /** Of those, leads that show the pattern. */
  supportingTop: number;
  supportingRest: number;
  findingId: string;
}

/** A rep-level test of one finding: the largest standardized statistic over its variants, against relabellings. */
export interface FindingTest {
  /** Largest |standardized statistic| over the finding's variants (observed, also when the test is not in the family). */
  statistic: number;
  /** null when this kind of test was not in the family (it could not reach significance for these group sizes). */
  pValue: number | null;
  /** Benjamini–Hochberg over the declared family; null when this kind of test was not in the family. */
  qValue: number | null;
}

/** One variant folded into a finding (another stage, window, leading stage or customer type). */
export interface FindingVariant {
  stage: StageId | null;
  steps: StepId[] | null;
  maxGapHours: number | null;
  customerType: string | null;
  top: number | null;
  rest: number | null;
  repsTop: number;
  repsRest: number;
}

/** The same figure in words, formatted once so every surface (CLI, API, report pages) shows the same text. */
export interface FindingText {
  /** e.g. 进入「价格谈判」之前，优秀组平均每条线索做 1.8 次「应用场景深挖」，其他销售 0.7 次（全部客户） */
  sentence: string;
  top: string;
  rest: string;
  /** 全部客户 or e.g. 主机厂客户 */
  scope: string;
  /** 优秀组 3 人（120 条线索）· 其他 27 人（1080 条线索） */
  basis: string;
  /** 已确认 / 显著，但尚不稳定 / 仅供参考，不具统计意义 */
  status: string;
  /** e.g. q = 0.0012（组间比较）; null when descriptive. */
  test: string | null;
}

/**
 * One finding: a behaviour (or behaviour sequence) where the top group differs from the rest, tested with reps as
 * the unit. Its figure is the variant that separates the groups most; the other variants are folded in.
 */
export interface Finding {
  /** `before_stage:<behaviour>` or `sequence:<behaviour>[><behaviour>]`. */
  id: string;
  kind: 'before_stage' | 'sequence';
  behaviors: BehaviorId[];
  /** The figure. before_stage: the stage; sequence: its leading stage, or null. */
  stage: StageId | null;
  steps: StepId[] | null;
  maxGapHours: number | null;
  customerType: string | null;
  /** `count`: mean count per lead; `share`: share of leads. */
  unit: 'count' | 'share';
  top: number | null;
  rest: number | null;
  repsTop: number;
  repsRest: number;
  leadsTop: number;
  leadsRest: number;
  /** Spearman correlation between the reps' tested figures and their performance (all reps with a figure). */
  rho: number | null;
  tests: { group: FindingTest; rank: FindingTest };
  /** The smaller q of the tests in the family (1 when none was). */
  qValue: number;
  decidedBy: 'group' | 'rank' | null;
  /** established: significant and stable; significant: q < alpha only; descriptive: neither. */
  status: 'established' | 'significant' | 'descriptive';
  /** Checked for significant findings: the same direction, at least half as large, in each half of the period and without any one rep. */
  stability: FindingStability | null;
  /** Established, top group ahead: the only findings coaching may use. */
  coachable: boolean;
  /** Each rep's own figure (reps with enough leads), best rep first. */
  perRep: Array<{ rep: string; value: number; leads: number }>;
  variants: FindingVariant[];
  text: FindingText;
}

export interface FindingStability {
  /** The deciding statistic (group difference or rank correlation) on the whole period, and on each half. */
  whole: number | null;
  halves: [number | null, number | null];
  halvesHold: boolean;
  /** The weakest value when one rep is left out, and whose. */
  leaveOneOut: { rep: string; value: number | null } | null;
  leaveOneOutHolds: boolean;
}

/** How the findings were tested and how far the data can go: group sizes, relabellings, the smallest reachable p. */
export interface MiningInference {
  /** Reps are the unit: per-rep figures, relabelled between reps. */
  unit: 'rep';
  alpha: number;
  reps: { top: number; rest: number };
  leads: { top: number; rest: number };
  /** A rep's figure needs at least this many of its leads. */
  minRepLeads: number;
  family: { findings: number; hypotheses: number };
  group: { relabellings: number; exhaustive: boolean; minPValue: number; inFamily: boolean };
  rank: { permutations: number; minPValue: number; inFamily: boolean };
  seed: number;
  /** Chinese, when the data cannot support significant findings (or only through the rank correlation). */
  note: string | null;
}

/** Evidence a caller (demo, DB layer) can pass in: the reps' analysed recordings and what each showed. */
export interface CoachingEvidence {
  recordings: RecordingEvidence[];
}

export interface RecordingEvidence {
  recordingId: string;
  rep: string;
  lead: string;
  /** ISO 8601 time of the call or visit. */
  at: string;
  customerType?: string | null;
  customerRole?: string | null;
  /** The recording has audio to play: coaching prefers it as evidence, so a trainer hears the moment. */
  audio?: boolean;
  moments: BehaviorMoment[];
}

/** A point in a recording where a behaviour was missing (expected but not done) or present. */
export interface BehaviorMoment {
  behavior: BehaviorId;
  status: 'missing' | 'present';
  /** 0-based index into the recording's analysed segments. */
  segment?: number | null;
  startSec?: number | null;
  endSec?: number | null;
  /** The transcript text around the moment, shown to the trainer. */
  text?: string;
}

export interface SuggestionEvidence {
  recordings: Array<{
    recordingId: string;
    lead: string;
    at: string;
    customerRole: string | null;
    /** The moments can be heard (RecordingEvidence.audio). */
    audio: boolean;
    moments: BehaviorMoment[];
  }>;
  /** The rep's own leads from the event data that fell short (lead id, when it reached the stage, what they did). */
  leads: Array<{ lead: string; at: string; value: number }>;
}

export interface CoachingSuggestion {
  /** The (established) finding the advice comes from; its figure is `top`. */
  findingId: string;
  behavior: BehaviorId;
  kind: 'before_stage' | 'sequence';
  /** Set for `before_stage` suggestions. */
  stage: StageId | null;
  /** Set for `sequence` suggestions. */
  steps: StepId[] | null;
  maxGapHours: number | null;
  customerType: string | null;
  customerRole: string | null;
  /** The rep's own figure and the top group's: mean count per lead (`before_stage`) or share of leads (`sequence`). */
  yours: number;
  /** The rep's leads behind `yours`. */
  yourLeads: number;
  top: number;
  qValue: number;
  /** Chinese, for the rep and the trainer. */
  message: string;
  tips: string[];
  templateId: string;
  evidence: SuggestionEvidence;
}

export interface RepCoaching {
  rep: string;
  suggestions: CoachingSuggestion[];
}

export interface RepPerformance {
  rep: string;
  wonAmount: number;
  wonLeads: number;
  leads: number;
}

/** 2: rep-level inference with findings (issue 10). 3: the top group needs a won deal; evidence says which recordings have audio. */
export const MINING_RESULT_VERSION = 3;

export interface MiningOptions {
  /** Share of reps in the top group, (0, 1]; default 0.1. */
  topShare?: number;
  /** Minimum pattern support (share of all leads) before a pattern is tested or extended; default 0.05. */
  minSupport?: number;
  /**
   * Longest sequence: 2 = a stage and one behaviour after it (default); 3 adds a second behaviour. A two-behaviour
   * chain mostly inherits the difference of its last behaviour and multiplies the family (less power), so it is opt-in.
   */
  maxSteps?: number;
  /**
   * Windows in hours between consecutive steps of a sequence; default [24, 72]. Bounded only: "any time after the
   * stage" would measure how long a lead lived after it, which is how far it got, not what the rep did.
   */
  gapWindowsHours?: number[];
  /** Stop extending after this many frequent patterns (the candidate cap); default 200 000. */
  maxPatterns?: number;
  /** Significance threshold on q-values; default 0.05. */
  alpha?: number;
  /** Relabellings to sample when there are too many to enumerate; default 10 000. */
  permutations?: number;
  /** Seed of the sampled relabellings (results are reproducible); default 1. */
  seed?: number;
  evidence?: CoachingEvidence;
  /** Called between stages of the run (a queued job can forward it as job progress). */
  onProgress?: (p: MiningProgress) => void;
  templates?: import('../lexicons/coaching/load.ts').CoachingTemplates;
}

export interface MiningProgress {
  step: 'timelines' | 'groups' | 'before_stage' | 'patterns' | 'inference' | 'coaching' | 'done';
  /** Steps finished so far, of `total`. */
  done: number;
  total: number;
}

export interface MiningResult {
  /** Bumped when the method changes; a stored result of another version is not shown as if it were current. */
  resultVersion: typeof MINING_RESULT_VERSION;
  topShare: number;
  groups: { top: string[]; rest: string[] };
  /** Tested findings, established first; every surface shows these figures. */
  findings: Finding[];
  inference: MiningInference;
  beforeStage: BeforeStageRow[];
  patterns: PatternRow[];
  coaching: RepCoaching[];
  /** Reps by performance, best first. */
  performance: RepPerformance[];
  stats: {
    events: number;
    leads: number;
    leadsTop: number;
    leadsRest: number;
    /** Sequence patterns mined (before the label-free admission rules). */
    patternsMined: number;
    /** True when the candidate cap stopped the search early. */
    patternCapReached: boolean;
  };
  /** Version of the coaching templates the messages came from (lexicons/coaching). */
  coachingTemplatesVersion: string;
  /** Set when the groups are too small to conclude anything (Chinese + English). */
  groupsTooSmall: string | null;
  malformed: MalformedLine[];
}
