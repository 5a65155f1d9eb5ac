import type { CallMetrics, Speaker, TagHit } from '../analyze/types.ts';
import type { BehaviorId } from '../core/behaviors.ts';
import type { CategoryId } from '../core/categories.ts';
import type { PhiLevel } from '../leads/phi.ts';

/**
 * What each report page shows, already computed. The renderers are pure functions of these shapes, so the static
 * report (`tingjian report`, `tingjian demo`) and the API's `/reports/…` routes render the same pages; only the
 * `href` values differ between the two.
 */

export interface PageMeta {
  /** The company or tenant the report is for. */
  tenantName: string;
  /** The moment the report describes, formatted: every overdue and dwell figure on the page is measured to it. */
  asOf: string;
  /** Period the data covers, as YYYY-MM-DD dates (Asia/Shanghai). */
  period: { from: string; to: string };
  /** Plain-language notes the reader must see (e.g. that reference transcripts stood in for speech-to-text). */
  notes: string[];
  /** Link back to the team overview. */
  homeHref: string;
}

export interface PhiVM {
  /** 0–100, or null when withheld (fewer than two components had data). */
  score: number | null;
  level: PhiLevel | null;
  /** 数据不足 / 无数据 when the score is withheld. */
  withheld: string | null;
  /** Each 0–1 (rates), or null when there was nothing to measure. */
  stageOnTime: number | null;
  collabOnTime: number | null;
  traceRate: number | null;
  /** What each rate counts ("6/7 条线索"), null without data. */
  counts: { stageOnTime: string | null; collabOnTime: string | null; traceRate: string | null };
  /** What the score is based on, in the words of leads/phi.ts (pooled counts for a team, missing components). */
  basis: string;
  /** Scored from two of the three components. */
  partial: boolean;
}

export interface RepRowVM {
  id: string;
  name: string;
  team: string;
  phi: PhiVM | null;
  isTop: boolean;
  /** Won amount over the period (yuan) and won leads, the performance measure behind the top group. */
  wonAmount: number;
  wonLeads: number;
  /** Open follow-ups past due (not part of PHI, shown beside it). */
  overdueFollowUps: number;
  href: string;
}

export interface TeamPhiVM {
  team: string;
  phi: PhiVM | null;
  reps: number;
}

export interface FunnelStageVM {
  stage: string;
  label: string;
  /** Leads that ever reached the stage. */
  leads: number;
  /** Leads currently sitting in it. */
  current: number;
  /** Median hours leads stayed in the stage before moving on (null when none moved on yet). */
  medianDwellHours: number | null;
  standardHours: number | null;
  /** Stage visits (finished or ongoing) that went past the standard. */
  overdue: number;
}

export interface AttitudeRowVM {
  customerId: string;
  customerName: string;
  customerType: string;
  repName: string;
  /** One entry per day in `AttitudeVM.days`, 1–5 or null for no report. */
  scores: Array<number | null>;
  /** Inclusive index ranges of runs of ≥ 3 consecutive days scored ≤ 2. */
  redRuns: Array<{ from: number; to: number }>;
  leadHref: string | null;
}

export interface AttitudeVM {
  days: string[];
  rows: AttitudeRowVM[];
  /** Customers with reports that are not shown because the chart keeps to the most relevant rows. */
  hiddenRows: number;
}

export type FollowUpStatus = 'open' | 'overdue' | 'done' | 'done_late';

export interface FollowUpVM {
  id: string;
  repId: string | null;
  repName: string;
  customerName: string;
  kind: string;
  text: string;
  dueAt: string | null;
  status: FollowUpStatus;
  /** Hours past due (overdue) or late (done_late). */
  hoursLate: number | null;
  escalated: boolean;
  /** Evidence: the recording moment the promise was made, when there is one. */
  evidenceHref: string | null;
  /** That moment can be heard: the recording has audio. */
  evidenceAudio: boolean;
}

/** One mining finding as every page shows it: the miner's own sentence and figures (patterns/finding-text.ts). */
export interface FindingVM {
  id: string;
  status: 'established' | 'significant' | 'descriptive';
  statusLabel: string;
  sentence: string;
  /** 优秀组 3 人（120 条线索）· 其他 27 人（1080 条线索） */
  basis: string;
  /** e.g. "q = 0.0012（组间比较）"; null for descriptive findings. */
  test: string | null;
  /** Near-duplicate variants folded into this finding. */
  folded: number;
}

export interface MiningVM {
  /** How the comparison works, in one line. */
  method: string;
  /** Said plainly when the data cannot support significant findings (small team, too few leads). */
  note: string | null;
  /** True when the list is descriptive only: nothing significant and the team too small for significance. */
  descriptiveOnly: boolean;
  findings: FindingVM[];
}

