import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CATEGORY_IDS } from '../core/categories.ts';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from '../workers/bullmq.ts';
import { openService, type Service } from '../workers/service.ts';
import { intranetAddress, testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';
import { multipart } from './test-helpers.ts';
import { withQueue } from '../workers/ports.ts';

const TRANSCRIPT = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/transcripts/adhesives-01.txt'));
const LIMIT = 256 * 1024;

let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers;
let app: FastifyInstance;
const key: Record<string, string> = {};

async function makeKey(tenant: string, role: 'admin' | 'trainer' | 'rep' | 'integration', rep?: string) {
  const t = await service.repos.tenants.ensure(tenant);
  const r = rep ? await service.repos.reps.ensure(t.id, rep) : null;
  return (await service.repos.apiKeys.create({ tenantId: t.id, role, repId: r?.id })).key;
}

const auth = (k: string) => ({ authorization: `Bearer ${k}` });

async function upload(k: string, fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const body = multipart(fields, file);
  return app.inject({ method: 'POST', url: '/v1/recordings', payload: body.payload, headers: { ...body.headers, ...auth(k) } });
}

async function waitStatus(k: string, id: string, statuses: string[]) {
  return waitFor(async () => {
    const res = await app.inject({ url: `/v1/recordings/${id}`, headers: auth(k) });
    const body = res.json();
    return statuses.includes(body.status) ? body : null;
  }, 30_000);
}

function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.join(d, e.name));
    }
  };
  walk(env.storageDir);
  return out;
}

beforeAll(async () => {
  // Webhooks here point at an intranet address nothing listens on (loopback is never a webhook target).
  env = await testEnvironment('api', { UPLOAD_LIMIT_BYTES: String(LIMIT), WEBHOOK_ALLOWED_CIDRS: `${intranetAddress()}/32` });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  workers = startBullWorkers(withQueue(service, queue), env.config);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  key.admin = await makeKey('甲公司', 'admin');
  key.crm = await makeKey('甲公司', 'integration');
  key.trainer = await makeKey('甲公司', 'trainer');
  key.rep1 = await makeKey('甲公司', 'rep', 'r-001');
  key.rep2 = await makeKey('甲公司', 'rep', 'r-002');
  key.other = await makeKey('乙公司', 'integration');
});

afterAll(async () => {
  await app?.close();
  await workers?.close();
  await queue?.close();
  await service?.close();
  await env?.cleanup();
});

