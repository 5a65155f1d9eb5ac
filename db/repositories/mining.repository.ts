import type { ErrorCode } from '../../core/error-codes.ts';
import { and, asc, desc, eq, gt, isNotNull, lt, sql } from 'drizzle-orm';
import type { AnalyzedSegment } from '../../analyze/types.ts';
import type { MiningEvent, MiningResult } from '../../patterns/types.ts';
import type { Db } from '../client.ts';
import { analyses, behaviorEvents, customerContacts, customers, leads, leadStageEvents, miningRuns, recordings, reps } from '../schema.ts';
import { isUuid } from '../../core/ids.ts';

export type MiningRunRow = typeof miningRuns.$inferSelect;

/** An analysed recording on a lead, as the coaching evidence needs it (segments only, not the whole result). */
export interface EvidenceRecordingRow {
  recordingId: string;
  rep: string;
  lead: string;
  at: Date;
  customerType: string | null;
  customerRole: string | null;
  /** Normalized audio exists, so the moment can be played. */
  audio: boolean;
  segments: AnalyzedSegment[];
}

/**
 * Mining runs and the mining input of one tenant: stage moves (lead_stage_events) and behaviours
 * (behavior_events), both under the CRM ids of rep and lead, as `tingjian mine` reads them from events.jsonl.
 */
export class MiningRepository {
  constructor(private readonly db: Db) {}

  async create(tenantId: string, topShare: number): Promise<MiningRunRow> {
    const [row] = await this.db.insert(miningRuns).values({ tenantId, topShare }).returning();
    return row;
  }

  /**
   * Marks the run running, creating it when a job was queued without a row (e.g. by hand). Keyed by run id, so a
   * retry or a second delivery of the same job reuses the row. undefined: the id belongs to another tenant.
   */
  async start(tenantId: string, runId: string, defaultTopShare: number): Promise<MiningRunRow | undefined> {
    const running = { status: 'running' as const, startedAt: new Date(), finishedAt: null, errorCode: null, errorMessage: null };
    const [row] = await this.db
      .insert(miningRuns)
      .values({ id: runId, tenantId, topShare: defaultTopShare, ...running })
      .onConflictDoUpdate({ target: miningRuns.id, set: running, setWhere: eq(miningRuns.tenantId, tenantId) })
      .returning();
    return row;
  }

  async finish(tenantId: string, runId: string, result: MiningResult): Promise<void> {
    await this.db
      .update(miningRuns)
      .set({ status: 'done', result, finishedAt: new Date(), errorCode: null, errorMessage: null })
      .where(and(eq(miningRuns.tenantId, tenantId), eq(miningRuns.id, runId)));
  }

  async fail(tenantId: string, runId: string, code: ErrorCode, message: string): Promise<void> {
    await this.db
      .update(miningRuns)
      .set({ status: 'failed', errorCode: code, errorMessage: message, finishedAt: new Date() })
      .where(and(eq(miningRuns.tenantId, tenantId), eq(miningRuns.id, runId)));
  }

