import { and, asc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import { customers, followUpTasks, leads, reps } from '../schema.ts';
import { isUuid } from '../../core/ids.ts';

export type FollowUpRow = typeof followUpTasks.$inferSelect;
export type NewFollowUp = typeof followUpTasks.$inferInsert;
export interface FollowUpView extends FollowUpRow {
  assigneeExternalId: string | null;
  leadExternalId: string | null;
  customerExternalId: string | null;
}

const owner = alias(reps, 'lead_owner');

/** Follow-up tasks of the leads module (commitments, legal review, hand-over checklists). */
export class FollowUpsRepository {
  constructor(private readonly db: Db) {}

  /** Inserts tasks; a commitment's task already there is returned as is (a re-analysis must not reset it). */
  async insertMany(rows: NewFollowUp[]): Promise<FollowUpRow[]> {
    if (rows.length === 0) return [];
    const withCommitment = rows.filter((r) => r.commitmentId);
    const plain = rows.filter((r) => !r.commitmentId);
    const out: FollowUpRow[] = [];
    if (plain.length) out.push(...(await this.db.insert(followUpTasks).values(plain).returning()));
    if (withCommitment.length) {
      await this.db.insert(followUpTasks).values(withCommitment).onConflictDoNothing({ target: followUpTasks.commitmentId });
      out.push(
        ...(await this.db
          .select()
          .from(followUpTasks)
          .where(inArray(followUpTasks.commitmentId, withCommitment.map((r) => r.commitmentId!)))),
      );
    }
    return out;
  }

  /** For jobs: the payload carries only the id. */
  async getForJob(id: string): Promise<FollowUpView | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.view().where(eq(followUpTasks.id, id));
    return row;
  }

  async getById(tenantId: string, id: string): Promise<FollowUpView | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.view().where(and(eq(followUpTasks.tenantId, tenantId), eq(followUpTasks.id, id)));
    return row;
  }

  async list(
    tenantId: string,
    filter: {
      assigneeRepId?: string;
      leadId?: string;
      status?: FollowUpRow['status'];
      kind?: string;
      dueBefore?: Date;
      handoverId?: string;
      commitmentIds?: string[];
    } = {},
  ): Promise<FollowUpView[]> {
    const conds: SQL[] = [eq(followUpTasks.tenantId, tenantId)];
    if (filter.assigneeRepId) conds.push(eq(followUpTasks.assigneeRepId, filter.assigneeRepId));
    if (filter.leadId) conds.push(eq(followUpTasks.leadId, filter.leadId));
    if (filter.status) conds.push(eq(followUpTasks.status, filter.status));
    if (filter.kind) conds.push(eq(followUpTasks.kind, filter.kind));
    if (filter.dueBefore) conds.push(lt(followUpTasks.dueAt, filter.dueBefore));
    if (filter.handoverId) conds.push(eq(followUpTasks.handoverId, filter.handoverId));
    if (filter.commitmentIds) conds.push(inArray(followUpTasks.commitmentId, filter.commitmentIds));
    return this.view().where(and(...conds)).orderBy(asc(followUpTasks.dueAt), asc(followUpTasks.createdAt));
  }

  /** Sets reminded_at once; false when another run already did (the reminder is not sent twice). */
  async markReminded(id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(followUpTasks)
      .set({ remindedAt: at, updatedAt: at })
      .where(and(eq(followUpTasks.id, id), isNull(followUpTasks.remindedAt)))
      .returning({ id: followUpTasks.id });
    return rows.length > 0;
  }

  async markEscalated(id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(followUpTasks)
      .set({ escalatedAt: at, updatedAt: at })
      .where(and(eq(followUpTasks.id, id), isNull(followUpTasks.escalatedAt)))
      .returning({ id: followUpTasks.id });
    return rows.length > 0;
  }

  async setStatus(tenantId: string, id: string, status: 'done' | 'cancelled' | 'open', at = new Date()): Promise<FollowUpRow | undefined> {
    const [row] = await this.db
      .update(followUpTasks)
      .set({ status, completedAt: status === 'done' ? at : null, updatedAt: at })
      .where(and(eq(followUpTasks.tenantId, tenantId), eq(followUpTasks.id, id)))
      .returning();
    return row;
  }

  /** Moves an open task's times; the caller schedules new delayed jobs (the old ones see the mismatch). */
  async reschedule(tenantId: string, id: string, times: { dueAt: Date; remindAt: Date; escalateAt: Date }): Promise<FollowUpRow | undefined> {
    const [row] = await this.db
      .update(followUpTasks)
      .set({ ...times, dueInferred: false, remindedAt: null, escalatedAt: null, updatedAt: new Date() })
      .where(and(eq(followUpTasks.tenantId, tenantId), eq(followUpTasks.id, id), eq(followUpTasks.status, 'open')))
      .returning();
    return row;
  }

  /** Reassigns a departed rep's open tasks. */
  async reassignOpen(tenantId: string, fromRepId: string, toRepId: string): Promise<number> {
    const rows = await this.db
      .update(followUpTasks)
      .set({ assigneeRepId: toRepId, updatedAt: new Date() })
      .where(and(eq(followUpTasks.tenantId, tenantId), eq(followUpTasks.assigneeRepId, fromRepId), eq(followUpTasks.status, 'open')))
      .returning({ id: followUpTasks.id });
    return rows.length;
  }

  /**
   * Collaboration tasks (legal review …) created in [from, to), attributed to the lead owner's rep and team —
   * the PHI collaboration component.
   */
  async collaborationTasks(tenantId: string, kinds: string[], from: Date, to: Date) {
    return this.db
      .select({
        createdAt: followUpTasks.createdAt,
        completedAt: followUpTasks.completedAt,
        status: followUpTasks.status,
        repId: owner.externalId,
        team: owner.team,
      })
      .from(followUpTasks)
      .innerJoin(leads, eq(leads.id, followUpTasks.leadId))
      .innerJoin(owner, eq(owner.id, leads.ownerRepId))
      .where(
        and(
          eq(followUpTasks.tenantId, tenantId),
          inArray(followUpTasks.kind, kinds),
          gte(followUpTasks.createdAt, from),
          lt(followUpTasks.createdAt, to),
        ),
      );
  }

  private view() {
    return this.db
      .select({
        id: followUpTasks.id,
        tenantId: followUpTasks.tenantId,
        commitmentId: followUpTasks.commitmentId,
        leadId: followUpTasks.leadId,
        assigneeRepId: followUpTasks.assigneeRepId,
        kind: followUpTasks.kind,
        title: followUpTasks.title,
        dueAt: followUpTasks.dueAt,
        status: followUpTasks.status,
        remindedAt: followUpTasks.remindedAt,
        escalatedAt: followUpTasks.escalatedAt,
        completedAt: followUpTasks.completedAt,
        customerId: followUpTasks.customerId,
        detail: followUpTasks.detail,
        assigneeRole: followUpTasks.assigneeRole,
        remindAt: followUpTasks.remindAt,
        escalateAt: followUpTasks.escalateAt,
        escalateTo: followUpTasks.escalateTo,
        dueInferred: followUpTasks.dueInferred,
        handoverId: followUpTasks.handoverId,
        createdAt: followUpTasks.createdAt,
        updatedAt: followUpTasks.updatedAt,
        assigneeExternalId: reps.externalId,
        leadExternalId: leads.externalId,
        customerExternalId: customers.externalId,
      })
      .from(followUpTasks)
      .leftJoin(reps, eq(reps.id, followUpTasks.assigneeRepId))
      .leftJoin(leads, eq(leads.id, followUpTasks.leadId))
      .leftJoin(customers, eq(customers.id, followUpTasks.customerId))
      .$dynamic();
  }

  /** Reconciler: open tasks with a reminder or escalation still to come (their delayed jobs live in Redis). */
  async openScheduled(limit = 20_000): Promise<FollowUpRow[]> {
    return this.db
      .select()
      .from(followUpTasks)
      .where(and(eq(followUpTasks.status, 'open'), or(isNull(followUpTasks.remindedAt), isNull(followUpTasks.escalatedAt))))
      .limit(limit);
  }
}
