import { and, desc, eq, gte, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { isUuid } from '../../core/ids.ts';
import type { ErrorCode } from '../../core/error-codes.ts';
import type { Db } from '../client.ts';
import { analyses, customers, leads, recordings, reps, type RecordingStatus } from '../schema.ts';

export type RecordingRow = typeof recordings.$inferSelect;
export type NewRecording = typeof recordings.$inferInsert;
export interface RecordingView extends RecordingRow {
  repExternalId: string;
  leadExternalId: string | null;
  customerExternalId: string | null;
}
/** Which recordings a caller may see: the whole tenant, or one rep's own (rep keys). */
export interface RecordingScope {
  tenantId: string;
  repId?: string | null;
}

const STAGE_TIME: Partial<Record<RecordingStatus, keyof RecordingRow>> = {
  normalizing: 'normalizingAt',
  transcribing: 'transcribingAt',
  analyzing: 'analyzingAt',
  analyzed: 'analyzedAt',
  failed: 'failedAt',
};

export class RecordingsRepository {
  constructor(private readonly db: Db) {}

  async insert(values: NewRecording): Promise<RecordingRow> {
    const [row] = await this.db.insert(recordings).values(values).returning();
    return row;
  }

  async findDuplicate(tenantId: string, repId: string, sha256: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.repId, repId), eq(recordings.sha256, sha256)));
    return row;
  }

  /** For jobs: the payload carries only the id, the row carries the tenant (and the CRM ids events report). */
  async getForJob(id: string): Promise<RecordingView | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.view().where(eq(recordings.id, id));
    return row;
  }

  async getById(scope: RecordingScope, id: string): Promise<RecordingView | undefined> {
    if (!isUuid(id)) return undefined;
    // Status polling is the CRM's most frequent call: the query is built once and reused.
    this.prepared ??= this.view()
      .where(
        and(
          eq(recordings.tenantId, sql.placeholder('tenantId')),
          eq(recordings.id, sql.placeholder('id')),
          sql`(${sql.placeholder('repId')}::uuid is null or ${recordings.repId} = ${sql.placeholder('repId')}::uuid)`,
        ),
      )
      .prepare('recording_by_id');
    const [row] = await this.prepared.execute({ tenantId: scope.tenantId, id, repId: scope.repId ?? null });
    return row;
  }
  private prepared?: { execute(p: Record<string, unknown>): Promise<RecordingView[]> };

  async list(
    scope: RecordingScope,
    filter: { repId?: string; status?: RecordingStatus; since?: Date; leadId?: string; before?: { createdAt: Date; id: string } },
    limit = 50,
  ): Promise<RecordingView[]> {
    const conds: SQL[] = [scopeWhere(scope)];
    if (filter.repId) conds.push(eq(recordings.repId, filter.repId));
    if (filter.leadId) conds.push(eq(recordings.leadId, filter.leadId));
    if (filter.status) conds.push(eq(recordings.status, filter.status));
    if (filter.since) conds.push(gte(recordings.createdAt, filter.since));
    if (filter.before) {
      const b = filter.before;
      conds.push(or(lt(recordings.createdAt, b.createdAt), and(eq(recordings.createdAt, b.createdAt), lt(recordings.id, b.id)))!);
    }
    return this.view()
      .where(and(...conds))
      .orderBy(desc(recordings.createdAt), desc(recordings.id))
      .limit(limit);
  }

  /** Moves to a pipeline status and stamps that stage's time. Never revives a recording that failed. */
  async setStatus(id: string, status: RecordingStatus, extra: Partial<NewRecording> = {}): Promise<void> {
    const stamp = STAGE_TIME[status];
    await this.db
      .update(recordings)
      .set({ status, updatedAt: new Date(), ...(stamp ? { [stamp]: new Date() } : {}), ...extra })
      .where(and(eq(recordings.id, id), sql`${recordings.status} <> 'failed'`));
  }

  async setNormalizedKey(id: string, normalizedKey: string): Promise<void> {
    await this.db.update(recordings).set({ normalizedKey, updatedAt: new Date() }).where(eq(recordings.id, id));
  }

  async markFailed(id: string, code: ErrorCode, message: string): Promise<void> {
    await this.db
      .update(recordings)
      .set({ status: 'failed', failedAt: new Date(), errorCode: code, errorMessage: message, updatedAt: new Date() })
      .where(eq(recordings.id, id));
  }

  /** Reprocess: back to queued with a new generation (queue job ids include it, so the new run is a new job). */
  async requeue(scope: RecordingScope, id: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db
      .update(recordings)
      .set({
        status: 'queued',
        generation: sql`${recordings.generation} + 1`,
        queuedAt: new Date(),
        normalizingAt: null,
        transcribingAt: null,
        analyzingAt: null,
        analyzedAt: null,
        failedAt: null,
        errorCode: null,
        errorMessage: null,
        updatedAt: new Date(),
      })
      .where(and(scopeWhere(scope), eq(recordings.id, id)))
      .returning();
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(recordings).where(eq(recordings.id, id));
  }

  /** What erasure needs of a tenant's recordings: their ids and files, selected by id, rep, customer or age. */
  async forErasure(
    tenantId: string,
    by: { ids?: string[]; repId?: string; customerId?: string; visitedBefore?: Date; audioOnly?: boolean },
  ): Promise<Array<{ id: string; storageKey: string; normalizedKey: string | null }>> {
    const conds: SQL[] = [eq(recordings.tenantId, tenantId)];
    if (by.ids) conds.push(inArray(recordings.id, by.ids.filter(isUuid).length ? by.ids.filter(isUuid) : ['00000000-0000-0000-0000-000000000000']));
    if (by.repId) conds.push(eq(recordings.repId, by.repId));
    if (by.customerId) conds.push(eq(recordings.customerId, by.customerId));
    if (by.visitedBefore) conds.push(sql`coalesce(${recordings.recordedAt}, ${recordings.createdAt}) < ${by.visitedBefore.toISOString()}`);
    if (by.audioOnly) conds.push(isNull(recordings.audioPurgedAt));
    return this.db
      .select({ id: recordings.id, storageKey: recordings.storageKey, normalizedKey: recordings.normalizedKey })
      .from(recordings)
      .where(and(...conds))
      .limit(1000);
  }

  /**
   * Deletes recordings with everything derived from them (the foreign keys cascade to transcripts, analyses,
   * behaviour events, commitments and their follow-up tasks, stage signals, conversation attitude scores).
   */
  async deleteMany(tenantId: string, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows = await this.db
      .delete(recordings)
      .where(and(eq(recordings.tenantId, tenantId), inArray(recordings.id, ids)))
      .returning({ id: recordings.id });
    return rows.length;
  }

  /** The audio files are gone (retention): the row says so, so nobody tries to play or reprocess it. */
  async markAudioPurged(tenantId: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db
      .update(recordings)
      .set({ audioPurgedAt: new Date(), normalizedKey: null, updatedAt: new Date() })
      .where(and(eq(recordings.tenantId, tenantId), inArray(recordings.id, ids)));
  }

  private view() {
    return this.db
      .select({
        ...recordingColumns,
        repExternalId: reps.externalId,
        leadExternalId: leads.externalId,
        customerExternalId: customers.externalId,
      })
      .from(recordings)
      .innerJoin(reps, eq(reps.id, recordings.repId))
      .leftJoin(leads, eq(leads.id, recordings.leadId))
      .leftJoin(customers, eq(customers.id, recordings.customerId))
      .$dynamic();
  }

  /** Reconciler: recordings still in a working state that nothing touched since `before`, a page at a time by id. */
  async inFlight(before: Date, after: string | null, limit = 500): Promise<RecordingView[]> {
    const conds: SQL[] = [inArray(recordings.status, ['queued', 'normalizing', 'transcribing', 'analyzing']), lt(recordings.updatedAt, before)];
    if (after) conds.push(sql`${recordings.id} > ${after}`);
    return this.view().where(and(...conds)).orderBy(recordings.id).limit(limit);
  }
  /** The customer's analysed visits, newest first, with their tag counts. */
  async visitsOfCustomer(tenantId: string, customerId: string, limit = 5) {
    return this.db
      .select({
        recordingId: recordings.id,
        recordedAt: recordings.recordedAt,
        createdAt: recordings.createdAt,
        tagCounts: analyses.tagCounts,
      })
      .from(recordings)
      .innerJoin(analyses, eq(analyses.recordingId, recordings.id))
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.customerId, customerId), ne(recordings.status, 'failed')))
      .orderBy(desc(recordings.createdAt))
      .limit(limit);
  }
}

