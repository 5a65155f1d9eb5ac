/**
 * The one job catalog: every queue's name and payload type. Payloads carry ids only; handlers reload current state
 * from the database, so a retried job never acts on a stale copy. Each name has exactly one handler in
 * workers/handlers.ts, one file in workers/jobs/ and one options function in workers/job-options.ts.
 */
export interface JobPayloads {
  /** Sniff the upload; transcripts are parsed here, audio is normalized to 16 kHz mono WAV. */
  normalize: RecordingJob;
  transcribe: RecordingJob;
  /** `lexiconVersion` when a new lexicon re-analyzes an analyzed recording (reanalyze-tenant). */
  analyze: RecordingJob & { lexiconVersion?: string };
  /** Records the stage signals the conversation showed; moves nothing by itself. */
  'lead-update': RecordingJob;
  'webhook-delivery': { deliveryId: string };
  /** Leads module: follow-up tasks from a recording's commitments + the conversation's attitude estimate. */
  'recording-followups': RecordingJob;
  /** Delayed to the task's remind/escalate time; `at` is that time, so a rescheduled task's old job is stale. */
  'followup-remind': FollowUpJob;
  'followup-escalate': FollowUpJob;
  /** Delayed to when the lead's current stage passes its standard dwell; `at` = that time (stale if it moved). */
  'lead-stage-overdue': { leadId: string; at: number };
  /** One stored 企业微信/钉钉 robot message to POST. */
  'robot-delivery': { messageId: string };
  /** Top-vs-rest mining over the tenant's stored events; the result goes to the mining_runs row `runId`. */
  'mine-tenant': { tenantId: string; runId: string };
  /** Re-analyzes the tenant's recordings analyzed with another lexicon (or all), enqueueing analyze jobs in batches. */
  'reanalyze-tenant': { tenantId: string; lexiconVersion: string; all: boolean; requestedAt: number };
  /** Re-queues work Redis lost (a restart without its data): repeatable, and run at every worker start. */
  reconcile: ScheduledJob;
  /** Daily: enforces every tenant's retention setting. */
  'retention-sweep': ScheduledJob;
  /** Reads one uploaded 销售日报 workbook (attitude_imports row `importId`) with progress, then deletes the file. */
  'attitude-import': { importId: string };
}

/** A job run on a schedule (BullMQ job schedulers) or on demand; `requestedAt` makes an on-demand run its own job. */
export interface ScheduledJob {
  requestedAt: number;
}

export interface FollowUpJob {
  taskId: string;
  at: number;
}

export interface RecordingJob {
  recordingId: string;
  /** The recording's reprocess generation: a job from an older generation is stale and does nothing. */
  generation: number;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES = [
  'normalize',
  'transcribe',
  'analyze',
  'lead-update',
  'webhook-delivery',
  'recording-followups',
  'followup-remind',
  'followup-escalate',
  'robot-delivery',
  'lead-stage-overdue',
  'mine-tenant',
  'reanalyze-tenant',
  'reconcile',
  'retention-sweep',
  'attitude-import',
] as const satisfies readonly JobName[];

export function isJobName(s: string): s is JobName {
  return (JOB_NAMES as readonly string[]).includes(s);
}
