import type { Config } from '../core/config.ts';
import type { JobName, JobPayloads, RecordingJob } from './catalog.ts';

/** How one job is queued: the id that makes a repeated enqueue a no-op, when it may run, and its retries. */
export interface JobOptions {
  jobId: string;
  delayMs: number;
  attempts: number;
  backoffMs: number;
}

export type JobOptionsConfig = Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>;

type Ids = Pick<JobOptions, 'jobId' | 'delayMs'>;
type OptionsOf<N extends JobName> = (payload: JobPayloads[N], now: number) => Ids;

/** Recording stages are idempotent per recording, stage and reprocess generation. */
const perRecording =
  (name: JobName) =>
  (p: RecordingJob): Ids => ({ jobId: `${name}.${p.recordingId}.g${p.generation}`, delayMs: 0 });

/** Delayed to the payload's instant; the instant is in the id, so a rescheduled run is a new job. */
function delayed(jobId: string, at: number, now: number): Ids {
  return { jobId, delayMs: Math.max(0, at - now) };
}

/**
 * The one place each job's id and delay are decided (immich's getJobOptions), so no caller invents a job id and the
 * inline runner and BullMQ dedupe and delay alike.
 */
const OPTIONS: { [N in JobName]: OptionsOf<N> } = {
  normalize: perRecording('normalize'),
  transcribe: perRecording('transcribe'),
  // A re-analysis for a new lexicon is a new job: the first analyze job is kept as completed and would swallow it.
  analyze: (p) => ({ jobId: `analyze.${p.recordingId}.g${p.generation}${p.lexiconVersion ? `.lex${safe(p.lexiconVersion)}` : ''}`, delayMs: 0 }),
  'lead-update': perRecording('lead-update'),
  'recording-followups': perRecording('recording-followups'),
  'webhook-delivery': (p) => ({ jobId: `wh.${p.deliveryId}`, delayMs: 0 }),
  'followup-remind': (p, now) => delayed(`fu-remind.${p.taskId}.${p.at}`, p.at, now),
  'followup-escalate': (p, now) => delayed(`fu-escalate.${p.taskId}.${p.at}`, p.at, now),
  'lead-stage-overdue': (p, now) => delayed(`stage-overdue.${p.leadId}.${p.at}`, p.at, now),
  'robot-delivery': (p) => ({ jobId: `robot.${p.messageId}`, delayMs: 0 }),
  'mine-tenant': (p) => ({ jobId: `mine-tenant.${p.runId}`, delayMs: 0 }),
  'reanalyze-tenant': (p) => ({ jobId: `reanalyze-tenant.${p.tenantId}.${safe(p.lexiconVersion)}.${p.requestedAt}`, delayMs: 0 }),
  reconcile: (p) => ({ jobId: `reconcile.${p.requestedAt}`, delayMs: 0 }),
  'retention-sweep': (p) => ({ jobId: `retention-sweep.${p.requestedAt}`, delayMs: 0 }),
  'attitude-import': (p) => ({ jobId: `attitude-import.${p.importId}`, delayMs: 0 }),
};

export function jobOptions<N extends JobName>(name: N, payload: JobPayloads[N], config: JobOptionsConfig, now = Date.now()): JobOptions {
  const ids = OPTIONS[name](payload, now);
  return { ...ids, attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS };
}

/** BullMQ job ids may not contain ':'; lexicon versions are free text. */
function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
