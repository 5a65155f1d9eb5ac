import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from '../workers/bullmq.ts';
import { withQueue } from '../workers/ports.ts';
import { openService, type Service } from '../workers/service.ts';
import { intranetAddress, testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';
import { multipart } from './test-helpers.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Personal data from every reader's side: a visit where the customer says a mobile, an ID and a card number. What
 * the API serves, what the webhook carries and what the database holds must be redacted; only an admin asking for
 * the original gets it, and that read is in the audit log. Then erasure and retention take it all away.
 */
const ID = '11010519491231002X';
const VISIT = [
  '[00:01] 销售：王总，合同我明天上午发到 13812345678 这个微信上。',
  `[00:09] 客户：好，开票用我身份证 ${ID}，打款卡号 6222 0212 3456 7890 128。`,
  '[00:20] 客户：邮箱是 wang.li@sensor-corp.cn，电话也可以打一三八一二三四五六七八。',
].join('\n');

let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers;
let app: FastifyInstance;
let receiver: http.Server;
const hooks: string[] = [];
const key: Record<string, string> = {};
let tenantId = '';
let recId = '';

const auth = (k: string) => ({ authorization: `Bearer ${k}` });
const PII = /13812345678|一三八一二三四五六七八|11010519491231002X|6222 0212|wang\.li@/;

async function upload(k: string, fields: Record<string, string>, text: string, name = 'visit.txt') {
  const body = multipart(fields, { name, content: Buffer.from(text) });
  const res = await app.inject({ method: 'POST', url: '/v1/recordings', payload: body.payload, headers: { ...body.headers, ...auth(k) } });
  expect(res.statusCode, res.body).toBe(202);
  const id = res.json().id as string;
  await waitFor(async () => (await app.inject({ url: `/v1/recordings/${id}`, headers: auth(k) })).json().status === 'analyzed', 30_000);
  return id;
}

beforeAll(async () => {
  env = await testEnvironment('privacy', { WEBHOOK_ALLOWED_CIDRS: `${intranetAddress()}/32` });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  workers = startBullWorkers(withQueue(service, queue), env.config, ['normalize', 'analyze', 'lead-update', 'recording-followups', 'webhook-delivery', 'retention-sweep']);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  receiver = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      hooks.push(b);
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, intranetAddress(), () => r()));
  tenantId = (await service.repos.tenants.ensure('隐私公司')).id;
  for (const role of ['admin', 'trainer', 'integration'] as const) key[role] = (await service.repos.apiKeys.create({ tenantId, role })).key;
  const rep = await service.repos.reps.ensure(tenantId, 'r-p');
  key.rep = (await service.repos.apiKeys.create({ tenantId, role: 'rep', repId: rep.id })).key;
  await service.repos.webhooks.create(tenantId, `http://${intranetAddress()}:${(receiver.address() as AddressInfo).port}/hook`, ['*']);
  recId = await upload(key.integration, { repId: 'r-p', customerId: 'C-p', leadId: 'L-p', recordedAt: '2026-11-30T10:00:00+08:00' }, VISIT);
});

afterAll(async () => {
  await app?.close();
  await workers?.close();
  await queue?.close();
  await service?.close();
  await new Promise((r) => receiver?.close(r));
  await env?.cleanup();
});

describe('redaction by default', () => {
  it('serves and stores no personal data in analyses, transcripts, follow-ups or webhooks', async () => {
    for (const role of ['admin', 'trainer', 'integration', 'rep']) {
      for (const url of [`/v1/recordings/${recId}/analysis`, `/v1/recordings/${recId}/transcript`, '/v1/follow-ups']) {
        const res = await app.inject({ url, headers: auth(key[role]) });
        expect(res.statusCode, `${role} ${url}`).toBe(200);
        expect(res.body, `${role} ${url}`).not.toMatch(PII);
      }
    }
    const analysis = (await app.inject({ url: `/v1/recordings/${recId}/analysis`, headers: auth(key.admin) })).json();
    expect(analysis.segments[0].text).toContain('[手机号]');
    const tasks = (await app.inject({ url: '/v1/follow-ups', headers: auth(key.admin) })).json().items;
    expect(tasks.some((t: { title: string }) => t.title.includes('[手机号]'))).toBe(true);
    const transcript = (await app.inject({ url: `/v1/recordings/${recId}/transcript`, headers: auth(key.admin) })).json();
    expect(transcript.redactions).toEqual({ mobile: 2, id_card: 1, bank_card: 1, email: 1 });
    await waitFor(async () => hooks.some((h) => h.includes('recording.analyzed')));
    expect(hooks.join('\n')).not.toMatch(PII);
    // In the database: no table holds the clear text (the original is sealed).
    const dump = JSON.stringify(await service.db.execute(sql`select t.segments, t.original_segments, a.result, c.text, f.title from transcripts t join analyses a using (recording_id) left join commitments c using (recording_id) left join follow_up_tasks f on f.commitment_id = c.id`));
    expect(dump).not.toMatch(PII);
    const report = await app.inject({ url: `/reports/rec-${recId}.html`, headers: auth(key.trainer) });
    expect(report.statusCode).toBe(200);
    expect(report.body).not.toMatch(PII);
  });

  it('gives the original to an admin who asks, and audits each read; nobody else gets it', async () => {
    for (const role of ['trainer', 'integration', 'rep']) {
      expect((await app.inject({ url: `/v1/recordings/${recId}/transcript/original`, headers: auth(key[role]) })).statusCode, role).toBe(403);
    }
    const res = await app.inject({ url: `/v1/recordings/${recId}/transcript/original`, headers: auth(key.admin) });
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.json())).toContain('13812345678');
    const audit = (await app.inject({ url: '/v1/audit?action=pii.read_original', headers: auth(key.admin) })).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'pii.read_original', target: { type: 'recording', id: recId } });
    expect(audit[0].actor).toMatch(/^admin:/);
  });
});

