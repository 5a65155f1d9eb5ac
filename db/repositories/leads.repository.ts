import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { isUuid } from '../../core/ids.ts';
import { isTerminal, STAGE_IDS } from '../../core/stages.ts';
import type { Db } from '../client.ts';
import { customers, leads, leadStageEvents, leadStageSignals, reps, type LeadStage } from '../schema.ts';
import { CustomersRepository } from './customers.repository.ts';
import { RepsRepository } from './reps.repository.ts';

export interface LeadHistory {
  leadId: string;
  repId: string | null;
  teamId: string | null;
  customerId: string | null;
  stage: (typeof leads.$inferSelect)['stage'];
  events: Array<{ stage: (typeof leads.$inferSelect)['stage']; at: Date }>;
}

export type LeadRow = typeof leads.$inferSelect;
export interface LeadView extends LeadRow {
  customerExternalId: string | null;
  ownerRepExternalId: string | null;
}
export interface LeadInput {
  title?: string | null;
  /** CRM ids; unknown ones are created within the tenant. */
  customerExternalId?: string | null;
  ownerRepExternalId?: string | null;
  amount?: number | null;
}
export type StageEventRow = typeof leadStageEvents.$inferSelect;
export type StageSignalRow = typeof leadStageSignals.$inferSelect;

/** Leads are addressed by the CRM's string id. Stage moves go through moveStage so each one leaves an event. */
export class LeadsRepository {
  constructor(private readonly db: Db) {}

  /** `at` backdates a new lead's creation (imports of CRM history, the demo); default now. */
  async ensure(tenantId: string, externalId: string, link: { customerId?: string | null; ownerRepId?: string | null; at?: Date } = {}) {
    const inserted = await this.db
      .insert(leads)
      .values({ tenantId, externalId, customerId: link.customerId ?? null, ownerRepId: link.ownerRepId ?? null, ...(link.at ? { stageEnteredAt: link.at, createdAt: link.at } : {}) })
      .onConflictDoNothing()
      .returning();
    if (inserted[0]) {
      await this.db.insert(leadStageEvents).values({
        tenantId,
        leadId: inserted[0].id,
        fromStage: null,
        toStage: inserted[0].stage,
        at: inserted[0].stageEnteredAt,
        actor: 'system',
      });
      return inserted[0];
    }
    const [row] = await this.db
      .select()
      .from(leads)
      .where(and(eq(leads.tenantId, tenantId), eq(leads.externalId, externalId)));
    // Fill links the lead was created without (e.g. first upload named no customer).
    const patch: Partial<typeof leads.$inferInsert> = {};
    if (!row.customerId && link.customerId) patch.customerId = link.customerId;
    if (!row.ownerRepId && link.ownerRepId) patch.ownerRepId = link.ownerRepId;
    if (Object.keys(patch).length === 0) return row;
    const [updated] = await this.db.update(leads).set(patch).where(eq(leads.id, row.id)).returning();
    return updated;
  }

  async upsert(tenantId: string, externalId: string, input: LeadInput) {
    const existing = await this.getByExternalId(tenantId, externalId);
    const row = existing ?? (await this.ensure(tenantId, externalId));
    const values: Partial<typeof leads.$inferInsert> = { updatedAt: new Date() };
    if (input.title !== undefined) values.title = input.title;
    if (input.amount !== undefined) values.amount = input.amount;
    if (input.customerExternalId !== undefined) {
      values.customerId = input.customerExternalId
        ? (await new CustomersRepository(this.db).ensure(tenantId, input.customerExternalId)).id
        : null;
    }
    if (input.ownerRepExternalId !== undefined) {
      values.ownerRepId = input.ownerRepExternalId
        ? (await new RepsRepository(this.db).ensure(tenantId, input.ownerRepExternalId)).id
        : null;
    }
    await this.db.update(leads).set(values).where(and(eq(leads.tenantId, tenantId), eq(leads.id, row.id)));
    return { lead: (await this.getByExternalId(tenantId, externalId))!, created: !existing };
  }

  async getByExternalId(tenantId: string, externalId: string): Promise<LeadView | undefined> {
    const [row] = await this.view().where(and(eq(leads.tenantId, tenantId), eq(leads.externalId, externalId)));
    return row;
  }

  async getById(tenantId: string, id: string): Promise<LeadView | undefined> {
    const [row] = await this.view().where(and(eq(leads.tenantId, tenantId), eq(leads.id, id)));
    return row;
  }

  async list(tenantId: string, filter: { stage?: LeadStage; ownerRepId?: string } = {}): Promise<LeadView[]> {
    const conds = [eq(leads.tenantId, tenantId)];
    if (filter.stage) conds.push(eq(leads.stage, filter.stage));
    if (filter.ownerRepId) conds.push(eq(leads.ownerRepId, filter.ownerRepId));
    return this.view().where(and(...conds)).orderBy(asc(leads.externalId));
  }

  async delete(tenantId: string, externalId: string): Promise<boolean> {
    const rows = await this.db
      .delete(leads)
      .where(and(eq(leads.tenantId, tenantId), eq(leads.externalId, externalId)))
      .returning({ id: leads.id });
    return rows.length > 0;
  }

