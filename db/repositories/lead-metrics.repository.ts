import { and, asc, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import { isTerminal, STAGE_IDS } from '../../core/stages.ts';
import type { Db } from '../client.ts';
import { analyses, customerContacts, customers, leads, leadStageEvents, recordings, reps } from '../schema.ts';

export interface LeadHistory {
  leadId: string;
  repId: string | null;
  teamId: string | null;
  customerId: string | null;
  stage: (typeof leads.$inferSelect)['stage'];
  events: Array<{ stage: (typeof leads.$inferSelect)['stage']; at: Date }>;
}

/** Read models over leads, stage events and recordings for PHI, the funnel and hand-over dossiers. */
export class LeadMetricsRepository {
  constructor(private readonly db: Db) {}

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

  /** Customers a rep owns leads for or recorded visits with (the hand-over set). */
  async customersOfRep(tenantId: string, repId: string): Promise<Array<typeof customers.$inferSelect>> {
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

  async leadsOfCustomer(tenantId: string, customerId: string) {
    return this.db
      .select({ id: leads.id, leadId: leads.externalId, stage: leads.stage, ownerRepId: leads.ownerRepId })
      .from(leads)
      .where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, customerId)))
      .orderBy(asc(leads.externalId));
  }

  /** The customer's analysed visits, newest first, with their tag counts. */
  async visits(tenantId: string, customerId: string, limit = 5) {
    return this.db
      .select({
        recordingId: recordings.id,
        recordedAt: recordings.recordedAt,
        createdAt: recordings.createdAt,
        tagCounts: analyses.tagCounts,
      })
      .from(recordings)
      .innerJoin(analyses, eq(analyses.recordingId, recordings.id))
      .where(and(eq(recordings.tenantId, tenantId), eq(recordings.customerId, customerId), ne(recordings.status, 'failed')))
      .orderBy(desc(recordings.createdAt))
      .limit(limit);
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

  /** Moves a departed rep's open leads to the successor. */
  async transferOpenLeads(tenantId: string, fromRepId: string, toRepId: string): Promise<number> {
    const rows = await this.db
      .update(leads)
      .set({ ownerRepId: toRepId, updatedAt: new Date() })
      .where(and(eq(leads.tenantId, tenantId), eq(leads.ownerRepId, fromRepId), inArray(leads.stage, OPEN_STAGES)))
      .returning({ id: leads.id });
    return rows.length;
  }

  /** For jobs: the payload carries only the lead id, the row carries the tenant. */
  async leadForJob(id: string) {
    const [row] = await this.db.select({ id: leads.id, tenantId: leads.tenantId }).from(leads).where(eq(leads.id, id));
    return row;
  }

  async repsWithTitle(tenantId: string, title: string) {
    return this.db
      .select()
      .from(reps)
      .where(and(eq(reps.tenantId, tenantId), eq(reps.title, title), eq(reps.status, 'active')))
      .orderBy(asc(reps.externalId));
  }
}

/** Stages a lead can still move on from: the stage machine's list, not a copy of it. */
const OPEN_STAGES = STAGE_IDS.filter((s) => !isTerminal(s));
