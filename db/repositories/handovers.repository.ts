import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { customers, handoverDossiers, handovers, robotMessages } from '../schema.ts';

export type HandoverRow = typeof handovers.$inferSelect;
export type RobotMessageRow = typeof robotMessages.$inferSelect;

/** Hand-overs with their dossiers, and the robot-message outbox. */
export class HandoversRepository {
  constructor(private readonly db: Db) {}

  async create(values: typeof handovers.$inferInsert, dossiers: Array<{ customerId: string; dossier: Record<string, unknown> }>): Promise<HandoverRow> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.insert(handovers).values(values).returning();
      if (dossiers.length) {
        await tx.insert(handoverDossiers).values(dossiers.map((d) => ({ tenantId: values.tenantId, handoverId: row.id, customerId: d.customerId, dossier: d.dossier })));
      }
      return row;
    });
  }

  async latestForRep(tenantId: string, fromRepId: string): Promise<HandoverRow | undefined> {
    const [row] = await this.db
      .select()
      .from(handovers)
      .where(and(eq(handovers.tenantId, tenantId), eq(handovers.fromRepId, fromRepId)))
      .orderBy(desc(handovers.createdAt))
      .limit(1);
    return row;
  }

  async dossiers(tenantId: string, handoverId: string) {
    return this.db
      .select({ customerId: customers.externalId, dossier: handoverDossiers.dossier })
      .from(handoverDossiers)
      .innerJoin(customers, eq(customers.id, handoverDossiers.customerId))
      .where(and(eq(handoverDossiers.tenantId, tenantId), eq(handoverDossiers.handoverId, handoverId)))
      .orderBy(asc(customers.externalId));
  }

  async queueRobotMessage(values: typeof robotMessages.$inferInsert): Promise<RobotMessageRow> {
    const [row] = await this.db.insert(robotMessages).values(values).returning();
    return row;
  }

  async robotMessage(id: string): Promise<RobotMessageRow | undefined> {
    const [row] = await this.db.select().from(robotMessages).where(eq(robotMessages.id, id));
    return row;
  }

  async recordRobotAttempt(id: string, outcome: { ok: true } | { ok: false; error: string; final: boolean }): Promise<void> {
    // Counted in the update itself (as webhook deliveries are): no read first, no lost increment between two runs.
    const attempts = sql`${robotMessages.attempts} + 1`;
    await this.db
      .update(robotMessages)
      .set(
        outcome.ok
          ? { status: 'sent', attempts, sentAt: new Date(), lastError: null }
          : { status: outcome.final ? 'failed' : 'pending', attempts, lastError: outcome.error },
      )
      .where(eq(robotMessages.id, id));
  }

  async robotMessages(tenantId: string, limit = 50): Promise<RobotMessageRow[]> {
    return this.db.select().from(robotMessages).where(eq(robotMessages.tenantId, tenantId)).orderBy(desc(robotMessages.createdAt)).limit(limit);
  }

  /** Reconciler: robot messages still pending since before `before`. */
  async pendingRobotMessages(before: Date, limit = 5000): Promise<string[]> {
    const rows = await this.db
      .select({ id: robotMessages.id })
      .from(robotMessages)
      .where(and(eq(robotMessages.status, 'pending'), lt(robotMessages.createdAt, before)))
      .limit(limit);
    return rows.map((r) => r.id);
  }
}