describe('erasure', () => {
  const files = () => (fs.readdirSync(env.storageDir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).length;
  const count = async (table: string) =>
    ((await service.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as Array<{ n: number }>)[0].n;

  it('DELETE /v1/recordings/:id removes the row, transcript, analysis, derived events, tasks and the file', async () => {
    const id = await upload(key.integration, { repId: 'r-p', customerId: 'C-x', leadId: 'L-x' }, '[00:01] 销售：王总，样品报价我明天上午发到您邮箱。\n[00:05] 客户：好的。', 'other.txt');
    const sample = async () => (await service.repos.followUps.list(tenantId, {})).filter((t) => t.title.includes('样品报价')).length;
    await waitFor(async () => (await sample()) === 1);
    const filesBefore = files();
    expect((await app.inject({ method: 'DELETE', url: `/v1/recordings/${id}`, headers: auth(key.trainer) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/v1/recordings/${id}`, headers: auth(key.integration) })).statusCode).toBe(204);
    expect((await app.inject({ url: `/v1/recordings/${id}/analysis`, headers: auth(key.admin) })).statusCode).toBe(404);
    const left = (await service.db.execute(sql`select (select count(*) from transcripts where recording_id = ${id})::int + (select count(*) from analyses where recording_id = ${id})::int + (select count(*) from behavior_events where recording_id = ${id})::int + (select count(*) from commitments where recording_id = ${id})::int as n`)) as unknown as Array<{ n: number }>;
    expect(left[0].n).toBe(0);
    expect(await sample()).toBe(0);
    expect(files()).toBe(filesBefore - 1);
    expect((await app.inject({ method: 'DELETE', url: `/v1/recordings/${id}`, headers: auth(key.integration) })).statusCode).toBe(404);
  });

  it('refuses to delete a customer or rep with recordings, naming the erase route; ?erase=true erases them', async () => {
    const refused = await app.inject({ method: 'DELETE', url: '/v1/customers/C-p', headers: auth(key.integration) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'customer_has_data' });
    expect(refused.json().error.message).toContain('DELETE /v1/customers/C-p?erase=true');
    const erased = await app.inject({ method: 'DELETE', url: '/v1/customers/C-p?erase=true', headers: auth(key.integration) });
    expect(erased.statusCode).toBe(204);
    expect((await app.inject({ url: `/v1/recordings/${recId}/analysis`, headers: auth(key.admin) })).statusCode).toBe(404);
    expect(await count('transcripts')).toBe(0);
    expect(files()).toBe(0);
    const id = await upload(key.integration, { repId: 'r-gone' }, '销售：您好，今天聊聊交期。', 'r.txt');
    expect((await app.inject({ method: 'DELETE', url: '/v1/reps/r-gone', headers: auth(key.integration) })).json().error.code).toBe('rep_has_data');
    expect((await app.inject({ method: 'DELETE', url: '/v1/reps/r-gone?erase=true', headers: auth(key.integration) })).statusCode).toBe(204);
    expect((await app.inject({ url: `/v1/recordings/${id}`, headers: auth(key.admin) })).statusCode).toBe(404);
    expect(files()).toBe(0);
    const actions = (await app.inject({ url: '/v1/audit', headers: auth(key.admin) })).json().items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['recording.erase', 'customer.erase', 'rep.erase']));
  });

  it('enforces the tenant retention setting in the daily job: old audio and old recordings go, recent ones stay', async () => {
    const old = await upload(key.integration, { repId: 'r-p', recordedAt: '2020-01-05T10:00:00+08:00' }, '销售：老拜访。', 'old.txt');
    const recent = await upload(key.integration, { repId: 'r-p', recordedAt: '2026-11-29T10:00:00+08:00' }, '销售：新拜访。', 'new.txt');
    expect((await app.inject({ method: 'PUT', url: '/v1/retention', headers: auth(key.integration), payload: { transcriptDays: 1095 } })).statusCode).toBe(403);
    const put = await app.inject({ method: 'PUT', url: '/v1/retention', headers: auth(key.admin), payload: { audioDays: 180, transcriptDays: 1095 } });
    expect(put.json()).toEqual({ audioDays: 180, transcriptDays: 1095 });
    await queue.enqueue('retention-sweep', { requestedAt: Date.now() });
    await waitFor(async () => (await app.inject({ url: `/v1/recordings/${old}`, headers: auth(key.admin) })).statusCode === 404, 20_000);
    expect((await app.inject({ url: `/v1/recordings/${recent}/analysis`, headers: auth(key.admin) })).statusCode).toBe(200);
    const sweep = (await app.inject({ url: '/v1/audit?action=retention.sweep', headers: auth(key.admin) })).json().items;
    expect(sweep[0].detail).toMatchObject({ recordingsErased: 1 });
  });
});
