import { isAppError } from '../core/errors.ts';
import type { RecordingRow } from '../db/repositories/recordings.repository.ts';
import type { JobDeps } from './deps.ts';
import { emitEvent, recordingEventIds } from './events.ts';

/**
 * Bad input (a 4xx AppError from a stage: empty file, not audio, unsupported codec, no model …) will fail the same
 * way on every retry, so it fails the recording at once. Anything else (Postgres/Redis gone, ffmpeg killed) is
 * treated as transient and retried with backoff.
 */
export function isPermanent(err: unknown): boolean {
  return isAppError(err) && (err.status < 500 || PERMANENT_CODES.has(err.code));
}

/** 5xx by HTTP meaning (the server lacks something) but retrying will not conjure it: fail and say what to do. */
const PERMANENT_CODES = new Set(['no_model', 'ffmpeg_not_found']);

export async function failRecording(deps: JobDeps, rec: RecordingRow, code: string, message: string): Promise<void> {
  await deps.repos.recordings.markFailed(rec.id, code, message);
  await emitEvent(deps, rec.tenantId, 'recording.failed', {
    ...(await recordingEventIds(deps, rec)),
    status: 'failed',
    error: { code, message },
  });
  deps.log.warn({ recordingId: rec.id, code }, `recording failed: ${message}`);
}
