import { InvalidInputError } from '../../core/errors.ts';
import { assertAttitudeScore, assertDay, dailyScores, heatMap, redFlags, type AttitudeEntry } from '../attitude.ts';
import { redactText } from '../../analyze/redact.ts';
import type { DailyReportItem, DailyReportRow } from '../daily-report.excel.ts';
import { redFlagNotification } from '../messages.ts';
import { addDays } from '../../core/time.ts';
import type { LeadDeps } from './deps.ts';
import { notify, recipientOf } from './notify.service.ts';

export interface AttitudeReport {
  day: string;
  repId: string;
  customerId: string;
  customerName?: string | null;
  score: number;
  progress?: string | null;
  interactions?: number;
}

/**
 * Stores daily-report scores (unknown reps and customers are created, as on upload) and raises a red flag for each
 * customer whose reported days now end a run of 3 consecutive days ≤ 2.
 */
export async function recordAttitude(deps: LeadDeps, tenantId: string, reports: AttitudeReport[]) {
  for (const r of reports) {
    assertDay(r.day);
    assertAttitudeScore(r.score);
    if (r.interactions !== undefined && (!Number.isInteger(r.interactions) || r.interactions < 0)) {
      throw new InvalidInputError('invalid_interactions', '互动次数应为非负整数 / interactions must be a non-negative integer');
    }
  }
  const rows = [];
  const customerIds = new Map<string, string>();
  // Each rep and customer is looked up once per call (two round trips each), however many rows name them.
  const repsById = new Map((await deps.repos.reps.ensureMany(tenantId, [...new Set(reports.map((r) => r.repId))])).map((r) => [r.externalId, r]));
  const customersById = new Map((await deps.repos.customers.ensureMany(tenantId, [...new Set(reports.map((r) => r.customerId))])).map((c) => [c.externalId, c]));
  for (const r of reports) {
    const rep = repsById.get(r.repId)!;
    const customer = customersById.get(r.customerId)!;
    if (r.customerName && !customer.name) {
      await deps.repos.customers.upsert(tenantId, r.customerId, { name: r.customerName });
      customer.name = r.customerName;
    }
    customerIds.set(customer.id, r.customerId);
    rows.push({
      tenantId,
      customerId: customer.id,
      repId: rep.id,
      day: r.day,
      score: r.score,
      source: 'report' as const,
      sourceKey: 'report',
      // Reps type phone numbers and the like into 关键进展 too: stored redacted, as transcripts are.
      progress: r.progress ? redactText(r.progress).text : null,
      interactions: r.interactions ?? 1,
    });
  }
  const saved = await deps.repos.attitude.upsert(rows);
  const flags = await raiseRedFlags(deps, tenantId, [...customerIds.keys()], new Set(reports.map((r) => `${r.customerId}\u0000${r.day}`)));
  return { saved, redFlags: flags };
}

/**
 * Red flags whose run includes one of the just-scored days (`customer CRM id \0 day`), each notified to the
 * supervisors of the reps who reported on that customer.
 */
export async function raiseRedFlags(deps: LeadDeps, tenantId: string, customerIds: string[], touched: Set<string>) {
  if (!customerIds.length || !touched.size) return [];
  const days = [...touched].map((k) => k.split('\u0000')[1]).sort();
  const list = await deps.repos.attitude.list(tenantId, { from: addDays(days[0], -7), to: addDays(days[days.length - 1], 7), customerIds });
  const entries: AttitudeEntry[] = list.map((r) => ({ customerId: r.customerId, repId: r.repId, day: r.day, score: r.score, source: r.source }));
  const names = new Map(list.map((r) => [r.customerId, r.customerName]));
  const flags = redFlags(dailyScores(entries)).filter((f) => f.days.some((d) => touched.has(`${f.customerId}\u0000${d}`)));
  for (const f of flags) {
    const repIds = [...new Set(list.filter((r) => r.customerId === f.customerId).map((r) => r.repId))];
    const people = [];
    for (const id of repIds) {
      const rep = await deps.repos.reps.getByExternalId(tenantId, id);
      const sup = rep?.supervisorId ? await deps.repos.reps.getById(tenantId, rep.supervisorId) : undefined;
      if (sup) people.push(recipientOf(sup));
    }
    await notify(deps, tenantId, redFlagNotification({ customerId: f.customerId, name: names.get(f.customerId) ?? null }, f.days, f.scores, people));
  }
  return flags;
}

export interface ImportSummary {
  rowsRead: number;
  rowsImported: number;
  rowsFailed: number;
  /** The first MAX_REPORTED_ERRORS bad rows; the count is in rowsFailed. */
  errors: Array<{ row: number; code: string; message: string }>;
  redFlags: number;
}

const BATCH = 500;
export const MAX_REPORTED_ERRORS = 100;

/**
 * 销售日报 import from a stream of rows: good rows are stored in batches (each an upsert, so a retried import adds
 * nothing twice), bad rows are counted and the first of them kept with their row numbers. `onProgress` gets the
 * running summary after every batch.
 */
export async function importDailyReport(
  deps: LeadDeps,
  tenantId: string,
  items: AsyncIterable<DailyReportItem>,
  onProgress: (s: ImportSummary) => Promise<void> = async () => {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { rowsRead: 0, rowsImported: 0, rowsFailed: 0, errors: [], redFlags: 0 };
  let batch: DailyReportRow[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const out = await recordAttitude(deps, tenantId, batch.map(toReport));
    summary.rowsImported += batch.length;
    summary.redFlags += out.redFlags.length;
    batch = [];
    await onProgress(summary);
  };
  for await (const item of items) {
    summary.rowsRead++;
    if ('row' in item) {
      batch.push(item.row);
      if (batch.length >= BATCH) await flush();
    } else {
      summary.rowsFailed++;
      if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push(item.error);
    }
  }
  await flush();
  return summary;
}

const toReport = (r: DailyReportRow): AttitudeReport => ({
  day: r.day,
  repId: r.repId,
  customerId: r.customerId,
  customerName: r.customerName,
  score: r.score,
  progress: r.progress,
  interactions: r.interactions,
});

/** The 客户情绪趋势 heat map and red flags for a period (days inclusive). */
export async function attitudeHeatMap(deps: LeadDeps, tenantId: string, q: { from: string; to: string; team?: string }) {
  assertDay(q.from);
  assertDay(q.to);
  if (q.from > q.to) throw new InvalidInputError('invalid_period', '开始日期晚于结束日期 / from is after to');
  // Look back two days so a red run that started just before the period is still recognised.
  const list = await deps.repos.attitude.list(tenantId, { from: addDays(q.from, -2), to: q.to, team: q.team });
  const scores = dailyScores(list.map((r) => ({ customerId: r.customerId, repId: r.repId, day: r.day, score: r.score, source: r.source })));
  const map = heatMap(scores, q.from, q.to);
  const names = Object.fromEntries(list.map((r) => [r.customerId, r.customerName]));
  return {
    ...map,
    rows: map.rows.map((r) => ({ ...r, customerName: names[r.customerId] ?? null })),
    redFlags: redFlags(scores).filter((f) => f.days[f.days.length - 1] >= q.from),
  };
}