  async getById(tenantId: string, id: string): Promise<MiningRunRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.db
      .select()
      .from(miningRuns)
      .where(and(eq(miningRuns.tenantId, tenantId), eq(miningRuns.id, id)));
    return row;
  }

  /** The newest run that finished with a result. */
  async latestDone(tenantId: string): Promise<MiningRunRow | undefined> {
    const [row] = await this.db
      .select()
      .from(miningRuns)
      .where(and(eq(miningRuns.tenantId, tenantId), eq(miningRuns.status, 'done')))
      .orderBy(desc(miningRuns.finishedAt), desc(miningRuns.createdAt))
      .limit(1);
    return row;
  }

  /**
   * Every stage move of the tenant's owned leads and every behaviour the lead's owner showed on them. A colleague's
   * visit on someone else's lead is not the owner's behaviour (same rule as the coaching report, report/compute.ts).
   * Won events carry the amount of the move, else the lead's amount.
   */
  async events(tenantId: string): Promise<MiningEvent[]> {
    const roles = await this.customerRoles(tenantId);
    const stages = await this.db
      .select({
        rep: reps.externalId,
        lead: leads.externalId,
        customerId: leads.customerId,
        customerType: customers.customerType,
        at: leadStageEvents.at,
        stage: leadStageEvents.toStage,
        amount: sql<number | null>`coalesce(${leadStageEvents.amount}, ${leads.amount})`,
      })
      .from(leadStageEvents)
      .innerJoin(leads, and(eq(leads.id, leadStageEvents.leadId), eq(leads.tenantId, tenantId)))
      .innerJoin(reps, eq(reps.id, leads.ownerRepId))
      .leftJoin(customers, eq(customers.id, leads.customerId))
      .where(eq(leadStageEvents.tenantId, tenantId));
    const behaviors = await this.db
      .select({
        rep: reps.externalId,
        lead: leads.externalId,
        customerId: customers.id,
        customerType: customers.customerType,
        at: behaviorEvents.at,
        behavior: behaviorEvents.behavior,
      })
      .from(behaviorEvents)
      .innerJoin(leads, and(eq(leads.id, behaviorEvents.leadId), eq(leads.ownerRepId, behaviorEvents.repId), eq(leads.tenantId, tenantId)))
      .innerJoin(reps, eq(reps.id, behaviorEvents.repId))
      .leftJoin(customers, eq(customers.id, sql`coalesce(${leads.customerId}, ${behaviorEvents.customerId})`))
      .where(eq(behaviorEvents.tenantId, tenantId));

    const events: MiningEvent[] = [];
    for (const s of stages) {
      const e: MiningEvent = {
        rep: s.rep,
        lead: s.lead,
        customerType: s.customerType,
        customerRole: s.customerId ? (roles.get(s.customerId) ?? null) : null,
        at: s.at.toISOString(),
        type: 'stage',
        name: s.stage,
      };
      if (s.stage === 'won') e.amount = s.amount ?? 0;
      events.push(e);
    }
    for (const b of behaviors) {
      events.push({
        rep: b.rep,
        lead: b.lead,
        customerType: b.customerType,
        customerRole: b.customerId ? (roles.get(b.customerId) ?? null) : null,
        at: b.at.toISOString(),
        type: 'behavior',
        name: b.behavior as MiningEvent['name'],
      });
    }
    return events;
  }

  /**
   * The tenant's analysed recordings that belong to a lead, in pages (keyset by recording id): analyses carry whole
   * transcripts, so the caller keeps only what it derives from each page before the next is read.
   */
  async *evidenceRecordings(tenantId: string, pageSize = 200): AsyncGenerator<EvidenceRecordingRow[]> {
    const roles = await this.customerRoles(tenantId);
    let afterId: string | null = null;
    for (;;) {
      const rows = await this.db
        .select({
          recordingId: recordings.id,
          rep: reps.externalId,
          lead: leads.externalId,
          at: sql<Date>`coalesce(${recordings.recordedAt}, ${recordings.createdAt})`.mapWith(recordings.createdAt),
          customerId: customers.id,
          customerType: customers.customerType,
          audio: sql<boolean>`(${recordings.kind} = 'audio' and ${recordings.normalizedKey} is not null)`.mapWith(Boolean),
          segments: sql<AnalyzedSegment[]>`${analyses.result} -> 'segments'`.mapWith(parseJson),
        })
        .from(analyses)
        .innerJoin(recordings, eq(recordings.id, analyses.recordingId))
        .innerJoin(reps, eq(reps.id, recordings.repId))
        .innerJoin(leads, eq(leads.id, recordings.leadId))
        .leftJoin(customers, eq(customers.id, sql`coalesce(${recordings.customerId}, ${leads.customerId})`))
        .where(and(eq(analyses.tenantId, tenantId), afterId ? gt(recordings.id, afterId) : undefined))
        .orderBy(asc(recordings.id))
        .limit(pageSize);
      if (!rows.length) return;
      yield rows.map(({ customerId, ...r }) => ({ ...r, customerRole: customerId ? (roles.get(customerId) ?? null) : null }));
      if (rows.length < pageSize) return;
      afterId = rows[rows.length - 1].recordingId;
    }
  }

  /** Reconciler: runs still queued or running since before `before`. */
  async unfinished(before: Date): Promise<Array<{ tenantId: string; id: string }>> {
    return this.db
      .select({ tenantId: miningRuns.tenantId, id: miningRuns.id })
      .from(miningRuns)
      .where(and(sql`${miningRuns.status} in ('queued', 'running')`, lt(miningRuns.createdAt, before)));
  }

  /** The role of each customer's first contact (by name) that has one: it picks coaching templates. */
  private async customerRoles(tenantId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ customerId: customerContacts.customerId, role: customerContacts.role })
      .from(customerContacts)
      .where(and(eq(customerContacts.tenantId, tenantId), isNotNull(customerContacts.role)))
      .orderBy(asc(customerContacts.customerId), asc(customerContacts.name));
    const roles = new Map<string, string>();
    for (const r of rows) if (!roles.has(r.customerId)) roles.set(r.customerId, r.role as string);
    return roles;
  }
}

/** A jsonb expression may reach us as text depending on the driver (postgres-js, PGlite). */
function parseJson(v: unknown): AnalyzedSegment[] {
  return (typeof v === 'string' ? JSON.parse(v) : v) as AnalyzedSegment[];
}
