import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt, notLike, sql } from 'drizzle-orm';
import { requireBox, type SecretBox } from '../../core/secret-box.ts';
import type { Db } from '../client.ts';
import { webhookDeliveries, webhookSubscriptions } from '../schema.ts';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export class WebhooksRepository {
  constructor(private readonly db: Db, private readonly secrets?: SecretBox) {}

  /** The row with its secret in clear, the one time it is shown; only the sealed secret is stored. */
  async create(tenantId: string, url: string, events: string[]): Promise<SubscriptionRow> {
    const secret = 'whsec_' + randomBytes(24).toString('base64url');
    const [row] = await this.db
      .insert(webhookSubscriptions)
      .values({ tenantId, url, events, secret: requireBox(this.secrets).seal(secret) })
      .returning();
    return { ...row, secret };
  }

  /** Seals secrets stored before encryption existed (run at start-up; a no-op once done). */
  async sealLegacySecrets(): Promise<number> {
    const box = requireBox(this.secrets);
    const rows = await this.db
      .select({ id: webhookSubscriptions.id, secret: webhookSubscriptions.secret })
      .from(webhookSubscriptions)
      .where(notLike(webhookSubscriptions.secret, 'enc:%'));
    for (const r of rows) await this.db.update(webhookSubscriptions).set({ secret: box.seal(r.secret) }).where(eq(webhookSubscriptions.id, r.id));
    return rows.length;
  }

  async list(tenantId: string): Promise<SubscriptionRow[]> {
    return this.db
      .select()
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.tenantId, tenantId))
      .orderBy(webhookSubscriptions.createdAt);
  }

  async getById(tenantId: string, id: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, id)));
    return row;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, id)))
      .returning({ id: webhookSubscriptions.id });
    return rows.length > 0;
  }

  /** One pending delivery per active subscription that wants the event; returns their ids for the queue. */
  async createDeliveries(tenantId: string, event: string, payload: Record<string, unknown>): Promise<string[]> {
    const subs = await this.db
      .select()
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.active, true)));
    const wanted = subs.filter((s) => s.events.includes('*') || s.events.includes(event));
    if (!wanted.length) return [];
    const rows = await this.db
      .insert(webhookDeliveries)
      .values(wanted.map((s) => ({ tenantId, subscriptionId: s.id, event, payload })))
      .returning({ id: webhookDeliveries.id });
    return rows.map((r) => r.id);
  }

  async getDelivery(id: string): Promise<{ delivery: DeliveryRow; subscription: SubscriptionRow } | undefined> {
    const [row] = await this.db
      .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .where(eq(webhookDeliveries.id, id));
    if (!row) return undefined;
    return { ...row, subscription: { ...row.subscription, secret: requireBox(this.secrets).openOrPlain(row.subscription.secret) } };
  }

  async recordAttempt(
    id: string,
    outcome: { status: 'pending' | 'delivered' | 'failed'; statusCode?: number | null; error?: string | null },
  ): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({
        status: outcome.status,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: outcome.statusCode ?? null,
        lastError: outcome.error ?? null,
        deliveredAt: outcome.status === 'delivered' ? new Date() : null,
        updatedAt: new Date(),
      })
      .where(eq(webhookDeliveries.id, id));
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({ status: 'failed', lastError: error, updatedAt: new Date() })
      .where(eq(webhookDeliveries.id, id));
  }

  async deliveries(tenantId: string, subscriptionId: string, limit = 50): Promise<DeliveryRow[]> {
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.subscriptionId, subscriptionId)))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(limit);
  }

  /** Reconciler: deliveries still pending since before `before` (their job may be gone with Redis). */
  async pendingDeliveries(before: Date, limit = 5000): Promise<string[]> {
    const rows = await this.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.updatedAt, before)))
      .limit(limit);
    return rows.map((r) => r.id);
  }
}
