import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newStorageKey } from '../../ingest/storage.ts';
import { recordingStage } from '../recording-stage.ts';
import { saveRedactedTranscript } from '../redaction.ts';

/** First stage: transcripts are parsed and go straight to analysis; audio becomes 16 kHz mono WAV in storage. */
export const normalizeJob = recordingStage('normalize', async (rec, deps) => {
  await deps.repos.recordings.setStatus(rec.id, 'normalizing');
  const input = await deps.storage.localPath(rec.storageKey);
  const kind = await deps.stages.sniff(input, rec.originalName);

  if (kind === 'transcript') {
    const segments = await deps.stages.readTranscript(input, rec.originalName);
    await saveRedactedTranscript(deps, rec, 'transcript', segments);
    const end = segments.reduce((m, s) => Math.max(m, s.end ?? 0), 0);
    await deps.repos.recordings.setStatus(rec.id, 'normalizing', { kind, durationSec: end > 0 ? end : null });
    await deps.queue.enqueue('analyze', { recordingId: rec.id, generation: rec.generation });
    return;
  }

  const tmpDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tingjian-norm-'));
  try {
    const wav = path.join(tmpDir, 'normalized.wav');
    const { durationSec } = await deps.stages.normalize(input, wav, rec.originalName);
    // A retry writes a fresh key; the previous run's file (if any) is removed once the new one is recorded.
    const normalizedKey = newStorageKey(rec.tenantId, '.wav');
    await deps.storage.put(normalizedKey, fs.createReadStream(wav));
    await deps.repos.recordings.setStatus(rec.id, 'normalizing', { kind, durationSec, normalizedKey });
    if (rec.normalizedKey && rec.normalizedKey !== normalizedKey) await deps.storage.delete(rec.normalizedKey);
  } finally {
    await fs.promises.rm(tmpDir, { recursive: true, force: true });
  }
  await deps.queue.enqueue('transcribe', { recordingId: rec.id, generation: rec.generation });
});
