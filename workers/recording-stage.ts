import { UnrecoverableError } from 'bullmq';
import { isPermanent, errorInfo } from '../core/errors.ts';
import type { RecordingView } from '../db/repositories/recordings.repository.ts';
import type { JobName, JobPayloads, RecordingJob } from './catalog.ts';
import { defineJob, type JobDefinition, type JobDeps } from './deps.ts';
import { failRecording } from './recording-failure.ts';

type RecordingJobName = { [K in JobName]: JobPayloads[K] extends RecordingJob ? K : never }[JobName];

/**
 * Wraps a pipeline stage: reloads the recording (once: the stage gets the row with its CRM ids), skips stale jobs (deleted, failed or from an older generation),
 * turns bad input into a failed recording + UnrecoverableError, and lets transient errors throw for a retry.
 */
export function recordingStage<N extends RecordingJobName>(
  name: N,
  run: (rec: RecordingView, deps: JobDeps) => Promise<void>,
): JobDefinition<N> {
  return defineJob({
    name,
    handler: async (payload: RecordingJob, deps) => {
      const rec = await current(payload, deps);
      if (!rec) {
        deps.log.info({ job: name, ...payload }, 'stale job skipped');
        return;
      }
      try {
        await run(rec, deps);
      } catch (err) {
        if (!isPermanent(err)) throw err;
        const { code, message } = errorInfo(err);
        await failRecording(deps, rec, code, message);
        throw new UnrecoverableError(`${code}: ${message}`);
      }
    },
    onExhausted: async (payload: RecordingJob, err, deps) => {
      const rec = await current(payload, deps);
      if (!rec) return;
      const info = errorInfo(err);
      await failRecording(deps, rec, 'stage_failed', `${name} 阶段多次重试仍失败 / ${name} failed after retries: ${info.message}`);
    },
  }) as JobDefinition<N>;
}

/** The recording the job is for, or null when the job is stale (deleted, failed, or from an older generation). */
async function current(payload: RecordingJob, deps: JobDeps): Promise<RecordingView | null> {
  const rec = await deps.repos.recordings.getForJob(payload.recordingId);
  return rec && rec.generation === payload.generation && rec.status !== 'failed' ? rec : null;
}
