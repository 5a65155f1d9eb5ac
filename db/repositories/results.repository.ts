import { and, asc, eq, gt, ne, sql, type SQL } from 'drizzle-orm';
import type { FileResultOk, Segment } from '../../analyze/types.ts';
import type { Db } from '../client.ts';
import { analyses, behaviorEvents, commitments, followUpTasks, recordings, transcripts } from '../schema.ts';
import { reconcileCommitments } from '../../leads/reconcile-commitments.ts';
import type { RecordingRow, RecordingScope } from './recordings.repository.ts';
import { isUuid } from '../../core/ids.ts';
import { requireBox, type SecretBox } from '../../core/secret-box.ts';

export type AnalysisRow = typeof analyses.$inferSelect;
export type CommitmentRow = typeof commitments.$inferSelect;

/**
 * Stage results. Every write is an upsert keyed by recording (and segment), so a retried or re-run job
 * overwrites its own earlier output instead of adding a second copy.
 */
export class ResultsRepository {
  constructor(private readonly db: Db, private readonly secrets?: SecretBox) {}

  /**
   * `segments` are what every reader sees (already redacted); `pii.original`, the segments before redaction, is
   * stored sealed, for admins who ask for it (GET …/transcript/original, audited).
   */
  async saveTranscript(
    rec: Pick<RecordingRow, 'id' | 'tenantId'>,
    source: string,
    segments: Segment[],
    pii?: { original: Segment[]; counts: Record<string, number> },
  ): Promise<void> {
    const redacted = pii && Object.keys(pii.counts).length > 0;
    const originalSegments = redacted ? requireBox(this.secrets).seal(JSON.stringify(pii.original)) : null;
    const redactions = redacted ? pii.counts : {};
    await this.db
      .insert(transcripts)
      .values({ recordingId: rec.id, tenantId: rec.tenantId, source, segments, originalSegments, redactions })
      .onConflictDoUpdate({
        target: transcripts.recordingId,
        set: { source, segments, originalSegments, redactions, updatedAt: new Date() },
      });
  }

  /** The segments before redaction, or null when nothing was redacted. */
  async originalSegments(tenantId: string, recordingId: string): Promise<Segment[] | null> {
    const row = await this.getTranscript(tenantId, recordingId);
    if (!row?.originalSegments) return null;
    return JSON.parse(requireBox(this.secrets).open(row.originalSegments)) as Segment[];
  }

  async getTranscript(tenantId: string, recordingId: string) {
    const [row] = await this.db
      .select()
      .from(transcripts)
      .where(and(eq(transcripts.tenantId, tenantId), eq(transcripts.recordingId, recordingId)));
    return row;
  }

  /**
   * Saves the analysis with what it implies (behaviour events for mining, commitments for follow-ups) in one
   * transaction: either all of a run's output is visible or none.
   */
  async saveAnalysis(rec: RecordingRow, result: FileResultOk): Promise<CommitmentRow[]> {
    const behaviorCounts: Record<string, number> = {};
    for (const seg of result.segments) for (const b of seg.behaviors) behaviorCounts[b] = (behaviorCounts[b] ?? 0) + 1;
    const base = (rec.recordedAt ?? rec.createdAt).getTime();
    const values = {
      lexiconVersion: result.lexiconVersion,
      result,
      tagCounts: result.tagCounts,
      behaviorCounts,
      metrics: result.metrics,
    };
    return this.db.transaction(async (tx) => {
      await tx
        .insert(analyses)
        .values({ recordingId: rec.id, tenantId: rec.tenantId, ...values })
        .onConflictDoUpdate({ target: analyses.recordingId, set: { ...values, updatedAt: new Date() } });

      await tx.delete(behaviorEvents).where(eq(behaviorEvents.recordingId, rec.id));
      const events = result.segments.flatMap((seg, i) =>
        seg.behaviors.map((behavior) => ({
          tenantId: rec.tenantId,
          recordingId: rec.id,
          repId: rec.repId,
          leadId: rec.leadId,
          customerId: rec.customerId,
          behavior,
          segmentIndex: i,
          at: new Date(base + Math.round((seg.start ?? 0) * 1000)),
        })),
      );
      if (events.length) await tx.insert(behaviorEvents).values(events).onConflictDoNothing();

      // Commitments are reconciled, not replaced: follow-up tasks hang off them and must keep their state, also when
      // a new lexicon finds a promise on another line or with a more precise deadline (leads/reconcile-commitments.ts).
      const stored = await tx
        .select({
          id: commitments.id,
          by: commitments.by,
          segmentIndex: commitments.segmentIndex,
          text: commitments.text,
          dueAt: commitments.dueAt,
          taskStatus: followUpTasks.status,
        })
        .from(commitments)
        .leftJoin(followUpTasks, eq(followUpTasks.commitmentId, commitments.id))
        .where(and(eq(commitments.recordingId, rec.id), ne(commitments.status, 'withdrawn')));
      const plan = reconcileCommitments(stored, result.commitments);
      const now = new Date();
      for (const k of plan.keep) {
        await tx
          .update(commitments)
          .set({ segmentIndex: k.next.segment, text: k.next.text, dueAt: k.next.dueAt ? new Date(k.next.dueAt) : null, updatedAt: now })
          .where(eq(commitments.id, k.id));
      }
      for (const g of plan.gone) {
        // A promise with no task yet leaves no trace; one with a task stays as history, its open task cancelled.
        if (g.taskStatus === null) await tx.delete(commitments).where(eq(commitments.id, g.id));
        else {
          await tx.update(commitments).set({ status: 'withdrawn', updatedAt: now }).where(eq(commitments.id, g.id));
          if (g.taskStatus === 'open') {
            await tx.update(followUpTasks).set({ status: 'cancelled', updatedAt: now }).where(eq(followUpTasks.commitmentId, g.id));
          }
        }
      }
      if (plan.add.length) {
        await tx.insert(commitments).values(
          plan.add.map((c) => ({
            tenantId: rec.tenantId,
            recordingId: rec.id,
            repId: rec.repId,
            leadId: rec.leadId,
            customerId: rec.customerId,
            segmentIndex: c.segment,
            text: c.text,
            dueAt: c.dueAt ? new Date(c.dueAt) : null,
            by: c.by ?? 'rep',
          })),
        );
      }
      return tx
        .select()
        .from(commitments)
        .where(and(eq(commitments.recordingId, rec.id), ne(commitments.status, 'withdrawn')))
        .orderBy(asc(commitments.segmentIndex), asc(commitments.createdAt));
    });
  }

