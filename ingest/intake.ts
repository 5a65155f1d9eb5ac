import type { Readable } from 'node:stream';
import { InvalidInputError, DependencyUnavailableError } from '../core/errors.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { RecordingRow } from '../db/repositories/recordings.repository.ts';
import { newStorageKey, type Storage } from './storage.ts';

/** Starts processing a new recording (workers/ports.ts: the normalize job); throws when it cannot be queued. */
export interface RecordingPipeline {
  start(recording: Pick<RecordingRow, 'id' | 'generation'>): Promise<void>;
}

export interface StoredBody {
  tenantId: string;
  storageKey: string;
  byteSize: number;
  sha256: string;
}

/** Streams an upload into storage under a fresh key (never buffered whole), hashing it on the way. */
export async function storeBody(
  storage: Storage,
  tenantId: string,
  body: Readable,
  maxBytes: number,
): Promise<StoredBody> {
  const storageKey = newStorageKey(tenantId);
  const { byteSize, sha256 } = await storage.put(storageKey, body, { maxBytes });
  if (byteSize === 0) {
    await storage.delete(storageKey);
    throw new InvalidInputError('empty_file', '上传的文件是空的 / the uploaded file is empty');
  }
  return { tenantId, storageKey, byteSize, sha256 };
}

export interface RecordingMeta {
  /** CRM ids; unknown ones are created within the tenant. */
  repExternalId: string;
  leadExternalId?: string | null;
  customerExternalId?: string | null;
  recordedAt?: Date | null;
  originalName: string;
  contentType?: string | null;
}

export type IntakeResult = { duplicate: boolean; recording: RecordingRow };

/**
 * Turns a stored upload into a queued recording. The same bytes for the same rep are the same recording: the new
 * copy is deleted and the existing row returned. If the queue cannot take the job (Redis down) the row and the file
 * are both removed before the error propagates, so nothing is left half-written.
 */
export async function registerRecording(
  deps: { repos: Repositories; storage: Storage; pipeline: RecordingPipeline },
  stored: StoredBody,
  meta: RecordingMeta,
): Promise<IntakeResult> {
  const { repos } = deps;
  let recording: RecordingRow;
  try {
    const known = await repos.reps.getByExternalId(stored.tenantId, meta.repExternalId);
    const dup = known && (await repos.recordings.findDuplicate(stored.tenantId, known.id, stored.sha256));
    if (dup) {
      await deps.storage.delete(stored.storageKey);
      return { duplicate: true, recording: dup };
    }
    const inserted = await repos
      .transaction((tx) => insertRecording(tx, stored, meta))
      .catch(async (err) => {
        // Two uploads of the same bytes raced past the duplicate check: the unique index let one in.
        if (!isUniqueViolation(err)) throw err;
        const rep = await repos.reps.getByExternalId(stored.tenantId, meta.repExternalId);
        const winner = rep && (await repos.recordings.findDuplicate(stored.tenantId, rep.id, stored.sha256));
        if (!winner) throw err;
        return { duplicate: true, recording: winner };
      });
    if (inserted.duplicate) {
      await deps.storage.delete(stored.storageKey);
      return inserted;
    }
    recording = inserted.recording;
  } catch (err) {
    await deps.storage.delete(stored.storageKey);
    throw err;
  }
  try {
    await deps.pipeline.start(recording);
  } catch (err) {
    await repos.recordings.delete(recording.id);
    await deps.storage.delete(stored.storageKey);
    throw new DependencyUnavailableError('queue_unavailable', '任务队列暂不可用，请稍后重试 / the job queue is unavailable, retry later', { cause: err });
  }
  return { duplicate: false, recording };
}

async function insertRecording(repos: Repositories, stored: StoredBody, meta: RecordingMeta): Promise<IntakeResult> {
  const rep = await repos.reps.ensure(stored.tenantId, meta.repExternalId);
  // A concurrent upload of the same bytes may have won the race since the first check.
  const dup = await repos.recordings.findDuplicate(stored.tenantId, rep.id, stored.sha256);
  if (dup) return { duplicate: true, recording: dup };
  const customer = meta.customerExternalId ? await repos.customers.ensure(stored.tenantId, meta.customerExternalId) : null;
  const lead = meta.leadExternalId
    ? await repos.leads.ensure(stored.tenantId, meta.leadExternalId, { customerId: customer?.id, ownerRepId: rep.id })
    : null;
  const recording = await repos.recordings.insert({
    tenantId: stored.tenantId,
    repId: rep.id,
    leadId: lead?.id ?? null,
    customerId: customer?.id ?? lead?.customerId ?? null,
    recordedAt: meta.recordedAt ?? null,
    originalName: meta.originalName,
    contentType: meta.contentType ?? null,
    sha256: stored.sha256,
    byteSize: stored.byteSize,
    storageKey: stored.storageKey,
  });
  return { duplicate: false, recording };
}

function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return true;
  }
  return false;
}
