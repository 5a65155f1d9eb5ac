import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { openDb } from '../db/client.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { LocalStorage } from '../ingest/storage.ts';
import { BullJobQueue } from '../workers/bullmq.ts';
import { freePort } from '../workers/child-process.testing.ts';
import { openService, type Service } from '../workers/service.ts';
import { testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';

/**
 * Outages while the CRM is talking to us: Redis dies in the middle of a streamed upload, Postgres is unreachable.
 * Both must answer 503 in the error shape and leave nothing half-written.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let redis: ChildProcess;
let service: Service;
let queue: BullJobQueue;
let app: FastifyInstance;
let apiKey = '';

beforeAll(async () => {
  // A private Redis this test may kill without disturbing anyone else's.
  const redisPort = await freePort();
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  env = await testEnvironment('outage', { REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_COMMAND_TIMEOUT_MS: '1000' });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  await waitFor(async () => queue.connection.status === 'ready', 10_000);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const tenant = await service.repos.tenants.ensure('戊公司');
  apiKey = (await service.repos.apiKeys.create({ tenantId: tenant.id, role: 'integration' })).key;
});

afterAll(async () => {
  await app?.close();
  await queue?.close();
  await service?.close();
  if (redis && redis.exitCode === null) redis.kill('SIGKILL');
  await env?.cleanup({ redis: false });
});

function filesUnder(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => e.name) : [];
}

describe('outages', () => {
  it('answers 503 when Redis dies during an upload, with no recording row and no file left', async () => {
    const { port } = app.server.address() as { port: number };
    const boundary = '----outage';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="repId"\r\n\r\nr-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="visit.txt"\r\nContent-Type: text/plain\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { port, host: '127.0.0.1', method: 'POST', path: '/v1/recordings', headers: { authorization: `Bearer ${apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}` } },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write(head);
      req.write('销售：王总您好，我是来送样品的。\n'.repeat(200));
      // Halfway through the upload (its first bytes are in storage), Redis goes away.
      void (async () => {
        await waitFor(async () => filesUnder(env.storageDir).length > 0, 10_000, 20);
        redis.kill('SIGKILL');
        await waitFor(async () => queue.connection.status !== 'ready', 10_000, 20);
        req.write('客户：好的，放这儿吧。\n'.repeat(200));
        req.end(tail);
      })().catch(reject);
    });
    const res = await response;
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'queue_unavailable' } });
    const tenant = await service.repos.tenants.ensure('戊公司');
    expect(await service.repos.recordings.list({ tenantId: tenant.id }, {})).toEqual([]);
    expect(filesUnder(env.storageDir)).toEqual([]);

    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.postgres).toBe('ok');
    expect(ready.json().checks.redis).not.toBe('ok');
  });

  it('answers 503 database_unavailable when Postgres cannot be reached', async () => {
    const deadPort = await freePort();
    const config = loadConfig({ ...env.vars, DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/nothing` });
    const dbHandle = await openDb(config);
    const down = await buildApp(
      { config, dbHandle, repos: createRepositories(dbHandle.db), storage: new LocalStorage(env.storageDir), queue },
      { logger: false },
    );
    try {
      const res = await down.inject({ url: '/v1/recordings', headers: { authorization: `Bearer ${apiKey}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
      expect(res.json().error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      expect((await down.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await down.close();
      await dbHandle.close();
    }
  });
});
