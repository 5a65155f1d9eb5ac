/**
 * The one job catalog: every queue's name and payload type. Payloads carry ids only; handlers reload current state
 * from the database, so a retried job never acts on a stale copy. Each name has exactly one handler in
 * workers/handlers.ts (checked at start-up) and one file in workers/jobs/.
 */
export interface JobPayloads {
  /** Sniff the upload; transcripts are parsed here, audio is normalized to 16 kHz mono WAV. */
  normalize: RecordingJob;
  transcribe: RecordingJob;
  analyze: RecordingJob;
  /** Records the stage signals the conversation showed; moves nothing by itself. */
  'lead-update': RecordingJob;
  'webhook-delivery': { deliveryId: string };
}

export interface RecordingJob {
  recordingId: string;
  /** The recording's reprocess generation: a job from an older generation is stale and does nothing. */
  generation: number;
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES = ['normalize', 'transcribe', 'analyze', 'lead-update', 'webhook-delivery'] as const satisfies readonly JobName[];

/** The recording pipeline in order; `--queues` on a worker picks a subset (e.g. transcription machines). */
export const PIPELINE: readonly JobName[] = ['normalize', 'transcribe', 'analyze', 'lead-update'];

export function isJobName(s: string): s is JobName {
  return (JOB_NAMES as readonly string[]).includes(s);
}
