import type { Repositories } from '../db/repositories/index.ts';
import type { Storage } from './storage.ts';

type Deps = { repos: Repositories; storage: Storage };
type Selection = Parameters<Repositories['recordings']['forErasure']>[1];

/**
 * Erases recordings entirely: the rows with everything derived from them (see RecordingsRepository.deleteMany),
 * then the uploaded and normalized files. Rows go first so no reader can reach a recording whose file is gone;
 * a file that cannot be removed is reported, not silently kept. Works in pages, so a large rep or customer erases
 * in bounded memory.
 */
export async function eraseRecordings(deps: Deps, tenantId: string, by: Selection): Promise<{ recordings: number; files: number }> {
  let recordings = 0;
  let files = 0;
  for (;;) {
    const page = await deps.repos.recordings.forErasure(tenantId, by);
    if (!page.length) break;
    recordings += await deps.repos.recordings.deleteMany(tenantId, page.map((r) => r.id));
    files += await deleteFiles(deps.storage, page);
    // An explicit id list is one page by construction.
    if (by.ids) break;
  }
  return { recordings, files };
}

/** Retention of audio only: the files go, the transcript and analysis stay until their own limit. */
export async function purgeAudio(deps: Deps, tenantId: string, visitedBefore: Date): Promise<number> {
  let purged = 0;
  for (;;) {
    const page = await deps.repos.recordings.forErasure(tenantId, { visitedBefore, audioOnly: true });
    if (!page.length) break;
    await deps.repos.recordings.markAudioPurged(tenantId, page.map((r) => r.id));
    await deleteFiles(deps.storage, page);
    purged += page.length;
  }
  return purged;
}

async function deleteFiles(storage: Storage, rows: Array<{ storageKey: string; normalizedKey: string | null }>): Promise<number> {
  let n = 0;
  for (const r of rows) {
    for (const key of [r.storageKey, r.normalizedKey]) {
      if (!key) continue;
      await storage.delete(key);
      n++;
    }
  }
  return n;
}
