import { ConflictError } from '../../core/errors.ts';
import { recordingStage } from '../recording-stage.ts';
import { saveRedactedTranscript } from '../redaction.ts';

/** Speech-to-text on the normalized WAV; the transcript row is upserted, so a re-run after a crash overwrites it. */
export const transcribeJob = recordingStage('transcribe', async (rec, deps) => {
  if (!rec.normalizedKey) {
    throw new ConflictError('not_normalized', '录音尚未完成标准化，请重新处理 / recording has no normalized audio: reprocess it');
  }
  await deps.repos.recordings.setStatus(rec.id, 'transcribing');
  const wav = await deps.storage.localPath(rec.normalizedKey);
  const { engine, segments } = await deps.stages.transcribe(wav, { durationSec: rec.durationSec, onProgress: deps.progress });
  await saveRedactedTranscript(deps, rec, engine, segments);
  await deps.queue.enqueue('analyze', { recordingId: rec.id, generation: rec.generation });
});
