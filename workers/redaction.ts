import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactSegments } from '../analyze/redact.ts';
import { newStorageKey } from '../ingest/storage.ts';
import { muteSpans } from '../transcribe/mute.ts';
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
  if (deps.config.PII_MUTE_AUDIO && rec.normalizedKey && r.redacted.length) await muteAudio(deps, rec, r.redacted.map((i) => segments[i]));
  return r.segments;
}

/**
 * PII_MUTE_AUDIO: the stored normalized audio (what the API plays) gets the segments that held personal data
 * silenced, under a new key; the old file is removed once the row points at the new one. The upload itself is kept
 * for reprocessing and never served.
 */
async function muteAudio(deps: JobDeps, rec: RecordingView, spoken: Segment[]): Promise<void> {
  const spans = spoken.filter((s) => s.start !== null && s.end !== null).map((s) => ({ start: s.start!, end: s.end! }));
  if (!spans.length || !rec.normalizedKey) return;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tingjian-mute-'));
  try {
    const out = path.join(dir, 'muted.wav');
    await muteSpans(await deps.storage.localPath(rec.normalizedKey), out, spans, deps.config);
    const key = newStorageKey(rec.tenantId, '.wav');
    await deps.storage.put(key, fs.createReadStream(out));
    await deps.repos.recordings.setNormalizedKey(rec.id, key);
    await deps.storage.delete(rec.normalizedKey);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
