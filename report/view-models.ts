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
  generatedAt: string;
  /** Period the data covers, as YYYY-MM-DD dates (Asia/Shanghai). */
  period: { from: string; to: string };
  /** Plain-language notes the reader must see (e.g. that reference transcripts stood in for speech-to-text). */
  notes: string[];
  /** Link back to the team overview. */
  homeHref: string;
}

export interface PhiVM {
  /** 0–100. */
  score: number;
  level: PhiLevel;
  /** Each 0–1 (rates), or null when there was nothing to measure. */
  stageOnTime: number | null;
  collabOnTime: number | null;
  traceRate: number | null;
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
}

export interface PatternSummaryVM {
  sentence: string;
  topSupport: number;
  restSupport: number;
  qValue: number;
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
  patterns: PatternSummaryVM[];
  /** Why there is no comparison (no finished mining run yet, groups too small), or null. */
  miningNote: string | null;
  counts: { recordings: number; leads: number; customers: number; audioRecordings: number };
}

export interface ComparisonVM {
  behavior: BehaviorId | string;
  behaviorLabel: string;
  stage: string;
  stageLabel: string;
  customerType: string | null;
  rep: number | null;
  top: number;
  rest: number;
  pValue: number;
  /** The rep's leads that reached the stage (the denominator behind `rep`). */
  repLeads: number;
  /** True when the rep is below the top group by enough to coach. */
  short: boolean;
}

export interface RepPatternVM {
  sentence: string;
  topSupport: number;
  restSupport: number;
  qValue: number;
}

export interface EvidenceLinkVM {
  label: string;
  href: string;
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

export interface RepPageVM {
  meta: PageMeta;
  rep: RepRowVM & { supervisor: string | null };
  topGroup: string[];
  comparisons: ComparisonVM[];
  patterns: RepPatternVM[];
  suggestions: SuggestionVM[];
  /** Said plainly when mining found nothing usable, e.g. groups too small. */
  miningNote: string | null;
  followUps: FollowUpVM[];
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
  by: string | null;
  evidence: Array<{ kind: string; name: string }>;
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
