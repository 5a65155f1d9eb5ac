import type { ErrorCode } from '../core/error-codes.ts';
import type { RecordingView } from '../db/repositories/recordings.repository.ts';
import type { JobDeps } from './deps.ts';
import { recordingEventIds } from './events.ts';

export async function failRecording(deps: JobDeps, rec: RecordingView, code: ErrorCode, message: string): Promise<void> {
  await deps.repos.recordings.markFailed(rec.id, code, message);
  await deps.events.publish(rec.tenantId, 'recording.failed', {
    ...recordingEventIds(rec),
    status: 'failed',
    error: { code, message },
  });
  deps.log.warn({ recordingId: rec.id, code }, `recording failed: ${message}`);
}
