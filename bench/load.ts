/**
 * `npm run bench:load`: does heavy work stay out of the API's way? `tingjian serve` and `tingjian worker` as deployed
 * (own processes, Postgres, Redis), measured side by side in one run:
 *  1. idle: BENCH_CONNECTIONS clients read GET /v1/recordings/:id/analysis for BENCH_SECONDS;
 *  2. loaded: the same reads while a 20 000-row 销售日报 workbook is imported and 50 uploads arrive at once.
 * Prints both p99s and their ratio (target: loaded p99 within 3× of idle), and how long the import took.
 * Env: BENCH_SECONDS (default 15), BENCH_CONNECTIONS (default 10), BENCH_ROWS (default 20000), BENCH_UPLOADS (default 50).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import { multipart } from '../api/test-helpers.ts';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { freePort, startTingjian } from '../workers/child-process.testing.ts';
import { createInlineRunner } from '../workers/inline-runner.ts';
import { queuePorts } from '../workers/ports.ts';
import { openService } from '../workers/service.ts';
import { testEnvironment, waitFor } from '../workers/testing.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: object) => Promise<{ latency: { p50: number; p99: number }; requests: { average: number }; non2xx: number; errors: number }>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 50);

async function workbook(file: string): Promise<Buffer> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('日报');
  ws.addRow(['日期', '销售', '客户', '客户名称', '客户态度', '关键进展']).commit();
  for (let i = 0; i < ROWS; i++) {
    ws.addRow([`2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, `r${i % 40}`, `C${i % 2000}`, `客户${i % 2000}`, 1 + (i % 5), '跟进中']).commit();
  }
  await wb.commit();
  return fs.readFileSync(file);
}

async function main() {
  const env = await testEnvironment('benchload', { LOG_LEVEL: 'warn', AUTH_FAIL_LIMIT: '100000' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-benchload-'));
  const port = await freePort();
  const service = await openService(env.config);
  const server = startTingjian(['serve'], { ...env.vars, PORT: String(port) });
  const worker = startTingjian(['worker'], env.vars);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 60_000);
    const tenant = await service.repos.tenants.ensure('bench-load');
    const { key } = await service.repos.apiKeys.create({ tenantId: tenant.id, role: 'integration' });
    const h = { authorization: `Bearer ${key}` };

    const runner = createInlineRunner(service);
    const transcript = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/transcripts/adhesives-01.txt'));
    const stored = await storeBody(service.storage, tenant.id, fs.createReadStream(path.join(import.meta.dirname, '../fixtures/transcripts/adhesives-01.txt')), 1e9);
    const { recording } = await registerRecording({ repos: service.repos, storage: service.storage, pipeline: queuePorts(service.repos, runner).pipeline }, stored, {
      repExternalId: 'bench-rep',
      originalName: 'adhesives-01.txt',
    });
    await runner.drain();
    const url = `${base}/v1/recordings/${recording.id}/analysis`;
    const read = () => autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: h });
    const xlsx = await workbook(path.join(tmp, 'daily.xlsx'));
    await read(); // warm-up
    const idle = await read();

    const body = multipart({}, { name: '销售日报.xlsx', content: xlsx });
    const started = Date.now();
    const imp = await fetch(`${base}/v1/attitude-reports/import`, { method: 'POST', headers: { ...h, ...body.headers }, body: body.payload });
    if (imp.status !== 202) throw new Error(`import answered ${imp.status}: ${await imp.text()}`);
    const importId = ((await imp.json()) as { id: string }).id;
    const uploads = Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => {
        const b = multipart({ repId: `bench-${i % 10}` }, { name: `visit-${i}.txt`, content: Buffer.concat([transcript, Buffer.from(`\n销售：第 ${i} 次拜访。`)]) });
        return fetch(`${base}/v1/recordings`, { method: 'POST', headers: { ...h, ...b.headers }, body: b.payload }).then((r) => r.status);
      }),
    );
    const loaded = await read();
    const statuses = await uploads;
    const done = await waitFor(async () => {
      const r = (await (await fetch(`${base}/v1/attitude-reports/imports/${importId}`, { headers: h })).json()) as { status: string; rows: { imported: number } };
      return r.status === 'done' || r.status === 'failed' ? r : null;
    }, 600_000, 500);

    const ratio = loaded.latency.p99 / Math.max(1, idle.latency.p99);
    console.log(`\n== tingjian bench:load (${new Date().toISOString()}, ${CONNECTIONS} readers × ${SECONDS} s)`);
    const row = (name: string, r: typeof idle) => console.log(`${name.padEnd(44)} p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  ${r.requests.average.toFixed(0).padStart(6)} req/s  non-2xx ${r.non2xx}`);
    row('GET analysis, idle', idle);
    row(`GET analysis, ${UPLOADS} uploads + ${ROWS}-row import`, loaded);
    console.log(`uploads: ${statuses.filter((s) => s === 202 || s === 200).length}/${UPLOADS} accepted; import ${done.status}, ${done.rows.imported} rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`p99 loaded / idle = ${ratio.toFixed(2)} (target ≤ 3: ${ratio <= 3 ? 'PASS' : 'FAIL'})`);
  } finally {
    await server.stop();
    await worker.stop();
    await service.close();
    await env.cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
