import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from '../workers/bullmq.ts';
import { withQueue } from '../workers/ports.ts';
import { openService, type Service } from '../workers/service.ts';
import { testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';
import { multipart } from './test-helpers.ts';

/**
 * 销售日报 workbooks built to hurt: a huge cell, an archive that lies about its sizes, ids longer than the API
 * allows, and 20 000 valid rows. Refusals come at upload where the archive's own directory shows them, the rest in
 * the job; the answer is always a summary.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers;
let app: FastifyInstance;
let key = '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-xlsx-'));
const HEADER = ['日期', '销售', '客户', '客户名称', '客户态度', '关键进展'];

async function workbook(name: string, rows: unknown[][], useSharedStrings = false): Promise<Buffer> {
  const file = path.join(tmp, name);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
  const ws = wb.addWorksheet('日报');
  ws.addRow(HEADER).commit();
  for (const r of rows) ws.addRow(r).commit();
  await wb.commit();
  return fs.readFileSync(file);
}

async function post(content: Buffer) {
  const body = multipart({}, { name: '销售日报.xlsx', content });
  return app.inject({ method: 'POST', url: '/v1/attitude-reports/import', payload: body.payload, headers: { ...body.headers, authorization: `Bearer ${key}` } });
}

async function finished(id: string) {
  return waitFor(async () => {
    const r = (await app.inject({ url: `/v1/attitude-reports/imports/${id}`, headers: { authorization: `Bearer ${key}` } })).json();
    return r.status === 'done' || r.status === 'failed' ? r : null;
  }, 120_000, 200);
}

const storedFiles = () => (fs.readdirSync(env.storageDir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).length;
const scores = async () => ((await service.db.execute(sql`select count(*)::int as n from attitude_scores`)) as unknown as Array<{ n: number }>)[0].n;

beforeAll(async () => {
  env = await testEnvironment('xlsx', { EXCEL_MAX_UNCOMPRESSED_BYTES: String(5 * 1024 * 1024), EXCEL_MAX_ROWS: '25000' });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  workers = startBullWorkers(withQueue(service, queue), env.config, ['attitude-import']);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  key = (await service.repos.apiKeys.create({ tenantId: (await service.repos.tenants.ensure('日报公司')).id, role: 'integration' })).key;
});

afterAll(async () => {
  await app?.close();
  await workers?.close();
  await queue?.close();
  await service?.close();
  await env?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('销售日报 import under attack', () => {
  it('refuses at upload a small workbook whose archive declares a huge cell, keeping nothing', async () => {
    const bomb = await workbook('bomb.xlsx', [['2026-11-02', 'r1', 'C1', '客户', 3, 'x'.repeat(8 * 1024 * 1024)]]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const res = await post(bomb);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('excel_too_large');
    expect(res.body.length).toBeLessThan(1000);
    expect(storedFiles()).toBe(0);
    expect(((await service.db.execute(sql`select count(*)::int as n from attitude_imports`)) as unknown as Array<{ n: number }>)[0].n).toBe(0);
  });

  it('fails in the job an archive that lies about its sizes, before storing a row', async () => {
    const honest = await workbook('liar.xlsx', Array.from({ length: 50 }, (_, i) => ['2026-11-02', `r${i}`, `C${i}`, '客户', 3, '进展'.repeat(50)]));
    // Rewrite the sheet's declared size in the central directory to 100 bytes; the data inflates to far more.
    const liar = Buffer.from(honest);
    for (let at = liar.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1')); at >= 0; at = liar.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'), at - 1)) {
      const name = liar.toString('utf8', at + 46, at + 46 + liar.readUInt16LE(at + 28));
      if (name.startsWith('xl/worksheets/')) liar.writeUInt32LE(100, at + 24);
      if (at === 0) break;
    }
    const res = await post(liar);
    expect(res.statusCode).toBe(202);
    const out = await finished(res.json().id);
    expect(out).toMatchObject({ status: 'failed', error: { code: 'excel_too_large' }, rows: { imported: 0 } });
    expect(await scores()).toBe(0);
    expect(storedFiles()).toBe(0);
  });

  it('applies the API’s id and length rules to every row and answers a summary, never the cells', async () => {
    const long = 'R'.repeat(40_000);
    const res = await post(
      await workbook('ids.xlsx', [
        ['2026-11-02', long, 'C1', '客户', 3, ''],
        ['2026-11-02', 'r'.repeat(200), 'C1', '客户', 3, ''],
        ['2026-11-02', 'r-ok', 'C1', '客户', 3, '客户电话 13812345678'],
      ]),
    );
    const out = await finished(res.json().id);
    expect(out.status).toBe('done');
    expect(out.rows).toEqual({ read: 3, imported: 1, failed: 2 });
    expect(out.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([[2, 'cell_too_long'], [3, 'invalid_crm_id']]);
    expect(JSON.stringify(out)).not.toContain('RRRR');
    const reps = (await service.db.execute(sql`select max(length(external_id))::int as n from reps`)) as unknown as Array<{ n: number }>;
    expect(reps[0].n).toBeLessThanOrEqual(128);
    const progress = (await service.db.execute(sql`select progress from attitude_scores`)) as unknown as Array<{ progress: string }>;
    expect(progress[0].progress).toBe('客户电话 [手机号]');
  });

  it('imports 20 000 valid rows, with progress, and deletes the uploaded file', async () => {
    const before = await scores();
    const rows = Array.from({ length: 20_000 }, (_, i) => [`2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, `r${i % 40}`, `C${i % 2000}`, `客户${i % 2000}`, 1 + (i % 5), '跟进中']);
    const res = await post(await workbook('big.xlsx', rows, true));
    expect(res.statusCode).toBe(202);
    const seen = new Set<number>();
    const out = await waitFor(async () => {
      const r = (await app.inject({ url: `/v1/attitude-reports/imports/${res.json().id}`, headers: { authorization: `Bearer ${key}` } })).json();
      seen.add(r.rows.imported);
      return r.status === 'done' || r.status === 'failed' ? r : null;
    }, 180_000, 100);
    expect(out).toMatchObject({ status: 'done', rows: { read: 20_000, imported: 20_000, failed: 0 } });
    expect(await scores()).toBe(before + 20_000);
    // Progress was visible on the way (batches of 500), not only at the end.
    expect([...seen].some((n) => n > 0 && n < 20_000)).toBe(true);
    expect(storedFiles()).toBe(0);
  }, 240_000);
});
