import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import { reps } from '../schema.ts';

export type RepRow = typeof reps.$inferSelect;
export interface RepView extends RepRow {
  supervisorExternalId: string | null;
}
export interface RepInput {
  name?: string | null;
  team?: string | null;
  title?: string | null;
  status?: 'active' | 'inactive';
  /** The supervisor's CRM id; created when unknown. */
  supervisorExternalId?: string | null;
}

const sup = alias(reps, 'supervisor');

/** Reps are addressed by the CRM's string id (external_id), unique within a tenant. */
export class RepsRepository {
  constructor(private readonly db: Db) {}

  /** Finds the rep or creates it with only its id (an upload may name a rep the CRM never sent us). */
  async ensure(tenantId: string, externalId: string): Promise<RepRow> {
    await this.db.insert(reps).values({ tenantId, externalId }).onConflictDoNothing();
    const [row] = await this.db
      .select()
      .from(reps)
      .where(and(eq(reps.tenantId, tenantId), eq(reps.externalId, externalId)));
    return row;
  }

  /** `ensure` for many ids in two round trips (a page of a daily-report import). */
  async ensureMany(tenantId: string, externalIds: string[]): Promise<RepRow[]> {
    if (!externalIds.length) return [];
    await this.db.insert(reps).values(externalIds.map((externalId) => ({ tenantId, externalId }))).onConflictDoNothing();
    return this.db.select().from(reps).where(and(eq(reps.tenantId, tenantId), inArray(reps.externalId, externalIds)));
  }

  async upsert(tenantId: string, externalId: string, input: RepInput): Promise<{ rep: RepView; created: boolean }> {
    const existing = await this.getByExternalId(tenantId, externalId);
    const row = existing ?? (await this.ensure(tenantId, externalId));
    const values: Partial<typeof reps.$inferInsert> = { updatedAt: new Date() };
    if (input.name !== undefined) values.name = input.name;
    if (input.team !== undefined) values.team = input.team;
    if (input.title !== undefined) values.title = input.title;
    if (input.status !== undefined) values.status = input.status;
    if (input.supervisorExternalId !== undefined) {
      values.supervisorId = input.supervisorExternalId
        ? (await this.ensure(tenantId, input.supervisorExternalId)).id
        : null;
    }
    await this.db.update(reps).set(values).where(and(eq(reps.tenantId, tenantId), eq(reps.id, row.id)));
    return { rep: (await this.getByExternalId(tenantId, externalId))!, created: !existing };
  }

  async getByExternalId(tenantId: string, externalId: string): Promise<RepView | undefined> {
    const [row] = await this.view(tenantId).where(and(eq(reps.tenantId, tenantId), eq(reps.externalId, externalId)));
    return row;
  }

  async getById(tenantId: string, id: string): Promise<RepView | undefined> {
    const [row] = await this.view(tenantId).where(and(eq(reps.tenantId, tenantId), eq(reps.id, id)));
    return row;
  }

  async list(tenantId: string, filter: { team?: string } = {}): Promise<RepView[]> {
    const conds = [eq(reps.tenantId, tenantId)];
    if (filter.team) conds.push(eq(reps.team, filter.team));
    return this.view(tenantId).where(and(...conds)).orderBy(asc(reps.externalId));
  }

  async delete(tenantId: string, externalId: string): Promise<boolean> {
    const rows = await this.db
      .delete(reps)
      .where(and(eq(reps.tenantId, tenantId), eq(reps.externalId, externalId)))
      .returning({ id: reps.id });
    return rows.length > 0;
  }

  private view(tenantId: string) {
    return this.db
      .select({
        id: reps.id,
        tenantId: reps.tenantId,
        externalId: reps.externalId,
        name: reps.name,
        team: reps.team,
        supervisorId: reps.supervisorId,
        title: reps.title,
        status: reps.status,
        createdAt: reps.createdAt,
        updatedAt: reps.updatedAt,
        supervisorExternalId: sup.externalId,
      })
      .from(reps)
      .leftJoin(sup, and(eq(sup.id, reps.supervisorId), eq(sup.tenantId, tenantId)))
      .$dynamic();
  }

  async listActiveWithTitle(tenantId: string, title: string) {
    return this.db
      .select()
      .from(reps)
      .where(and(eq(reps.tenantId, tenantId), eq(reps.title, title), eq(reps.status, 'active')))
      .orderBy(asc(reps.externalId));
  }
}
