import { and, eq, inArray, lt } from 'drizzle-orm';
import type { ErrorCode } from '../../core/error-codes.ts';
import type { Db } from '../client.ts';
import { attitudeImports } from '../schema.ts';

export type ImportRow = typeof attitudeImports.$inferSelect;

/** 销售日报 imports: one row per uploaded workbook, updated by the attitude-import job as it reads. */
export class ImportsRepository {
  constructor(private readonly db: Db) {}

  async create(values: { tenantId: string; storageKey: string; byteSize: number; createdBy: string | null }): Promise<ImportRow> {
    const [row] = await this.db.insert(attitudeImports).values(values).returning();
    return row;
  }

  async getById(tenantId: string, id: string): Promise<ImportRow | undefined> {
    const [row] = await this.db.select().from(attitudeImports).where(and(eq(attitudeImports.tenantId, tenantId), eq(attitudeImports.id, id)));
    return row;
  }

  async getForJob(id: string): Promise<ImportRow | undefined> {
    const [row] = await this.db.select().from(attitudeImports).where(eq(attitudeImports.id, id));
    return row;
  }

  /** A retried job starts the counts afresh: its rows are upserts, so re-reading them adds nothing twice. */
  async start(id: string): Promise<void> {
    await this.db
      .update(attitudeImports)
      .set({ status: 'running', startedAt: new Date(), rowsRead: 0, rowsImported: 0, rowsFailed: 0, errors: [], redFlags: 0 })
      .where(eq(attitudeImports.id, id));
  }

  async progress(id: string, p: Pick<ImportRow, 'rowsRead' | 'rowsImported' | 'rowsFailed' | 'errors' | 'redFlags'>): Promise<void> {
    await this.db.update(attitudeImports).set(p).where(eq(attitudeImports.id, id));
  }

  async finish(id: string, outcome: { status: 'done' } | { status: 'failed'; code: ErrorCode; message: string }): Promise<void> {
    await this.db
      .update(attitudeImports)
      .set({
        status: outcome.status,
        finishedAt: new Date(),
        ...(outcome.status === 'failed' ? { errorCode: outcome.code, errorMessage: outcome.message } : {}),
      })
      .where(eq(attitudeImports.id, id));
  }

  /** Imports Redis may have lost: still queued or running after `olderThan`. */
  async unfinished(olderThan: Date): Promise<Array<{ id: string }>> {
    return this.db
      .select({ id: attitudeImports.id })
      .from(attitudeImports)
      .where(and(inArray(attitudeImports.status, ['queued', 'running']), lt(attitudeImports.createdAt, olderThan)));
  }
}
