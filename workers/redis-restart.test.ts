import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from './bullmq.ts';
import { freePort } from './child-process.testing.ts';
import { startMaintenance } from './maintenance.ts';
import { queuePorts, withQueue } from './ports.ts';
import { openService, type Service } from './service.ts';
import { testEnvironment, waitFor } from './testing.ts';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { Readable } from 'node:stream';

/**
 * Redis restarts without its data while recordings are in flight: the rows say `normalizing`, the jobs are gone.
 * A worker start must find them and finish every one, and reconciling again must queue nothing twice.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let redis: ChildProcess;
let redisPort = 0;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers | undefined;

const startRedis = () => {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
};

beforeAll(async () => {
  redisPort = await freePort();
  startRedis();
  env = await testEnvironment('redisrestart', { REDIS_URL: `redis://127.0.0.1:${redisPort}`, RECONCILE_GRACE_MS: '0' });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  await waitFor(async () => queue.connection.status === 'ready', 10_000);
});

afterAll(async () => {
  await workers?.close();
  await queue?.close();
  await service?.close();
  if (redis?.exitCode === null) redis.kill('SIGKILL');
  await env?.cleanup({ redis: false });
});

const statuses = async () =>
  ((await service.db.execute(sql`select status, count(*)::int as n from recordings group by status`)) as unknown as Array<{ status: string; n: number }>).reduce(
    (m, r) => ({ ...m, [r.status]: r.n }),
    {} as Record<string, number>,
  );

describe('Redis restarts empty', () => {
  it('re-queues every recording left without a job, once', async () => {
    const tenant = await service.repos.tenants.ensure('重启公司');
    const pipeline = queuePorts(service.repos, queue).pipeline;
    for (let i = 0; i < 6; i++) {
      const stored = await storeBody(service.storage, tenant.id, Readable.from([Buffer.from(`销售：第 ${i} 次拜访，我们明天把报价发给您。\n客户：好的。`)]), 1e6);
      await registerRecording({ repos: service.repos, storage: service.storage, pipeline }, stored, { repExternalId: 'r1', originalName: `v${i}.txt` });
    }
    // Only normalization runs: each recording is parsed, marked normalizing, and its analyze job waits in Redis.
    workers = startBullWorkers(withQueue(service, queue), env.config, ['normalize']);
    await waitFor(async () => (await statuses()).normalizing === 6, 30_000);
    await workers.close();
    workers = undefined;

    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    await waitFor(async () => queue.connection.status !== 'ready', 10_000, 20);
    startRedis();
    await waitFor(async () => queue.ping().then(() => true, () => false), 20_000);
    expect(await queue.queue('analyze').count()).toBe(0);

    // A worker starts: it reconciles, then processes what it put back.
    const deps = withQueue(service, queue);
    workers = startBullWorkers(deps, env.config);
    const errors: string[] = [];
    await startMaintenance({ ...deps, log: { ...deps.log, error: (o: object) => errors.push(JSON.stringify(o)) } }, queue, env.config);
    expect(errors).toEqual([]);
    await waitFor(async () => (await statuses()).analyzed === 6, 60_000);
    expect(await statuses()).toEqual({ analyzed: 6 });

    // Again, with everything done and the jobs kept as completed: nothing is queued, nothing analyzed twice.
    const before = await queue.queue('normalize').getJobCounts();
    await startMaintenance(deps, queue, env.config);
    expect(await queue.queue('normalize').getJobCounts()).toEqual(before);
    const [{ n }] = (await service.db.execute(sql`select count(*)::int as n from analyses`)) as unknown as Array<{ n: number }>;
    expect(n).toBe(6);
    // The repeatable reconcile and the daily retention sweep are scheduled once each.
    expect((await queue.queue('reconcile').getJobSchedulers()).length).toBe(1);
    expect((await queue.queue('retention-sweep').getJobSchedulers()).map((s) => s.pattern)).toEqual([env.config.RETENTION_CRON]);
  }, 120_000);
});