  async getAnalysis(tenantId: string, recordingId: string): Promise<AnalysisRow | undefined> {
    const [row] = await this.db
      .select()
      .from(analyses)
      .where(and(eq(analyses.tenantId, tenantId), eq(analyses.recordingId, recordingId)));
    return row;
  }

  /**
   * The API's hot read: scope check, status and the result's JSON text in one round trip. undefined = not visible
   * to this scope; resultJson null = not analyzed (yet).
   */
  async analysisForScope(scope: RecordingScope, recordingId: string) {
    if (!isUuid(recordingId)) return undefined;
    const [row] = await this.analysisQuery().execute({ tenantId: scope.tenantId, id: recordingId, repId: scope.repId ?? null });
    return row;
  }

  // Built once: drizzle's query building costs more than the query itself on this hot path.
  private prepared?: ReturnType<ResultsRepository['buildAnalysisQuery']>;
  private analysisQuery() {
    return (this.prepared ??= this.buildAnalysisQuery());
  }
  private buildAnalysisQuery() {
    return this.db
      // As text: the API sends it on unchanged, with no parse and re-serialize per request.
      .select({ status: recordings.status, resultJson: sql<string | null>`${analyses.result}::text` })
      .from(recordings)
      .leftJoin(analyses, eq(analyses.recordingId, recordings.id))
      .where(
        and(
          eq(recordings.tenantId, sql.placeholder('tenantId')),
          eq(recordings.id, sql.placeholder('id')),
          sql`(${sql.placeholder('repId')}::uuid is null or ${recordings.repId} = ${sql.placeholder('repId')}::uuid)`,
        ),
      )
      .prepare('analysis_for_scope');
  }

  /** Analyzed recordings of a tenant whose analysis used another lexicon version (all of them with `all`). */
  /**
   * One page, in id order, of the tenant's analyzed recordings whose analysis used another lexicon (or all of them):
   * the reanalyze job walks them with `after` so a large tenant never sits in memory.
   */
  async staleAnalyses(
    tenantId: string,
    lexiconVersion: string,
    opts: { all?: boolean; after?: string; limit: number },
  ): Promise<Array<{ id: string; generation: number }>> {
    return this.db
      .select({ id: recordings.id, generation: recordings.generation })
      .from(recordings)
      .innerJoin(analyses, eq(analyses.recordingId, recordings.id))
      .where(and(...this.staleWhere(tenantId, lexiconVersion, opts.all ?? false), ...(opts.after ? [gt(recordings.id, opts.after)] : [])))
      .orderBy(asc(recordings.id))
      .limit(opts.limit);
  }

  async countStaleAnalyses(tenantId: string, lexiconVersion: string, all = false): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(recordings)
      .innerJoin(analyses, eq(analyses.recordingId, recordings.id))
      .where(and(...this.staleWhere(tenantId, lexiconVersion, all)));
    return row.n;
  }

  private staleWhere(tenantId: string, lexiconVersion: string, all: boolean): SQL[] {
    const conds: SQL[] = [eq(recordings.tenantId, tenantId), eq(recordings.status, 'analyzed')];
    if (!all) conds.push(sql`${analyses.lexiconVersion} <> ${lexiconVersion}`);
    return conds;
  }

  async countAnalyses(recordingId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(analyses)
      .where(eq(analyses.recordingId, recordingId));
    return row.n;
  }

  /** The recording's current commitments (withdrawn ones are history of an earlier analysis, not listed). */
  async commitmentsFor(tenantId: string, recordingId: string): Promise<CommitmentRow[]> {
    return this.db
      .select()
      .from(commitments)
      .where(and(eq(commitments.tenantId, tenantId), eq(commitments.recordingId, recordingId), ne(commitments.status, 'withdrawn')))
      .orderBy(commitments.segmentIndex, commitments.createdAt);
  }

}
