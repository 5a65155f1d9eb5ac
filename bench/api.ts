/**
 * `npm run bench:api`: the API server as deployed (`tingjian serve` in its own process, Postgres, Redis), measured
 * side by side in one run:
 *  1. a 1 GiB multipart upload generated on the fly (never held in memory or on disk by the client), reporting the
 *     server's peak RSS growth (target < 64 MB) and throughput;
 *  2. 50 concurrent clients for 20 s (autocannon) on GET /v1/recordings/:id/analysis, then on /healthz as the
 *     ceiling of the same server: p50/p99 latency and requests/s, and the ratio between them.
 * Env: BENCH_UPLOAD_MB (default 1024), BENCH_SECONDS (default 20), BENCH_CONNECTIONS (default 50).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { freePort, startTingjian } from '../workers/child-process.testing.ts';
import { createInlineRunner } from '../workers/inline-runner.ts';
import { openService } from '../workers/service.ts';
import { testEnvironment, waitFor } from '../workers/testing.ts';
import { queuePorts } from '../workers/ports.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: object) => Promise<AutocannonResult>;
interface AutocannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 1024);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

/** Streams `totalBytes` of generated data as the file part, honouring backpressure. */
function streamUpload(port: number, key: string, totalBytes: number): Promise<{ status: number; ms: number }> {
  const boundary = '----tingjianbench';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="repId"\r\n\r\nbench-rep\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long-visit.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/v1/recordings',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + totalBytes + tail.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, ms: Date.now() - started }));
      },
    );
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    let n = 0;
    const pump = () => {
      while (sent < totalBytes) {
        chunk.writeUInt32LE(n++, 0); // every MiB differs, like real audio
        const piece = totalBytes - sent >= chunk.length ? chunk : chunk.subarray(0, totalBytes - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

async function load(url: string, headers: Record<string, string>): Promise<AutocannonResult> {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
}

async function main() {
  const env = await testEnvironment('bench', { UPLOAD_LIMIT_BYTES: String(4 * 1024 ** 3), LOG_LEVEL: 'warn' });
  const port = await freePort();
  const service = await openService(env.config);
  const server = startTingjian(['serve'], { ...env.vars, PORT: String(port), LOG_LEVEL: 'warn' });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 60_000);
    const { repos } = service;
    const tenant = await repos.tenants.ensure('bench');
    const { key } = await repos.apiKeys.create({ tenantId: tenant.id, role: 'integration' });

    // One analyzed recording to read, produced by the real pipeline (inline runner, same handlers as the workers).
    const runner = createInlineRunner(service);
    const stored = await storeBody(service.storage, tenant.id, fs.createReadStream(path.join(import.meta.dirname, '../fixtures/transcripts/adhesives-01.txt')), 1e9);
    const { recording } = await registerRecording({ repos, storage: service.storage, pipeline: queuePorts(repos, runner).pipeline }, stored, {
      repExternalId: 'bench-rep',
      originalName: 'adhesives-01.txt',
    });
    await runner.drain();

    // Warm the server's code paths before taking the RSS baseline.
    for (let i = 0; i < 200; i++) await fetch(`${base}/v1/recordings/${recording.id}/analysis`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.arrayBuffer());
    await streamUpload(port, key, 8 * 1024 * 1024);
    const pid = server.proc.pid!;
    const baseline = rssBytes(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
    const up = await streamUpload(port, key, UPLOAD_MB * 1024 * 1024);
    clearInterval(sampler);
    peak = Math.max(peak, rssBytes(pid));
    if (up.status !== 202) throw new Error(`upload answered ${up.status}`);

    const h = { authorization: `Bearer ${key}` };
    const analysis = await load(`${base}/v1/recordings/${recording.id}/analysis`, h);
    const health = await load(`${base}/healthz`, {});

    const growth = peak - baseline;
    console.log(`\n== tingjian bench:api (${new Date().toISOString()}, ${CONNECTIONS} connections × ${SECONDS} s)`);
    console.log(`upload ${UPLOAD_MB} MiB: ${up.status} in ${(up.ms / 1000).toFixed(1)} s (${(UPLOAD_MB / (up.ms / 1000)).toFixed(0)} MiB/s)`);
    console.log(`server RSS: baseline ${mb(baseline)} MB, peak ${mb(peak)} MB, growth ${mb(growth)} MB (target < 64 MB: ${growth < 64 * 1024 * 1024 ? 'PASS' : 'FAIL'})`);
    const row = (name: string, r: AutocannonResult) =>
      console.log(`${name.padEnd(34)} p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  ${r.requests.average.toFixed(0).padStart(6)} req/s  non-2xx ${r.non2xx}  errors ${r.errors}`);
    row('GET /v1/recordings/:id/analysis', analysis);
    row('GET /healthz (ceiling)', health);
    console.log(`analysis reads reach ${((analysis.requests.average / health.requests.average) * 100).toFixed(0)} % of the /healthz rate`);
  } finally {
    await server.stop();
    await service.close();
    await env.cleanup();
  }
}

await main();
