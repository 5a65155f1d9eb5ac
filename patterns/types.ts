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

export interface BeforeStageRow {
  behavior: BehaviorId;
  stage: StageId;
  customerType: string | null;
  /** Mean count of `behavior` events at or before the lead's first `stage` event; null when the group has no such lead. */
  top: number | null;
  rest: number | null;
  leadsTop: number;
  leadsRest: number;
  /** Two-sided Mann–Whitney U, normal approximation with tie and continuity correction; null if a group is empty. */
  pValue: number | null;
  /** Benjamini–Hochberg over all beforeStage rows with a p-value. */
  qValue: number | null;
}

export interface PatternRow {
  steps: StepId[];
  /** null for one-step patterns, where no gap applies, and for the unbounded window. */
  maxGapHours: number | null;
  topSupport: number;
  restSupport: number;
  /** How many of the group's leads support the pattern (group sizes are in `stats`). */
  supportingTop: number;
  supportingRest: number;
  /** Two-sided Fisher's exact test on supporting / non-supporting leads × top / rest. */
  pValue: number;
  /** Benjamini–Hochberg over every pattern that was tested. */
  qValue: number;
  /** topSupport − restSupport (risk difference); patterns are ordered by its absolute value. */
  effectSize: number;
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
    moments: BehaviorMoment[];
  }>;
  /** The rep's own leads from the event data that fell short (lead id, when it reached the stage, what they did). */
  leads: Array<{ lead: string; at: string; value: number }>;
}

export interface CoachingSuggestion {
  behavior: BehaviorId;
  kind: 'before_stage' | 'pattern';
  /** Set for `before_stage` suggestions. */
  stage: StageId | null;
  /** Set for `pattern` suggestions. */
  steps: StepId[] | null;
  maxGapHours: number | null;
  customerType: string | null;
  customerRole: string | null;
  /** The rep's own figure and the top group's: mean count per lead (`before_stage`) or share of leads (`pattern`). */
  yours: number;
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

export interface MiningOptions {
  /** Share of reps in the top group, (0, 1]; default 0.1. */
  topShare?: number;
  /** Minimum pattern support (share of a group's leads) in at least one group before a pattern is extended; default 0.05. */
  minSupport?: number;
  /** Longest pattern, 1..4; default 4. */
  maxSteps?: number;
  /** Gap windows in hours; null = unbounded. Default [24, 72, null]. */
  gapWindowsHours?: Array<number | null>;
  /** Stop extending after this many frequent patterns (the candidate cap); default 200 000. */
  maxPatterns?: number;
  /** Significance threshold on q-values; default 0.05. */
  alpha?: number;
  evidence?: CoachingEvidence;
  /** Called between stages of the run (a queued job can forward it as job progress). */
  onProgress?: (p: MiningProgress) => void;
  templates?: import('../lexicons/coaching/load.ts').CoachingTemplates;
}

export interface MiningProgress {
  step: 'timelines' | 'groups' | 'before_stage' | 'patterns' | 'coaching' | 'done';
  /** Steps finished so far, of `total`. */
  done: number;
  total: number;
}

export interface MiningResult {
  topShare: number;
  groups: { top: string[]; rest: string[] };
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
    patternsTested: number;
    /** True when the candidate cap stopped the search early. */
    patternCapReached: boolean;
  };
  /** Version of the coaching templates the messages came from (lexicons/coaching). */
  coachingTemplatesVersion: string;
  /** Set when the groups are too small to conclude anything (Chinese + English). */
  groupsTooSmall: string | null;
  malformed: MalformedLine[];
}
