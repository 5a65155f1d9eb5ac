import { and, asc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { attitudeScores, customers, recordings, reps } from '../schema.ts';

export type AttitudeRow = typeof attitudeScores.$inferSelect;

/** Customer attitude scores and the touchpoint counts PHI compares them with. */
export class AttitudeRepository {
  constructor(private readonly db: Db) {}

  /** Upserts by (customer, rep, day, source key): importing the same 销售日报 twice changes nothing. */
  async upsert(rows: Array<typeof attitudeScores.$inferInsert>): Promise<number> {
    if (!rows.length) return 0;
    const res = await this.db
      .insert(attitudeScores)
      .values(rows)
      .onConflictDoUpdate({
        target: [attitudeScores.tenantId, attitudeScores.customerId, attitudeScores.repId, attitudeScores.day, attitudeScores.sourceKey],
        set: {
          score: sql`excluded.score`,
          progress: sql`excluded.progress`,
          interactions: sql`excluded.interactions`,
          updatedAt: new Date(),
        },
      })
      .returning({ id: attitudeScores.id });
    return res.length;
  }

  /** Scores with CRM ids, for days from..to inclusive, optionally one team's reps or some customers. */
  async list(tenantId: string, filter: { from: string; to: string; team?: string; customerIds?: string[] }) {
    const conds: SQL[] = [eq(attitudeScores.tenantId, tenantId), gte(attitudeScores.day, filter.from), lte(attitudeScores.day, filter.to)];
    if (filter.team) conds.push(eq(reps.team, filter.team));
    // drizzle turns an empty list into `false`: no customers, no scores.
    if (filter.customerIds) conds.push(inArray(attitudeScores.customerId, filter.customerIds));
    return this.db
      .select({
        customerId: customers.externalId,
        customerName: customers.name,
        repId: reps.externalId,
        team: reps.team,
        day: attitudeScores.day,
        score: attitudeScores.score,
        source: attitudeScores.source,
        progress: attitudeScores.progress,
        interactions: attitudeScores.interactions,
      })
      .from(attitudeScores)
      .innerJoin(customers, eq(customers.id, attitudeScores.customerId))
      .innerJoin(reps, eq(reps.id, attitudeScores.repId))
      .where(and(...conds))
      .orderBy(asc(customers.externalId), asc(attitudeScores.day));
  }

  /**
   * Per rep × customer × Shanghai day in from..to: interactions the rep reported and recordings the system holds.
   * Recordings count by recorded_at (upload time when unknown).
   */
  async touchpoints(tenantId: string, from: string, to: string, team?: string) {
    const reported = await this.db
      .select({
        repId: reps.externalId,
        team: reps.team,
        customerId: customers.externalId,
        day: attitudeScores.day,
        reported: sql<number>`sum(${attitudeScores.interactions})::int`,
      })
      .from(attitudeScores)
      .innerJoin(customers, eq(customers.id, attitudeScores.customerId))
      .innerJoin(reps, eq(reps.id, attitudeScores.repId))
      .where(
        and(
          eq(attitudeScores.tenantId, tenantId),
          eq(attitudeScores.source, 'report'),
          gte(attitudeScores.day, from),
          lte(attitudeScores.day, to),
          ...(team ? [eq(reps.team, team)] : []),
        ),
      )
      .groupBy(reps.externalId, reps.team, customers.externalId, attitudeScores.day);
    const dayExpr = sql<string>`to_char(coalesce(${recordings.recordedAt}, ${recordings.createdAt}) at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
    const recorded = await this.db
      .select({ repId: reps.externalId, customerId: customers.externalId, day: dayExpr, recorded: sql<number>`count(*)::int` })
      .from(recordings)
      .innerJoin(customers, eq(customers.id, recordings.customerId))
      .innerJoin(reps, eq(reps.id, recordings.repId))
      .where(and(eq(recordings.tenantId, tenantId), sql`${dayExpr} between ${from} and ${to}`, ...(team ? [eq(reps.team, team)] : [])))
      .groupBy(reps.externalId, customers.externalId, dayExpr);
    const rec = new Map(recorded.map((r) => [`${r.repId}\u0000${r.customerId}\u0000${r.day}`, Number(r.recorded)]));
    return reported.map((r) => ({
      repId: r.repId,
      teamId: r.team,
      customerId: r.customerId,
      day: r.day,
      reported: Number(r.reported),
      recorded: rec.get(`${r.repId}\u0000${r.customerId}\u0000${r.day}`) ?? 0,
    }));
  }
}
