import type { RecordingView } from '../db/repositories/recordings.repository.ts';
import type { JobState } from './deps.ts';

export type PipelineStage = 'normalize' | 'transcribe' | 'analyze';

/** The stage job a recording in a working state is waiting on (each stage sets its status when it starts). */
export function stageFor(rec: Pick<RecordingView, 'status'>): PipelineStage | null {
  switch (rec.status) {
    case 'queued':
    case 'normalizing':
      return 'normalize';
    case 'transcribing':
      return 'transcribe';
    case 'analyzing':
      return 'analyze';
    default:
      return null;
  }
}

/** The stage a finished job hands on to (its follow-on job is what went missing). */
export function nextStage(stage: PipelineStage, rec: Pick<RecordingView, 'kind' | 'normalizedKey'>): PipelineStage | null {
  if (stage === 'normalize') return rec.kind === 'transcript' ? 'analyze' : rec.normalizedKey ? 'transcribe' : null;
  if (stage === 'transcribe') return 'analyze';
  return null;
}

export type ReconcileAction = { enqueue: PipelineStage } | { fail: PipelineStage } | null;

/**
 * What to do for one recording, given the state of its current stage's job and (when that one finished) of the
 * next stage's: nothing while a job is alive; re-queue a lost job; re-queue the follow-on of a job that finished
 * but whose successor was lost; give up on a stage whose job failed for good without marking the recording.
 */
export function reconcileAction(
  rec: Pick<RecordingView, 'status' | 'kind' | 'normalizedKey'>,
  current: JobState,
  next: JobState | null,
): ReconcileAction {
  const stage = stageFor(rec);
  if (!stage) return null;
  if (current === 'alive') return null;
  if (current === 'missing') return { enqueue: stage };
  if (current === 'failed') return { fail: stage };
  const following = nextStage(stage, rec);
  if (!following) return { enqueue: stage };
  return next === 'missing' ? { enqueue: following } : null;
}

