import fs from 'node:fs';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue } from '../workers/bullmq.ts';
import { openService, type Service } from '../workers/service.ts';
import { testEnvironment } from '../workers/testing.ts';
import { buildApp } from './app.ts';
import { multipart } from './test-helpers.ts';

/**
 * Inputs that used to answer 500 or hold a connection open, each sent as an attacker would. Every one must answer
 * 4xx with its own code in the error shape, and leave nothing stored.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let app: FastifyInstance;
let key = '';
const ATTACHMENT_LIMIT = 2048;

beforeAll(async () => {
  env = await testEnvironment('badinput', { ATTACHMENT_LIMIT_BYTES: String(ATTACHMENT_LIMIT), REQUEST_TIMEOUT_MS: '1500', IDLE_TIMEOUT_MS: '1000' });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  const tenant = await service.repos.tenants.ensure('坏输入公司');
  key = (await service.repos.apiKeys.create({ tenantId: tenant.id, role: 'integration' })).key;
});

afterAll(async () => {
  await app?.close();
  await queue?.close();
  await service?.close();
  await env?.cleanup();
});

const auth = () => ({ authorization: `Bearer ${key}` });
const storedFiles = () => (fs.readdirSync(env.storageDir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile());

async function upload(payload: Buffer | string, contentType: string) {
  return app.inject({ method: 'POST', url: '/v1/recordings', payload, headers: { ...auth(), 'content-type': contentType } });
}

async function expectCode(res: { statusCode: number; json(): any }, status: number, code: string) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(res.json().error.code).toBe(code);
  expect(res.json().requestId).toBeTruthy();
}

describe('bad input answers 4xx with its own code', () => {
  it('a NUL in the file name', async () => {
    const body = multipart({ repId: 'r1' }, { name: 'visit\u0000.txt', content: Buffer.from('销售：您好') });
    await expectCode(await upload(body.payload, body.headers['content-type']), 400, 'invalid_file_name');
    expect(storedFiles()).toEqual([]);
  });

  it('multipart without a boundary, and a truncated multipart body', async () => {
    await expectCode(await upload('--x\r\n', 'multipart/form-data'), 400, 'multipart_boundary_missing');
    const body = multipart({ repId: 'r1' }, { name: 'visit.txt', content: Buffer.from('销售：您好，今天聊聊报价') });
    await expectCode(await upload(body.payload.subarray(0, body.payload.length - 30), body.headers['content-type']), 400, 'multipart_truncated');
    expect(storedFiles()).toEqual([]);
  });

  it('too many files and too many fields have codes of their own', async () => {
    const b = 'b0undary';
    const part = (name: string, file?: string) =>
      `--${b}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"` : ''}\r\n\r\nx\r\n`;
    await expectCode(await upload(part('file', 'a.txt') + part('file', 'b.txt') + `--${b}--\r\n`, `multipart/form-data; boundary=${b}`), 400, 'too_many_files');
    const fields = Array.from({ length: 30 }, (_, i) => part(`f${i}`)).join('');
    await expectCode(await upload(fields + `--${b}--\r\n`, `multipart/form-data; boundary=${b}`), 400, 'too_many_fields');
    expect(storedFiles()).toEqual([]);
  });

  it('a recordedAt far outside any plausible visit', async () => {
    const body = multipart({ repId: 'r1', recordedAt: '+099999-01-01T00:00:00Z' }, { name: 'visit.txt', content: Buffer.from('销售：您好') });
    await expectCode(await upload(body.payload, body.headers['content-type']), 400, 'invalid_recorded_at');
    expect(storedFiles()).toEqual([]);
    const list = await app.inject({ url: '/v1/recordings', headers: auth() });
    expect(list.json().items).toEqual([]);
  });

  it('a PHI period before any data could exist', async () => {
    await expectCode(await app.inject({ url: '/v1/phi?from=0001-01-01', headers: auth() }), 400, 'invalid_period');
    await expectCode(await app.inject({ url: '/v1/phi?from=2026-01-01&to=9999-12-31', headers: auth() }), 400, 'invalid_period');
  });

  it('an attachment over the limit answers 413 and keeps nothing: the checkpoint still misses it', async () => {
    await app.inject({ method: 'PUT', url: '/v1/leads/L-413', headers: auth(), payload: {} });
    const big = multipart({ kind: 'business_license' }, { name: '营业执照.png', content: Buffer.alloc(ATTACHMENT_LIMIT * 3, 1) });
    const res = await app.inject({ method: 'POST', url: '/v1/leads/L-413/attachments', payload: big.payload, headers: { ...auth(), ...big.headers } });
    await expectCode(res, 413, 'file_too_large');
    const page = (await app.inject({ url: '/v1/leads/L-413/stage', headers: auth() })).json();
    expect(page.attachments).toEqual([]);
    expect(storedFiles()).toEqual([]);
  });

  it('echoes a well-formed x-request-id and replaces anything else', async () => {
    const ok = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'crm-7f3a.42' } });
    expect(ok.headers['x-request-id']).toBe('crm-7f3a.42');
    for (const bad of ['<script>alert(1)</script>', 'a'.repeat(500), 'id with spaces', '日志注入']) {
      const res = await app.inject({ url: '/v1/nothing', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json().requestId).toBe(res.headers['x-request-id']);
    }
  });
});

describe('slow requests', () => {
  it('a body that trickles in is cut off by the request timeout instead of holding the connection', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    const started = Date.now();
    socket.write(`POST /v1/recordings HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${key}\r\ncontent-type: multipart/form-data; boundary=zz\r\ncontent-length: 100000\r\n\r\n--zz\r\n`);
    // One byte now and then, each gap under the idle limit: only the whole-request limit can end this.
    const drip = setInterval(() => socket.writable && socket.write('x'), 300);
    const at = await closed;
    clearInterval(drip);
    expect(at - started).toBeLessThan(10_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(storedFiles()).toEqual([]);
  });
});
