import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from './bullmq.ts';
import { openService, type Service } from './service.ts';
import { intranetAddress, testEnvironment, waitFor } from './testing.ts';
import { verifyWebhook } from './webhook-signing.ts';
import { queuePorts, withQueue } from './ports.ts';

/** Deliveries go through the queue: a failing receiver is retried with backoff, a dead one ends `failed`, all logged. */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers;
let receiver: http.Server;
let calls = 0;
const bodies: Array<{ body: string; headers: http.IncomingHttpHeaders }> = [];

beforeAll(async () => {
  // The receiver is an intranet host the operator allowed: deliveries never reach loopback.
  env = await testEnvironment('webhook', { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '100', WEBHOOK_ALLOWED_CIDRS: `${intranetAddress()}/32` });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  workers = startBullWorkers(withQueue(service, queue), env.config, ['webhook-delivery']);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls++;
      bodies.push({ body, headers: req.headers });
      // The first attempt meets a receiver having a bad moment.
      res.writeHead(calls === 1 ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, intranetAddress(), () => r()));
});

afterAll(async () => {
  await workers?.close();
  await queue?.close();
  await service?.close();
  await new Promise((r) => receiver?.close(r));
  await env?.cleanup();
});

describe('webhook delivery', () => {
  it('retries a 500 with backoff, then delivers; a dead receiver ends failed after the last attempt', async () => {
    const tenant = await service.repos.tenants.ensure('己公司');
    const { port } = receiver.address() as { port: number };
    const ip = intranetAddress();
    const good = await service.repos.webhooks.create(tenant.id, `http://${ip}:${port}/hook`, ['recording.analyzed']);
    const dead = await service.repos.webhooks.create(tenant.id, `http://${ip}:1/nothing-listens`, ['*']);
    const ignoring = await service.repos.webhooks.create(tenant.id, `http://${ip}:${port}/other`, ['recording.failed']);

    await queuePorts(service.repos, queue).events.publish(tenant.id, 'recording.analyzed', { recordingId: 'r-1' });

    const delivered = await waitFor(async () => {
      const [d] = await service.repos.webhooks.deliveries(tenant.id, good.id);
      return d?.status === 'delivered' ? d : null;
    });
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200, event: 'recording.analyzed' });
    expect(calls).toBe(2);
    // Each attempt is signed afresh with its own timestamp.
    for (const b of bodies) {
      expect(verifyWebhook(good.secret, { signature: b.headers['x-tingjian-signature'] as string, timestamp: b.headers['x-tingjian-timestamp'] as string }, b.body)).toBe(true);
    }
    expect(JSON.parse(bodies[1].body)).toMatchObject({ id: delivered.id, event: 'recording.analyzed', data: { recordingId: 'r-1' } });

    const failed = await waitFor(async () => {
      const [d] = await service.repos.webhooks.deliveries(tenant.id, dead.id);
      return d?.status === 'failed' ? d : null;
    });
    expect(failed.attempts).toBe(3);
    // The tenant learns that it was unreachable, not how (no ECONNREFUSED, no address): no port scanning through the log.
    expect(failed.lastError).toBe('unreachable');
    expect(await service.repos.webhooks.deliveries(tenant.id, ignoring.id)).toEqual([]);
  }, 60_000);
});
