import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from '../workers/bullmq.ts';
import { queuePorts, withQueue } from '../workers/ports.ts';
import { openService, type Service } from '../workers/service.ts';
import { intranetAddress, testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';

/**
 * The attacker is a tenant's integration/admin key pointing webhooks and robots at the service's own network.
 * Listening servers on loopback stand for the internal services: the test asserts they never receive a byte.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers;
let app: FastifyInstance;
let internal: http.Server;
let intranet: http.Server;
let internalHits = 0;
let intranetHits = 0;
const ip = intranetAddress();
let crm = '';
let key = '';
let adminKey = '';
let tenantId = '';

const listen = (s: http.Server, host: string) => new Promise<number>((r) => s.listen(0, host, () => r((s.address() as AddressInfo).port)));

beforeAll(async () => {
  env = await testEnvironment('ssrf', { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50', WEBHOOK_ALLOWED_CIDRS: `${ip}/32` });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  workers = startBullWorkers(withQueue(service, queue), env.config, ['webhook-delivery', 'robot-delivery']);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  internal = http.createServer((_req, res) => {
    internalHits++;
    res.end('{"secret":"internal"}');
  });
  // The allowed intranet CRM answers every request with a redirect to the internal service.
  const internalPort = await listen(internal, '127.0.0.1');
  intranet = http.createServer((req, res) => {
    intranetHits++;
    if (req.url?.startsWith('/redirect')) res.writeHead(302, { location: `http://127.0.0.1:${internalPort}/` }).end();
    else res.writeHead(200).end('{"errcode":0}');
  });
  crm = `http://${ip}:${await listen(intranet, ip)}`;
  const tenant = await service.repos.tenants.ensure('攻击公司');
  tenantId = tenant.id;
  key = (await service.repos.apiKeys.create({ tenantId, role: 'integration' })).key;
  adminKey = (await service.repos.apiKeys.create({ tenantId, role: 'admin' })).key;
  (globalThis as { internalPort?: number }).internalPort = internalPort;
});

afterAll(async () => {
  await app?.close();
  await workers?.close();
  await queue?.close();
  await service?.close();
  await new Promise((r) => internal?.close(r));
  await new Promise((r) => intranet?.close(r));
  await env?.cleanup();
});

const internalPort = () => (globalThis as { internalPort?: number }).internalPort!;

describe('SSRF through webhooks and robots', () => {
  it('refuses every internal spelling at registration and stores nothing', async () => {
    const p = internalPort();
    const urls = [
      `http://127.0.0.1:${p}/`,
      `http://localhost:${p}/`,
      `http://0.0.0.0:${p}/`,
      `http://2130706433:${p}/`,
      `http://127.1:${p}/`,
      `http://0x7f.1:${p}/`,
      `http://[::1]:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://100.100.100.200/latest/meta-data/',
      'http://10.0.0.5/crm',
      'http://no-such-host.invalid/',
    ];
    for (const url of urls) {
      const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${key}` }, payload: { url } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('url_not_allowed');
      const robot = await app.inject({ method: 'PUT', url: '/v1/lead-settings', headers: { authorization: `Bearer ${adminKey}` }, payload: { wecomWebhookUrl: url } });
      expect(robot.statusCode, url).toBe(400);
      expect(robot.json().error.code, url).toBe('url_not_allowed');
    }
    expect(await service.repos.webhooks.list(tenantId)).toEqual([]);
    expect((await service.repos.leadEvidence.settings(tenantId))?.wecomWebhookUrl ?? null).toBeNull();
    expect(internalHits).toBe(0);
  });

  it('delivers to an intranet CRM the operator allowed', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${key}` }, payload: { url: `${crm}/hook`, events: ['recording.analyzed'] } });
    expect(res.statusCode).toBe(201);
    await queuePorts(service.repos, queue).events.publish(tenantId, 'recording.analyzed', { recordingId: 'r-1' });
    const [d] = await waitFor(async () => {
      const rows = await service.repos.webhooks.deliveries(tenantId, res.json().id);
      return rows[0]?.status === 'delivered' ? rows : null;
    });
    expect(d).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
  });

  it('checks again at delivery, follows no redirect, and logs no connection details', async () => {
    // Rows that got past registration (DNS that changed since, a row from before this check): the worker refuses them.
    const inside = await service.repos.webhooks.create(tenantId, `http://127.0.0.1:${internalPort()}/`, ['lead.stage_changed']);
    const redirect = await service.repos.webhooks.create(tenantId, `${crm}/redirect`, ['lead.stage_changed']);
    const closed = await service.repos.webhooks.create(tenantId, `http://${ip}:1/`, ['lead.stage_changed']);
    await queuePorts(service.repos, queue).events.publish(tenantId, 'lead.stage_changed', { leadId: 'L-1' });
    const final = async (id: string) =>
      waitFor(async () => {
        const [d] = await service.repos.webhooks.deliveries(tenantId, id);
        return d?.status === 'failed' ? d : null;
      });
    expect(await final(inside.id)).toMatchObject({ lastError: 'address_not_allowed', lastStatusCode: null, attempts: 1 });
    expect(await final(redirect.id)).toMatchObject({ lastError: 'http_302', lastStatusCode: 302 });
    expect(await final(closed.id)).toMatchObject({ lastError: 'unreachable', lastStatusCode: null });
    const log = await app.inject({ url: `/v1/webhooks/${closed.id}/deliveries`, headers: { authorization: `Bearer ${key}` } });
    expect(JSON.stringify(log.json())).not.toMatch(/ECONN|127\.0\.0\.1|connect/i);
    expect(internalHits).toBe(0);
  });

  it('refuses a robot URL at delivery that no longer passes the check', async () => {
    // Saved straight into the repository, as a row from before the check would be.
    await service.repos.leadEvidence.saveSettings(tenantId, { wecomWebhookUrl: `http://127.0.0.1:${internalPort()}/cgi-bin/webhook/send?key=k` });
    const msg = await service.repos.handovers.queueRobotMessage({ tenantId, channel: 'wecom', event: 'lead.stage_changed', body: { msgtype: 'text' } });
    await queuePorts(service.repos, queue).scheduler.deliverRobotMessage(msg.id);
    const row = await waitFor(async () => {
      const m = await service.repos.handovers.robotMessage(msg.id);
      return m?.status === 'failed' ? m : null;
    });
    expect(row.lastError).toBe('address_not_allowed');
    expect(internalHits).toBe(0);
  });
});
