import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auditLog } from '../schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at'>;

/** The audit log is append-only: nothing here updates or deletes a row (a tenant's deletion cascades). */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditLog).values(entry);
  }

  /** Newest first, paged by `before` (the `at` of the last row seen). */
  async list(tenantId: string, opts: { limit: number; before?: Date; action?: string }): Promise<AuditRow[]> {
    const conds = [eq(auditLog.tenantId, tenantId)];
    if (opts.before) conds.push(lt(auditLog.at, opts.before));
    if (opts.action) conds.push(eq(auditLog.action, opts.action));
    return this.db.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.at)).limit(opts.limit);
  }
}