  /** Moves the lead and records the event in one transaction. Checkpoint rules live in leads/, not here. */
  async moveStage(
    tenantId: string,
    leadId: string,
    toStage: LeadStage,
    meta: { actor?: string | null; at?: Date; amount?: number | null; note?: string | null } = {},
  ): Promise<StageEventRow> {
    return this.db.transaction(async (tx) => {
      const [lead] = await tx
        .select()
        .from(leads)
        .where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId)))
        .for('update');
      if (!lead) throw new Error(`lead ${leadId} not in tenant`);
      const at = meta.at ?? new Date();
      await tx
        .update(leads)
        .set({ stage: toStage, stageEnteredAt: at, updatedAt: new Date(), ...(meta.amount != null ? { amount: meta.amount } : {}) })
        .where(eq(leads.id, leadId));
      const [event] = await tx
        .insert(leadStageEvents)
        .values({ tenantId, leadId, fromStage: lead.stage, toStage, at, actor: meta.actor ?? null, amount: meta.amount ?? null, note: meta.note ?? null })
        .returning();
      return event;
    });
  }

  async stageEvents(tenantId: string, leadId: string): Promise<StageEventRow[]> {
    return this.db
      .select()
      .from(leadStageEvents)
      .where(and(eq(leadStageEvents.tenantId, tenantId), eq(leadStageEvents.leadId, leadId)))
      .orderBy(asc(leadStageEvents.at), asc(leadStageEvents.createdAt));
  }

  async stageSignals(tenantId: string, leadId: string): Promise<StageSignalRow[]> {
    return this.db
      .select()
      .from(leadStageSignals)
      .where(and(eq(leadStageSignals.tenantId, tenantId), eq(leadStageSignals.leadId, leadId)))
      .orderBy(asc(leadStageSignals.createdAt), asc(leadStageSignals.segmentIndex));
  }

  /** Replaces the signals one recording produced (re-analysis must not pile up duplicates). */
  async replaceSignals(
    tenantId: string,
    recordingId: string,
    leadId: string,
    signals: Array<{ stage: LeadStage; segmentIndex: number; evidence: string; reason: string }>,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .delete(leadStageSignals)
        .where(and(eq(leadStageSignals.tenantId, tenantId), eq(leadStageSignals.recordingId, recordingId)));
      if (signals.length) {
        await tx.insert(leadStageSignals).values(signals.map((s) => ({ ...s, tenantId, leadId, recordingId })));
      }
    });
  }

  private view() {
    return this.db
      .select({
        id: leads.id,
        tenantId: leads.tenantId,
        externalId: leads.externalId,
        title: leads.title,
        customerId: leads.customerId,
        ownerRepId: leads.ownerRepId,
        stage: leads.stage,
        stageEnteredAt: leads.stageEnteredAt,
        amount: leads.amount,
        createdAt: leads.createdAt,
        updatedAt: leads.updatedAt,
        customerExternalId: customers.externalId,
        ownerRepExternalId: reps.externalId,
      })
      .from(leads)
      .leftJoin(customers, eq(customers.id, leads.customerId))
      .leftJoin(reps, eq(reps.id, leads.ownerRepId))
      .$dynamic();
  }

  /** Every lead of the tenant (or of one team's reps) with its stage events in order. */
  async histories(tenantId: string, filter: { team?: string; repId?: string } = {}): Promise<LeadHistory[]> {
    const conds: SQL[] = [eq(leads.tenantId, tenantId)];
    if (filter.team) conds.push(eq(reps.team, filter.team));
    if (filter.repId) conds.push(eq(leads.ownerRepId, filter.repId));
    const rows = await this.db
      .select({
        id: leads.id,
        leadId: leads.externalId,
        repId: reps.externalId,
        teamId: reps.team,
        customerId: customers.externalId,
        stage: leads.stage,
        evStage: leadStageEvents.toStage,
        evAt: leadStageEvents.at,
      })
      .from(leads)
      .leftJoin(reps, eq(reps.id, leads.ownerRepId))
      .leftJoin(customers, eq(customers.id, leads.customerId))
      .leftJoin(leadStageEvents, eq(leadStageEvents.leadId, leads.id))
      .where(and(...conds))
      .orderBy(asc(leads.externalId), asc(leadStageEvents.at), asc(leadStageEvents.createdAt));
    const byId = new Map<string, LeadHistory>();
    for (const r of rows) {
      if (!byId.has(r.id)) byId.set(r.id, { leadId: r.leadId, repId: r.repId, teamId: r.teamId, customerId: r.customerId, stage: r.stage, events: [] });
      if (r.evStage && r.evAt) byId.get(r.id)!.events.push({ stage: r.evStage, at: r.evAt });
    }
    return [...byId.values()];
  }

  async listOfCustomer(tenantId: string, customerId: string) {
    return this.db
      .select({ id: leads.id, leadId: leads.externalId, stage: leads.stage, ownerRepId: leads.ownerRepId })
      .from(leads)
      .where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, customerId)))
      .orderBy(asc(leads.externalId));
  }

  /** Moves a departed rep's open leads to the successor. */
  async transferOpen(tenantId: string, fromRepId: string, toRepId: string): Promise<number> {
    const rows = await this.db
      .update(leads)
      .set({ ownerRepId: toRepId, updatedAt: new Date() })
      .where(and(eq(leads.tenantId, tenantId), eq(leads.ownerRepId, fromRepId), inArray(leads.stage, OPEN_STAGES)))
      .returning({ id: leads.id });
    return rows.length;
  }

  /** For jobs: the payload carries only the lead id, the row carries the tenant. */
  async getForJob(id: string): Promise<LeadView | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.view().where(eq(leads.id, id));
    return row;
  }
}

/** Stages a lead can still move on from: the stage machine's list, not a copy of it. */
const OPEN_STAGES = STAGE_IDS.filter((s) => !isTerminal(s));
