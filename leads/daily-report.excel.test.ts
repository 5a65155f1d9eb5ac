import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_PATH } from '../fixtures/daily-report/make-sample.ts';
import { parseDailyReport } from './daily-report.excel.ts';

describe('销售日报 Excel import', () => {
  it('reads the committed sample: good rows in, bad rows reported with their row numbers', async () => {
    const parsed = await parseDailyReport(fs.readFileSync(SAMPLE_PATH));
    expect(parsed.rows.map((r) => [r.row, r.day, r.repId, r.customerId, r.score, r.interactions])).toEqual([
      [3, '2026-11-02', 'r01', 'C-WZ-01', 2, 2],
      [4, '2026-11-03', 'r01', 'C-WZ-01', 1, 1],
      [5, '2026-11-04', 'r01', 'C-WZ-01', 2, 1],
      [6, '2026-11-02', 'r02', 'C-CZ-07', 4, 1],
      [7, '2026-11-03', 'r02', 'C-CZ-07', 5, 3],
    ]);
    expect(parsed.rows[0].customerName).toBe('温州阀门出口');
    expect(parsed.rows[0].progress).toBe('客户抱怨交期，要求再降 5%');
    expect(parsed.errors.map((e) => [e.row, e.code])).toEqual([
      [8, 'invalid_attitude_score'],
      [9, 'invalid_day'],
    ]);
    expect(parsed.errors[0].message).toContain('第 8 行');
  });

  it('rejects a file that is not a workbook with a clear code', async () => {
    await expect(parseDailyReport(Buffer.from('日期,销售\n'))).rejects.toMatchObject({ code: 'invalid_excel', kind: 'invalid_input' });
  });
});
