import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { customerContacts, customers, leads, recordings } from '../schema.ts';

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
    return (await this.getByExternalId(tenantId, externalId))!;
  }

  /** `ensure` for many ids in two round trips (a page of a daily-report import). */
  async ensureMany(tenantId: string, externalIds: string[]): Promise<CustomerRow[]> {
    if (!externalIds.length) return [];
    await this.db.insert(customers).values(externalIds.map((externalId) => ({ tenantId, externalId }))).onConflictDoNothing();
    return this.db.select().from(customers).where(and(eq(customers.tenantId, tenantId), inArray(customers.externalId, externalIds)));
  }

  async upsert(tenantId: string, externalId: string, input: CustomerInput) {
    const existing = await this.getByExternalId(tenantId, externalId);
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

  async getByExternalId(tenantId: string, externalId: string): Promise<CustomerRow | undefined> {
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

  /** Customers a rep owns leads for or recorded visits with (the hand-over set). */
  async listOfRep(tenantId: string, repId: string): Promise<Array<typeof customers.$inferSelect>> {
    const viaLeads = this.db.select({ id: leads.customerId }).from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.ownerRepId, repId)));
    const viaRecs = this.db
      .select({ id: recordings.customerId })
      .from(recordings)
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.repId, repId)));
    const ids = [...(await viaLeads), ...(await viaRecs)].map((r) => r.id).filter((x): x is string => !!x);
    if (!ids.length) return [];
    return this.db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, [...new Set(ids)])))
      .orderBy(asc(customers.externalId));
  }

  async contacts(tenantId: string, customerId: string) {
    return this.db
      .select()
      .from(customerContacts)
      .where(and(eq(customerContacts.tenantId, tenantId), eq(customerContacts.customerId, customerId)))
      .orderBy(asc(customerContacts.name));
  }

  async saveContacts(tenantId: string, customerId: string, contacts: Array<{ name: string; role: string | null; caresAbout: string[] }>) {
    await this.db.transaction(async (tx) => {
      await tx.delete(customerContacts).where(and(eq(customerContacts.tenantId, tenantId), eq(customerContacts.customerId, customerId)));
      if (contacts.length) {
        await tx.insert(customerContacts).values(contacts.map((c) => ({ tenantId, customerId, name: c.name, role: c.role, caresAbout: c.caresAbout as never })));
      }
    });
  }
}