describe('recordings API against Postgres + Redis + real workers', () => {
  let recId = '';

  it('queues a transcript upload (202), analyzes it and serves the analyze --json shape', async () => {
    const res = await upload(key.crm, { repId: 'r-001', leadId: 'L-9', customerId: 'C-7', recordedAt: '2026-11-02T10:00:00+08:00' }, { name: '拜访 回天 $(touch x).txt', content: TRANSCRIPT });
    expect(res.statusCode).toBe(202);
    const rec = res.json();
    expect(rec).toMatchObject({ status: 'queued', repId: 'r-001', leadId: 'L-9', customerId: 'C-7', originalName: '拜访 回天 $(touch x).txt' });
    recId = rec.id;

    const done = await waitStatus(key.crm, recId, ['analyzed', 'failed']);
    expect(done.status).toBe('analyzed');
    expect(done.kind).toBe('transcript');
    expect(done.stageTimes.normalizingAt).not.toBeNull();
    expect(done.stageTimes.analyzedAt).not.toBeNull();
    expect(done.error).toBeNull();

    const analysis = await app.inject({ url: `/v1/recordings/${recId}/analysis`, headers: auth(key.crm) });
    expect(analysis.statusCode).toBe(200);
    const a = analysis.json();
    expect(a).toMatchObject({ file: '拜访 回天 $(touch x).txt', status: 'ok', kind: 'transcript' });
    expect(a.segments.length).toBeGreaterThan(10);
    const tags = a.segments.flatMap((s: { tags: { category: string }[] }) => s.tags);
    expect(tags.length).toBeGreaterThan(0);
    for (const t of tags) expect(CATEGORY_IDS).toContain(t.category);
    expect(Object.keys(a.tagCounts).length).toBeGreaterThan(0);
    expect(typeof a.metrics.repQuestions).toBe('number');
    // 我今天就安排寄样 on 2026-11-02 → due that day, relative to recordedAt, not to the time of analysis.
    expect(a.commitments.some((c: { dueAt: string | null }) => c.dueAt?.startsWith('2026-11-02'))).toBe(true);

    // CRM ids named on upload now exist in the tenant.
    expect((await app.inject({ url: '/v1/reps/r-001', headers: auth(key.crm) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/customers/C-7', headers: auth(key.crm) })).statusCode).toBe(200);
    const lead = await app.inject({ url: '/v1/leads/L-9', headers: auth(key.crm) });
    expect(lead.json()).toMatchObject({ id: 'L-9', customerId: 'C-7', ownerRepId: 'r-001', stage: 'new_lead' });
    expect(lead.json().history[0]).toMatchObject({ from: null, to: 'new_lead' });
    expect(fs.existsSync(path.join(process.cwd(), 'x'))).toBe(false);
  });

  it('answers 200 with the existing recording when the same rep uploads the same file again', async () => {
    const before = storedFiles().length;
    const again = await upload(key.crm, { repId: 'r-001' }, { name: 'copy.txt', content: TRANSCRIPT });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(recId);
    expect(storedFiles().length).toBe(before);
    const otherRep = await upload(key.crm, { repId: 'r-003' }, { name: 'copy.txt', content: TRANSCRIPT });
    expect(otherRep.statusCode).toBe(202);
    expect(otherRep.json().id).not.toBe(recId);
  });

  it('keeps one recording when the same file arrives several times at once', async () => {
    const content = Buffer.concat([TRANSCRIPT, Buffer.from('\n客户：同时上传。\n')]);
    const results = await Promise.all([1, 2, 3, 4].map(() => upload(key.crm, { repId: 'r-race' }, { name: 'race.txt', content })));
    const ids = new Set(results.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.statusCode === 202).length).toBe(1);
    expect(results.filter((r) => r.statusCode === 200).length).toBe(3);
  });

  it('rejects an upload over the size limit with 413 and keeps neither row nor file', async () => {
    const before = storedFiles().length;
    const list0 = (await app.inject({ url: '/v1/recordings?limit=200', headers: auth(key.crm) })).json().items.length;
    const res = await upload(key.crm, { repId: 'r-001' }, { name: 'big.txt', content: Buffer.alloc(LIMIT + 10, 0x41) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'file_too_large' } });
    expect(res.json().requestId).toBeTruthy();
    expect(storedFiles().length).toBe(before);
    expect((await app.inject({ url: '/v1/recordings?limit=200', headers: auth(key.crm) })).json().items.length).toBe(list0);
  });

  it('fails corrupt uploads with their code and keeps processing the good ones', async () => {
    const binary = await upload(key.crm, { repId: 'r-001' }, { name: 'notes.txt', content: Buffer.from([0, 1, 2, 3, 0xff, 0, 0, 9, 0, 0, 0, 1]) });
    const image = await upload(key.crm, { repId: 'r-001' }, {
      name: 'visit.m4a',
      content: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]),
    });
    expect(binary.statusCode).toBe(202);
    expect(image.statusCode).toBe(202);
    const a = await waitStatus(key.crm, binary.json().id, ['failed', 'analyzed']);
    const b = await waitStatus(key.crm, image.json().id, ['failed', 'analyzed']);
    expect(a.status).toBe('failed');
    expect(a.error.code).toBe('not_text');
    expect(b.status).toBe('failed');
    expect(b.error.code).toBe('not_audio');
    expect(b.error.message).toContain('visit.m4a');
    expect((await app.inject({ url: `/v1/recordings/${binary.json().id}/analysis`, headers: auth(key.crm) })).json().error.code).toBe('not_analyzed');
  });

  it('classifies by content: a nameless text blob is a transcript, a document is refused with its code', async () => {
    const blob = await upload(key.crm, { repId: 'r-004' }, { name: 'visit', content: Buffer.from('销售：王总，报价单明天上午发您。\n客户：好，价格再便宜点。\n') });
    const pdf = await upload(key.crm, { repId: 'r-004' }, { name: '合同.docx', content: Buffer.from('PK\u0003\u0004 not a recording') });
    const a = await waitStatus(key.crm, blob.json().id, ['failed', 'analyzed']);
    const b = await waitStatus(key.crm, pdf.json().id, ['failed', 'analyzed']);
    expect(a).toMatchObject({ status: 'analyzed', kind: 'transcript' });
    expect(b.status).toBe('failed');
    expect(b.error.code).toBe('unknown_extension');
  });

  it('lists with filters and pages with a cursor', async () => {
    const all = (await app.inject({ url: '/v1/recordings?repId=r-001', headers: auth(key.crm) })).json().items;
    expect(all.length).toBe(3);
    expect(all.every((r: { repId: string }) => r.repId === 'r-001')).toBe(true);
    const failed = (await app.inject({ url: '/v1/recordings?status=failed&repId=r-001', headers: auth(key.crm) })).json().items;
    expect(failed.length).toBe(2);
    const p1 = (await app.inject({ url: '/v1/recordings?limit=2', headers: auth(key.crm) })).json();
    expect(p1.items.length).toBe(2);
    const p2 = (await app.inject({ url: `/v1/recordings?limit=2&cursor=${p1.nextCursor}`, headers: auth(key.crm) })).json();
    expect(p2.items.length).toBe(2);
    expect(p2.items.map((r: { id: string }) => r.id)).not.toContain(p1.items[0].id);
    const future = (await app.inject({ url: '/v1/recordings?since=2099-01-01T00:00:00Z', headers: auth(key.crm) })).json();
    expect(future.items).toEqual([]);
  });

  it('reprocess runs the pipeline again and still leaves exactly one analysis row', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/recordings/${recId}/reprocess`, headers: auth(key.trainer) });
    expect(res.statusCode).toBe(202);
    expect(res.json().status).toBe('queued');
    const done = await waitStatus(key.crm, recId, ['analyzed', 'failed']);
    expect(done.status).toBe('analyzed');
    expect(await service.repos.results.countAnalyses(recId)).toBe(1);
  });

  it('re-analyzes recordings whose analysis used another lexicon version, without transcribing again', async () => {
    const h = auth(key.trainer);
    expect((await app.inject({ method: 'POST', url: '/v1/recordings/reanalyze', headers: h, payload: {} })).json().queued).toBe(0);
    await service.db.execute(sql`update analyses set lexicon_version = 'old-lexicon' where recording_id = ${recId}`);
    const res = await app.inject({ method: 'POST', url: '/v1/recordings/reanalyze', headers: h, payload: {} });
    expect(res.statusCode).toBe(202);
    expect(res.json().queued).toBe(1);
    const current = res.json().lexiconVersion;
    const row = await waitFor(async () => {
      const a = await service.repos.results.getAnalysis((await service.repos.recordings.getForJob(recId))!.tenantId, recId);
      return a?.lexiconVersion === current ? a : null;
    });
    expect(row.result.lexiconVersion).toBe(current);
    expect(await service.repos.results.countAnalyses(recId)).toBe(1);
    expect((await app.inject({ method: 'POST', url: '/v1/recordings/reanalyze', headers: auth(key.rep1), payload: {} })).statusCode).toBe(403);
  });

  it('accepts a subscription to every webhook event the README names, and only to those', async () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../README.md'), 'utf8');
    const paragraph = readme.slice(readme.indexOf('**Webhooks**'), readme.indexOf('\n\n', readme.indexOf('**Webhooks**')));
    const named = [...paragraph.matchAll(/`([a-z]+\.[a-z_]+)`/g)].map((m) => m[1]);
    expect(named).toEqual(expect.arrayContaining(['recording.analyzed', 'followup.escalated', 'handover.created']));
    for (const event of named) {
      const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(key.crm), payload: { url: `http://${intranetAddress()}:9/x`, events: [event] } });
      expect(res.statusCode, event).toBe(201);
    }
    const unknown = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(key.crm), payload: { url: `http://${intranetAddress()}:9/x`, events: ['lead.deleted'] } });
    expect(unknown.statusCode).toBe(400);
  });

  it("answers 404 on every route for another tenant's ids", async () => {
    const k = auth(key.other);
    const sub = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(key.crm), payload: { url: `http://${intranetAddress()}:9/x`, events: ['*'] } })).json();
    const probes: Array<[string, string]> = [
      ['GET', `/v1/recordings/${recId}`],
      ['GET', `/v1/recordings/${recId}/analysis`],
      ['GET', `/v1/recordings/${recId}/audio`],
      ['POST', `/v1/recordings/${recId}/reprocess`],
      ['POST', '/v1/recordings/not-a-uuid/reprocess'],
      ['GET', '/v1/reps/r-001'],
      ['DELETE', '/v1/reps/r-001'],
      ['GET', '/v1/customers/C-7'],
      ['DELETE', '/v1/customers/C-7'],
      ['GET', '/v1/leads/L-9'],
      ['DELETE', '/v1/leads/L-9'],
      ['GET', `/v1/webhooks/${sub.id}/deliveries`],
      ['DELETE', `/v1/webhooks/${sub.id}`],
    ];
    for (const [method, url] of probes) {
      const res = await app.inject({ method: method as 'GET', url, headers: k });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await app.inject({ url: '/v1/recordings', headers: k })).json().items).toEqual([]);
    expect((await app.inject({ url: '/v1/reps', headers: k })).json().items).toEqual([]);
    expect((await app.inject({ url: '/v1/webhooks', headers: k })).json().items).toEqual([]);
    // Tenant A's data is untouched.
    expect((await app.inject({ url: '/v1/reps/r-001', headers: auth(key.crm) })).statusCode).toBe(200);
    // Its owner can unsubscribe, once; a malformed id is simply not found.
    for (const [url, status] of [[`/v1/webhooks/${sub.id}`, 204], [`/v1/webhooks/${sub.id}`, 404], ['/v1/webhooks/not-a-uuid', 404]] as const) {
      expect((await app.inject({ method: 'DELETE', url, headers: auth(key.crm) })).statusCode, url).toBe(status);
    }
  });

  it("scopes rep keys to the rep's own recordings", async () => {
    const mine = await upload(key.rep2, {}, { name: 'r2.txt', content: Buffer.concat([TRANSCRIPT, Buffer.from('\n销售：好的。\n')]) });
    expect(mine.statusCode).toBe(202);
    expect(mine.json().repId).toBe('r-002');
    const list = (await app.inject({ url: '/v1/recordings', headers: auth(key.rep2) })).json().items;
    expect(list.map((r: { id: string }) => r.id)).toEqual([mine.json().id]);
    expect((await app.inject({ url: `/v1/recordings/${recId}`, headers: auth(key.rep2) })).statusCode).toBe(404);
    expect((await app.inject({ url: `/v1/recordings/${recId}`, headers: auth(key.rep1) })).statusCode).toBe(200);
    const forOther = await upload(key.rep2, { repId: 'r-001' }, { name: 'x.txt', content: Buffer.from('销售：你好') });
    expect(forOther.statusCode).toBe(403);
    expect((await app.inject({ url: '/v1/reps', headers: auth(key.rep2) })).statusCode).toBe(403);
  });

  it('authenticates with hashed keys and answers errors in one shape', async () => {
    const none = await app.inject({ url: '/v1/recordings' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(none.json().requestId).toBe(none.headers['x-request-id']);
    expect((await app.inject({ url: '/v1/recordings', headers: auth('tj_not-a-real-key') })).statusCode).toBe(401);
    const forbidden = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(key.trainer), payload: { url: 'http://x.test/', events: ['*'] } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    const json = await app.inject({ method: 'POST', url: '/v1/recordings', headers: auth(key.crm), payload: { repId: 'r-001' } });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('not_multipart');
    const noFile = multipart({ repId: 'r-001' });
    const empty = await app.inject({ method: 'POST', url: '/v1/recordings', payload: noFile.payload, headers: { ...noFile.headers, ...auth(key.crm) } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('missing_file');
    const bad = await app.inject({ method: 'PUT', url: '/v1/leads/L-1', headers: auth(key.crm), payload: { amount: 'lots' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_error');
    const keyRows = await service.db.query.apiKeys.findMany();
    for (const row of keyRows) expect(Object.values(key)).not.toContain(row.keyHash);
  });

  it('serves CRUD for reps, customers and leads by CRM id', async () => {
    const h = auth(key.crm);
    expect((await app.inject({ method: 'POST', url: '/v1/reps', headers: h, payload: { id: 'boss', name: '王经理', team: '华东' } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/reps', headers: h, payload: { id: 'boss' } })).statusCode).toBe(409);
    const put = await app.inject({ method: 'PUT', url: '/v1/reps/r-001', headers: h, payload: { name: '李雷', team: '华东', supervisorId: 'boss' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: 'r-001', name: '李雷', supervisorId: 'boss', status: 'active' });
    expect((await app.inject({ url: '/v1/reps?team=华东', headers: h })).json().items.map((r: { id: string }) => r.id)).toEqual(['boss', 'r-001']);
    const cust = await app.inject({ method: 'PUT', url: '/v1/customers/C-8', headers: h, payload: { name: '某主机厂', industry: '汽车', customerType: '主机厂' } });
    expect(cust.statusCode).toBe(201);
    const lead = await app.inject({ method: 'PUT', url: '/v1/leads/L-10', headers: h, payload: { title: '胶水年度框架', customerId: 'C-8', ownerRepId: 'r-001' } });
    expect(lead.statusCode).toBe(201);
    expect(lead.json()).toMatchObject({ customerId: 'C-8', ownerRepId: 'r-001', stage: 'new_lead' });
    expect((await app.inject({ method: 'DELETE', url: '/v1/leads/L-10', headers: h })).statusCode).toBe(204);
    expect((await app.inject({ url: '/v1/leads/L-10', headers: h })).statusCode).toBe(404);
  });

  it('publishes OpenAPI, Swagger UI, health and readiness', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/recordings', '/v1/recordings/{id}/analysis', '/v1/webhooks', '/v1/leads/{externalId}']));
    expect(spec.paths['/v1/recordings'].post.responses).toHaveProperty('413');
    expect(spec.paths['/v1/recordings'].post.requestBody.content['multipart/form-data'].schema.properties.file.format).toBe('binary');
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
    // Swagger UI's own files come through @fastify/static (pinned to a version that supports Node 20).
    const asset = await app.inject({ url: '/docs/static/swagger-ui.css' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/css/);
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ postgres: 'ok', redis: 'ok' });
  });

  it('shows bull-board to admins only', async () => {
    expect((await app.inject({ url: '/admin/queues' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/queues', headers: auth(key.crm) })).statusCode).toBe(403);
    const ok = await app.inject({ url: '/admin/queues', headers: auth(key.admin) });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/html/);
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(ok.body)![1];
    const js = await app.inject({ url: script.startsWith('/') ? script : `/admin/queues/${script}`, headers: auth(key.admin) });
    expect(js.statusCode).toBe(200);
  });
});
