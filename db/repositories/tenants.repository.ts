import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { retentionSettings, tenants } from '../schema.ts';

export type Tenant = typeof tenants.$inferSelect;
export type RetentionRow = typeof retentionSettings.$inferSelect;

export class TenantsRepository {
  constructor(private readonly db: Db) {}

  /** Tenants are created on demand by `keys create --tenant <name>`. */
  async ensure(name: string): Promise<Tenant> {
    await this.db.insert(tenants).values({ name }).onConflictDoNothing({ target: tenants.name });
    const [row] = await this.db.select().from(tenants).where(eq(tenants.name, name));
    return row;
  }

  /** Looks a tenant up without creating it (reports must not invent a tenant from a typo). */
  async findByName(name: string): Promise<Tenant | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.name, name));
    return row;
  }

  async list(): Promise<Tenant[]> {
    return this.db.select().from(tenants).orderBy(tenants.name);
  }

  async getById(id: string): Promise<Tenant | undefined> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id));
    return row;
  }

  async retention(tenantId: string): Promise<RetentionRow | undefined> {
    const [row] = await this.db.select().from(retentionSettings).where(eq(retentionSettings.tenantId, tenantId));
    return row;
  }

  async saveRetention(tenantId: string, values: { audioDays: number | null; transcriptDays: number | null }): Promise<RetentionRow> {
    const [row] = await this.db
      .insert(retentionSettings)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: retentionSettings.tenantId, set: { ...values, updatedAt: new Date() } })
      .returning();
    return row;
  }

  /** Every tenant that set a limit (the retention job's work list). */
  async allRetention(): Promise<RetentionRow[]> {
    return this.db.select().from(retentionSettings);
  }
}