const recordingColumns = {
  id: recordings.id,
  tenantId: recordings.tenantId,
  repId: recordings.repId,
  leadId: recordings.leadId,
  customerId: recordings.customerId,
  recordedAt: recordings.recordedAt,
  originalName: recordings.originalName,
  contentType: recordings.contentType,
  sha256: recordings.sha256,
  byteSize: recordings.byteSize,
  storageKey: recordings.storageKey,
  kind: recordings.kind,
  normalizedKey: recordings.normalizedKey,
  durationSec: recordings.durationSec,
  status: recordings.status,
  generation: recordings.generation,
  queuedAt: recordings.queuedAt,
  normalizingAt: recordings.normalizingAt,
  transcribingAt: recordings.transcribingAt,
  analyzingAt: recordings.analyzingAt,
  analyzedAt: recordings.analyzedAt,
  failedAt: recordings.failedAt,
  errorCode: recordings.errorCode,
  errorMessage: recordings.errorMessage,
  audioPurgedAt: recordings.audioPurgedAt,
  createdAt: recordings.createdAt,
  updatedAt: recordings.updatedAt,
};

function scopeWhere(scope: RecordingScope): SQL {
  return scope.repId
    ? and(eq(recordings.tenantId, scope.tenantId), eq(recordings.repId, scope.repId))!
    : eq(recordings.tenantId, scope.tenantId);
}
