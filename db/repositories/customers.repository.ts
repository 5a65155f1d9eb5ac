import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { customers } from '../schema.ts';

export type CustomerRow = typeof customers.$inferSelect;
export interface CustomerInput {
  name?: string | null;
  industry?: string | null;
  customerType?: string | null;
}

/** Customers are addressed by the CRM's string id (external_id), unique within a tenant. */
export class CustomersRepository {
  constructor(private readonly db: Db) {}

  async ensure(tenantId: string, externalId: string): Promise<CustomerRow> {
    await this.db.insert(customers).values({ tenantId, externalId }).onConflictDoNothing();
    return (await this.get(tenantId, externalId))!;
  }

  async upsert(tenantId: string, externalId: string, input: CustomerInput) {
    const existing = await this.get(tenantId, externalId);
    const row = existing ?? (await this.ensure(tenantId, externalId));
    const values: Partial<typeof customers.$inferInsert> = { updatedAt: new Date() };
    if (input.name !== undefined) values.name = input.name;
    if (input.industry !== undefined) values.industry = input.industry;
    if (input.customerType !== undefined) values.customerType = input.customerType;
    const [updated] = await this.db
      .update(customers)
      .set(values)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, row.id)))
      .returning();
    return { customer: updated, created: !existing };
  }

  async get(tenantId: string, externalId: string): Promise<CustomerRow | undefined> {
    const [row] = await this.db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.externalId, externalId)));
    return row;
  }

  async getById(tenantId: string, id: string): Promise<CustomerRow | undefined> {
    const [row] = await this.db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
    return row;
  }

  async list(tenantId: string, filter: { customerType?: string } = {}): Promise<CustomerRow[]> {
    const conds = [eq(customers.tenantId, tenantId)];
    if (filter.customerType) conds.push(eq(customers.customerType, filter.customerType));
    return this.db.select().from(customers).where(and(...conds)).orderBy(asc(customers.externalId));
  }

  async delete(tenantId: string, externalId: string): Promise<boolean> {
    const rows = await this.db
      .delete(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.externalId, externalId)))
      .returning({ id: customers.id });
    return rows.length > 0;
  }
}
