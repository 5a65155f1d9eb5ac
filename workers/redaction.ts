import { redactSegments } from '../analyze/redact.ts';
import type { Segment } from '../analyze/types.ts';
import type { RecordingView } from '../db/repositories/recordings.repository.ts';
import type { JobDeps } from './deps.ts';

/**
 * Stores a transcript the way every stage must: redacted for all readers, the original sealed beside it. Returns
 * the redacted segments, which are all the later stages (analysis, follow-ups, webhooks, reports) ever see.
 */
export async function saveRedactedTranscript(deps: JobDeps, rec: RecordingView, source: string, segments: Segment[]): Promise<Segment[]> {
  const r = redactSegments(segments);
  await deps.repos.results.saveTranscript(rec, source, r.segments, { original: segments, counts: r.counts });
  return r.segments;
}
