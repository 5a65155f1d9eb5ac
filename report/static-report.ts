import fs from 'node:fs';
import path from 'node:path';
import type { Repositories } from '../db/repositories/index.ts';
import type { Storage } from '../ingest/storage.ts';
import { attachmentFile } from './attachments.ts';
import { buildSite } from './build-site.ts';
import { computeInsights, isCurrent, mineReportData, type Insights } from './compute.ts';
import { safeId } from './links.ts';
import { loadReportData } from './load-report-data.ts';
import type { ReportData } from './report-data.ts';

export interface StaticReportOptions {
  outDir: string;
  asOf: Date;
  window: { from: Date; to: Date };
  notes?: string[];
  transcriptNotes?: string[];
  /** Mine now with this top share; when unset, the latest stored mining run is used (mined now if there is none). */
  topShare?: number;
  /** Called between steps so a CLI can show progress. */
  onStep?: (step: 'load' | 'compute' | 'render' | 'write') => void;
}

export interface StaticReportResult {
  indexPath: string;
  pages: number;
  data: ReportData;
  insights: Insights;
}

/**
 * Writes a tenant's report as static files: index.html (team overview) and one page per rep, recording and lead,
 * all with relative links, plus the normalized audio of audio recordings under audio/ so the player works offline
 * and the leads' evidence files under files/.
 * The folder is replaced, so a stale page from an earlier run cannot linger.
 */
export async function writeStaticReport(
  deps: { repos: Repositories; storage: Storage },
  tenantId: string,
  opts: StaticReportOptions,
): Promise<StaticReportResult> {
  opts.onStep?.('load');
  const audio = new Map<string, string>();
  const data = await loadReportData(deps.repos, tenantId, {
    asOf: opts.asOf,
    window: opts.window,
    notes: opts.notes,
    transcriptNotes: opts.transcriptNotes,
    audioHref: (rec) => {
      const name = `audio/${safeId(rec.id)}.wav`;
      audio.set(name, rec.normalizedKey as string);
      return name;
    },
  });
  opts.onStep?.('compute');
  const stored = opts.topShare === undefined ? await deps.repos.mining.latestDone(tenantId) : undefined;
  // A run stored by an older mining method is mined afresh rather than shown.
  const insights = computeInsights(data, isCurrent(stored?.result) ? stored.result : mineReportData(data, opts.topShare));
  opts.onStep?.('render');
  const pages = buildSite(data, insights);
  opts.onStep?.('write');
  const out = path.resolve(opts.outDir);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'audio'), { recursive: true });
  for (const [name, html] of pages) fs.writeFileSync(path.join(out, name), html);
  for (const [name, key] of audio) {
    if (await deps.storage.exists(key)) fs.copyFileSync(await deps.storage.localPath(key), path.join(out, name));
  }
  // Evidence files the lead pages link (files/<id>.<ext>), so 营业执照.pdf opens from the folder as it does online.
  const files = new Map(data.leads.flatMap((l) => l.history.flatMap((h) => h.evidence.map((e) => [attachmentFile(e.id, e.name), e.storageKey] as const))));
  if (files.size) fs.mkdirSync(path.join(out, 'files'), { recursive: true });
  for (const [name, key] of files) {
    if (await deps.storage.exists(key)) fs.copyFileSync(await deps.storage.localPath(key), path.join(out, name));
  }
  return { indexPath: path.join(out, 'index.html'), pages: pages.size, data, insights };
}