export interface TeamOverviewVM {
  meta: PageMeta;
  tenantPhi: PhiVM | null;
  teams: TeamPhiVM[];
  reps: RepRowVM[];
  topGroup: string[];
  funnel: FunnelStageVM[];
  lostLeads: number;
  attitude: AttitudeVM;
  followUps: { open: number; overdue: number; items: FollowUpVM[] };
  mining: MiningVM;
  counts: { recordings: number; leads: number; customers: number; audioRecordings: number };
}

/** A before-stage finding on the rep page: the team's figures exactly as the team page shows them, and the rep's own. */
export interface ComparisonVM {
  findingId: string;
  behavior: BehaviorId | string;
  behaviorLabel: string;
  stage: string;
  stageLabel: string;
  customerType: string | null;
  status: FindingVM['status'];
  statusLabel: string;
  /** Bar lengths. */
  rep: number | null;
  top: number;
  rest: number;
  /** The same figures as text, formatted by the miner. */
  repText: string;
  topText: string;
  restText: string;
  /** The rep's leads behind `rep`. */
  repLeads: number;
  /** Below the top group on an established finding (what coaching speaks about). */
  short: boolean;
}

/** A finding on the rep page, with the rep's own figure on it. */
export interface RepFindingVM extends FindingVM {
  yours: string | null;
  yourLeads: number;
}

export interface EvidenceLinkVM {
  label: string;
  href: string;
  /** "01:23" when the moment is in a recording with audio (the link plays from there), else null. */
  listenAt: string | null;
}

export interface SuggestionVM {
  behavior: string;
  behaviorLabel: string;
  customerType: string | null;
  message: string;
  templates: string[];
  evidence: EvidenceLinkVM[];
}

export interface RecordingLinkVM {
  id: string;
  title: string;
  recordedAt: string;
  customerName: string;
  kind: 'transcript' | 'audio';
  status: string;
  tagCount: number;
  href: string;
}

/** A lead on its owner's page. */
export interface LeadLinkVM {
  id: string;
  title: string;
  href: string;
  customerName: string;
  stageLabel: string;
  amount: number | null;
  /** When the lead entered its current stage, and how long it has been there against the standard. */
  enteredAt: string | null;
  dwellHours: number | null;
  standardHours: number | null;
  closed: boolean;
}

export interface RepPageVM {
  meta: PageMeta;
  rep: RepRowVM & { supervisor: string | null };
  topGroup: string[];
  comparisons: ComparisonVM[];
  mining: MiningVM;
  findings: RepFindingVM[];
  suggestions: SuggestionVM[];
  followUps: FollowUpVM[];
  leads: LeadLinkVM[];
  recordings: RecordingLinkVM[];
}

export interface SegmentVM {
  index: number;
  start: number | null;
  end: number | null;
  speaker: Speaker;
  text: string;
  tags: TagHit[];
  behaviors: BehaviorId[];
  commitment: { dueAt: string | null; status: FollowUpStatus | null } | null;
}

export interface RecordingPageVM {
  meta: PageMeta;
  id: string;
  title: string;
  repName: string;
  repHref: string | null;
  customerName: string;
  customerType: string | null;
  leadHref: string | null;
  recordedAt: string;
  kind: 'transcript' | 'audio';
  /** Where the text came from, said on the page: typed transcript, speech-to-text, or a reference transcript. */
  transcriptSource: 'typed' | 'engine' | 'reference';
  audioSrc: string | null;
  durationSec: number | null;
  lexiconVersion: string;
  metrics: CallMetrics;
  tagCounts: Partial<Record<CategoryId, number>>;
  segments: SegmentVM[];
}

export interface StageHistoryVM {
  stage: string;
  label: string;
  at: string;
  dwellHours: number | null;
  standardHours: number | null;
  /** Who moved it, in words (系统, a rep's name, an API key's role). */
  by: string | null;
  /** Files uploaded as the stage's evidence, each opening the stored file. */
  evidence: Array<{ kind: string; name: string; href: string }>;
}

export interface CheckpointVM {
  stage: string;
  label: string;
  required: string[];
  provided: string[];
  missing: string[];
}

export interface ProposalVM {
  stage: string;
  label: string;
  at: string;
  quote: string;
  status: 'pending' | 'confirmed' | 'rejected';
  evidenceHref: string | null;
}

export interface LeadPageVM {
  meta: PageMeta;
  id: string;
  title: string;
  customerName: string;
  customerType: string | null;
  ownerName: string;
  ownerHref: string | null;
  stage: string;
  stageLabel: string;
  amount: number | null;
  history: StageHistoryVM[];
  checkpoints: CheckpointVM[];
  proposals: ProposalVM[];
  followUps: FollowUpVM[];
  recordings: RecordingLinkVM[];
}
