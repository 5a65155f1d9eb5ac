import { UnrecoverableError } from 'bullmq';
import { errorInfo, isPermanent, TooLargeError } from '../../core/errors.ts';
import { verifyZip, zipEntries } from '../../ingest/zip-inspect.ts';
import { readDailyReport } from '../../leads/daily-report.excel.ts';
import { importDailyReport } from '../../leads/service/attitude.service.ts';
import { defineJob } from '../deps.ts';

const SHEET = /^xl\/worksheets\/[^/]+\.xml$/;

/**
 * One uploaded 销售日报 workbook, away from the API: the archive is checked part by part (declared sizes, then the
 * real ones, counting the sheet's rows) before the streaming reader stores a single row, so an oversized workbook
 * fails whole instead of half-imported. Progress goes to the import row and the job; the file is deleted at the end.
 */
export const attitudeImportJob = defineJob({
  name: 'attitude-import',
  handler: async ({ importId }, deps) => {
    const imp = await deps.repos.imports.getForJob(importId);
    if (!imp || imp.status === 'done' || imp.status === 'failed') return;
    await deps.repos.imports.start(imp.id);
    const { config } = deps;
    const file = await deps.storage.localPath(imp.storageKey);
    try {
      const entries = await zipEntries(file, { maxUncompressedBytes: config.EXCEL_MAX_UNCOMPRESSED_BYTES });
      let rows = 0;
      let carry = '';
      await verifyZip(file, entries, (entry, chunk) => {
        if (!SHEET.test(entry.name)) return;
        const text = carry + chunk.toString('latin1');
        rows += text.split('<row ').length - 1;
        carry = text.slice(-4);
      });
      // The header (and a title row above it) are rows too; a little slack keeps a sheet of exactly maxRows in.
      if (rows > config.EXCEL_MAX_ROWS + 10) {
        throw new TooLargeError('excel_too_many_rows', `工作簿约 ${rows} 行，超过 ${config.EXCEL_MAX_ROWS} 行上限，请拆分后再导入 / ${rows} rows, over the ${config.EXCEL_MAX_ROWS}-row limit: split the workbook`);
      }
      const items = readDailyReport(file, { maxRows: config.EXCEL_MAX_ROWS, maxCellChars: config.EXCEL_MAX_CELL_CHARS });
      await importDailyReport(deps, imp.tenantId, items, async (s) => {
        await deps.repos.imports.progress(imp.id, s);
        deps.progress?.(rows ? Math.min(99, (100 * s.rowsRead) / rows) : 50);
      }).then((s) => deps.repos.imports.progress(imp.id, s));
      await deps.repos.imports.finish(imp.id, { status: 'done' });
      await deps.storage.delete(imp.storageKey);
    } catch (err) {
      if (!isPermanent(err)) throw err;
      const { code, message } = errorInfo(err);
      await deps.repos.imports.finish(imp.id, { status: 'failed', code, message });
      await deps.storage.delete(imp.storageKey);
      throw new UnrecoverableError(`${code}: ${message}`);
    }
  },
  onExhausted: async ({ importId }, err, deps) => {
    const imp = await deps.repos.imports.getForJob(importId);
    if (!imp || imp.status === 'done') return;
    await deps.repos.imports.finish(imp.id, { status: 'failed', code: 'stage_failed', message: `导入多次重试仍失败 / the import failed after retries: ${errorInfo(err).message}` });
    await deps.storage.delete(imp.storageKey);
  },
});
