import { fileResult } from '../../analyze/file-result.ts';
import { ConflictError } from '../../core/errors.ts';
import { recordingEventIds } from '../events.ts';
import { redactSegments } from '../../analyze/redact.ts';
import { recordingStage } from '../recording-stage.ts';
import { saveRedactedTranscript } from '../redaction.ts';

/**
 * Runs the same analyzeCall the CLI runs and stores the `analyze --json` FileResult, with behaviour events and
 * commitments, in one transaction keyed by recording: exactly one analysis row however often this runs.
 */
export const analyzeJob = recordingStage('analyze', async (rec, deps) => {
  await deps.repos.recordings.setStatus(rec.id, 'analyzing');
  const transcript = await deps.repos.results.getTranscript(rec.tenantId, rec.id);
  if (!transcript) {
    throw new ConflictError('no_transcript', '没有可分析的文字稿，请重新处理 / no transcript to analyze: reprocess it');
  }
  // Due times like 明天上午 are relative to when the conversation happened, not to when we analyze it.
  const now = rec.recordedAt ?? rec.createdAt;
  const kind = rec.kind ?? 'transcript';
  // A transcript stored before redaction existed is redacted (and its original sealed) on its next analysis.
  const segments = redactSegments(transcript.segments).redacted.length
    ? await saveRedactedTranscript(deps, rec, transcript.source, transcript.segments)
    : transcript.segments;
  const analysis = deps.stages.analyze(segments, { now, durationSec: rec.durationSec, kind });
  const result = fileResult(rec.originalName, kind, analysis);
  await deps.repos.results.saveAnalysis(rec, result);
  await deps.repos.recordings.setStatus(rec.id, 'analyzed');

  await deps.events.publish(rec.tenantId, 'recording.analyzed', {
    ...recordingEventIds(rec),
    status: 'analyzed',
    durationSec: result.durationSec,
    tagCounts: result.tagCounts,
    commitments: result.commitments.length,
    analysisUrl: `/v1/recordings/${rec.id}/analysis`,
  });
  const next = { recordingId: rec.id, generation: rec.generation };
  await deps.queue.enqueue('recording-followups', next);
  if (rec.leadId) await deps.queue.enqueue('lead-update', next);
});
