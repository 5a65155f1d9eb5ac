import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miningRuns } from '../db/schema.ts';
import { generatePlantedEvents } from '../fixtures/events/generate.ts';
import { seedMiningEvents, type SeededLead } from '../fixtures/mining/seed.ts';
import { formatFigure } from '../patterns/finding-text.ts';
import { runMining } from '../patterns/mine.ts';
import type { MiningResult } from '../patterns/types.ts';
import { BullJobQueue, startBullWorkers, type RunningWorkers } from '../workers/bullmq.ts';
import type { JobDeps } from '../workers/deps.ts';
import { runJob } from '../workers/run-job.ts';
import { openService, type Service } from '../workers/service.ts';
import { testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';
import { withQueue } from '../workers/ports.ts';

/**
 * Mining as a queued job through the API, on real Postgres + Redis + a BullMQ worker: the planted events of
 * fixtures/events/generate.ts are stored through the repositories, and the stored result must show the planted
 * numbers exactly, the same as `tingjian mine` on the same events — and the report pages the same figures.
 */
// 30 reps (the top 10 % are r25, r15, r05: enough reps for significance), leads 0–19 of each: the planted cycles
// repeat within them, so the planted means come out exactly as with all 50 leads.
const EVENTS = generatePlantedEvents({ reps: 30 }).filter((e) => Number(e.lead.slice(-3)) < 20);
const DIRECT = runMining(EVENTS);
const bin = path.resolve(import.meta.dirname, '../bin/tingjian.js');
const run = promisify(execFile);

let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
let workers: RunningWorkers;
let deps: JobDeps;
let app: FastifyInstance;
let tenantId: string;
let otherTenantId: string;
let seeded: Map<string, SeededLead>;
let runId = '';
const key: Record<string, string> = {};
const auth = (k: string) => ({ authorization: `Bearer ${k}` });

async function makeKey(tenant: string, role: 'admin' | 'trainer' | 'rep' | 'integration', rep?: string) {
  const t = await service.repos.tenants.ensure(tenant);
  const r = rep ? await service.repos.reps.ensure(t.id, rep) : null;
  return (await service.repos.apiKeys.create({ tenantId: t.id, role, repId: r?.id })).key;
}

const startRun = (k: string, payload: object = {}) => app.inject({ method: 'POST', url: '/v1/mining/runs', headers: auth(k), payload });
const getRun = (k: string, id: string) => app.inject({ url: `/v1/mining/runs/${id}`, headers: auth(k) });
const finished = (id: string) =>
  waitFor(async () => {
    const body = (await getRun(key.trainer, id)).json();
    return body.status === 'done' || body.status === 'failed' ? body : null;
  }, 60_000);
const rowsOf = async (id: string) => (await service.db.select().from(miningRuns).where(eq(miningRuns.id, id))).length;

beforeAll(async () => {
  env = await testEnvironment('mining');
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
  deps = withQueue(service, queue);
  workers = startBullWorkers(deps, env.config, ['mine-tenant']);
  app = await buildApp({ config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
  key.trainer = await makeKey('甲公司', 'trainer');
  key.admin = await makeKey('甲公司', 'admin');
  key.crm = await makeKey('甲公司', 'integration');
  key.rep = await makeKey('甲公司', 'rep', 'r01');
  key.other = await makeKey('乙公司', 'trainer');
  tenantId = (await service.repos.tenants.ensure('甲公司')).id;
  otherTenantId = (await service.repos.tenants.ensure('乙公司')).id;
  seeded = await seedMiningEvents(service.repos, tenantId, EVENTS);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await workers?.close();
  for (const q of queue?.allQueues() ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queue?.close();
  await service?.close();
  await env?.cleanup();
});

describe('mining runs through the API and the mine-tenant job', () => {
  it('queues a run (202) that the worker completes with the planted numbers', async () => {
    const res = await startRun(key.trainer);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued', topShare: 0.1 });
    runId = res.json().id;
    expect(res.json().url).toBe(`/v1/mining/runs/${runId}`);

    const done = await finished(runId);
    expect(done).toMatchObject({ id: runId, status: 'done', error: null });
    expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
    const r: MiningResult = done.result;
    expect(r.groups.top).toEqual(['r25', 'r15', 'r05']);
    expect(r.stats).toMatchObject({ events: EVENTS.length, leads: 600, leadsTop: 60, leadsRest: 540 });
    expect(r.malformed).toEqual([]);
    expect(r.groupsTooSmall).toBeNull();

    const probe = r.findings.find((f) => f.id === 'before_stage:use_case_probe')!;
    expect(probe).toMatchObject({ status: 'established', stage: 'price_negotiation', customerType: null, repsTop: 3, leadsTop: 60, leadsRest: 540 });
    expect(probe.top).toBeCloseTo(1.8, 12);
    expect(probe.rest).toBeCloseTo(0.7, 12);
    const restate = r.findings.find((f) => f.id === 'sequence:value_restate')!;
    expect(restate).toMatchObject({ status: 'established', steps: ['proposal_sent', 'value_restate'], maxGapHours: 24 });
    expect(restate.top).toBeCloseTo(0.85, 12);
    expect(restate.rest).toBeCloseTo(0.2, 12);
    // The decoy (objection_handling, equal in both groups) is never significant.
    expect(r.findings.filter((f) => f.behaviors.includes('objection_handling') && f.status !== 'descriptive')).toEqual([]);
    // Stored and reloaded, the events mine exactly as the generator's own list does.
    expect(r.findings).toEqual(DIRECT.findings);
    expect(r.beforeStage).toEqual(DIRECT.beforeStage);
    expect(r.patterns).toEqual(DIRECT.patterns);
    expect(r.performance).toEqual(DIRECT.performance);

    const job = await queue.queue('mine-tenant').getJob(`mine-tenant.${runId}`);
    expect(job?.progress).toBe(100);
  }, 90_000);

  it('coaches rest reps with their own recordings where the behaviour was missing', async () => {
    const r: MiningResult = (await getRun(key.trainer, runId)).json().result;
    expect(r.coaching.map((c) => c.rep)).not.toContain('r05');
    const r01 = r.coaching.find((c) => c.rep === 'r01')!;
    const probe = r01.suggestions.find((s) => s.behavior === 'use_case_probe' && s.kind === 'before_stage')!;
    expect(probe).toMatchObject({ findingId: 'before_stage:use_case_probe', stage: 'price_negotiation', customerType: null });
    expect(probe.top).toBeCloseTo(1.8, 12);
    expect(probe.yours).toBeLessThan(probe.top);
    expect(probe.message).toMatch(/[\u4e00-\u9fff]/);
    const own = new Set([...seeded].filter(([lead]) => lead.startsWith('r01-')).map(([, s]) => s.recordingId));
    expect(probe.evidence.recordings.length).toBeGreaterThan(0);
    for (const rec of probe.evidence.recordings) {
      expect(own.has(rec.recordingId)).toBe(true);
      expect(rec.moments.some((m) => m.behavior === 'use_case_probe' && m.status === 'missing')).toBe(true);
    }
  });

  it('passes the requested top share to the miner', async () => {
    const res = await startRun(key.admin, { topShare: 0.2 });
    expect(res.statusCode).toBe(202);
    const done = await finished(res.json().id);
    expect(done.status).toBe('done');
    expect(done.topShare).toBe(0.2);
    expect(done.result.groups.top).toEqual(runMining(EVENTS, { topShare: 0.2 }).groups.top);
    expect(done.result.groups.top).toHaveLength(6);
  }, 90_000);

  it('serves the newest finished run as latest, per tenant', async () => {
    const latest = await app.inject({ url: '/v1/mining/latest', headers: auth(key.crm) });
    expect(latest.statusCode).toBe(200);
    expect(latest.json().topShare).toBe(0.2);
    expect(latest.json().result.stats.events).toBe(EVENTS.length);
    const none = await app.inject({ url: '/v1/mining/latest', headers: auth(key.other) });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('no_mining_run');
  });

  it("answers 404 for another tenant's run and for ids that are not runs", async () => {
    const res = await getRun(key.other, runId);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('mining_run_not_found');
    expect((await getRun(key.trainer, randomUUID())).statusCode).toBe(404);
    expect((await getRun(key.trainer, 'not-a-uuid')).statusCode).toBe(404);
  });

  it("mines only the caller's tenant: a tenant without events gets a clear 'too small' answer, not a failure", async () => {
    const res = await startRun(key.other);
    expect(res.statusCode).toBe(202);
    const done = await waitFor(async () => {
      const body = (await getRun(key.other, res.json().id)).json();
      return body.status === 'done' || body.status === 'failed' ? body : null;
    }, 60_000);
    expect(done.status).toBe('done');
    expect(done.result.stats).toMatchObject({ events: 0, leads: 0 });
    expect(done.result.groupsTooSmall).toContain('分组过小');
    expect((await getRun(key.trainer, res.json().id)).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/mining/latest', headers: auth(key.other) })).json().id).toBe(res.json().id);
  }, 60_000);

  it('lets trainers and admins start runs, validates topShare', async () => {
    expect((await startRun(key.rep)).statusCode).toBe(403);
    expect((await startRun(key.crm)).statusCode).toBe(403);
    expect((await getRun(key.rep, runId)).statusCode).toBe(403);
    expect((await getRun(key.crm, runId)).statusCode).toBe(200);
    for (const topShare of [0, 1.5, 'viel']) {
      const res = await startRun(key.trainer, { topShare });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
  });
});

describe('one finding, one number', () => {
  it('shows the same figures for the same finding in CLI JSON, the API, the team page and the rep page', async () => {
    // A fresh run with the default top share, so it is the latest one the report pages read.
    const api: MiningResult = (await finished((await startRun(key.trainer)).json().id)).result;
    expect((await app.inject({ url: '/v1/mining/latest', headers: auth(key.trainer) })).json().result).toEqual(api);
    const file = path.join(os.tmpdir(), `tj-mining-${process.pid}.jsonl`);
    fs.writeFileSync(file, EVENTS.map((e) => JSON.stringify(e)).join('\n'));
    const cli: MiningResult = JSON.parse((await run(process.execPath, [bin, 'mine', '--input', file, '--json'], { maxBuffer: 64 << 20 })).stdout);
    fs.rmSync(file);
    const page = async (name: string) => (await app.inject({ url: `/reports/${name}`, headers: auth(key.trainer) })).body;
    const team = await page('index.html');
    const repPage = await page('rep-r01.html');
    for (const id of ['before_stage:use_case_probe', 'sequence:value_restate']) {
      const f = api.findings.find((x) => x.id === id)!;
      expect(cli.findings.find((x) => x.id === id)).toEqual(f);
      for (const html of [team, repPage]) {
        expect(html).toContain(`data-finding="${id}"`);
        expect(html).toContain(f.text.sentence);
        expect(html).toContain(f.text.basis);
        expect(html).toContain(f.text.status);
      }
      // The rep's own figure on the rep page is the finding's own per-rep value, formatted the same way.
      const own = f.perRep.find((p) => p.rep === 'r01')!;
      expect(repPage).toContain(`你：${formatFigure(f.unit, own.value)}</strong>（${own.leads} 条线索）`);
    }
    const probe = api.findings.find((x) => x.id === 'before_stage:use_case_probe')!;
    expect(probe.text.sentence).toContain('优秀组平均每条线索做 1.8 次「应用场景深挖」，其他销售 0.7 次（全部客户）');
    // The rep page's chart draws the same finding with the same numbers.
    expect(repPage).toMatch(new RegExp(`data-finding="before_stage:use_case_probe"[\\s\\S]*?优秀组 ${probe.text.top}[\\s\\S]*?其他销售 ${probe.text.rest}`));
    // The coaching card speaks from a finding in the team's list, with the same top figure.
    const card = api.coaching.find((c) => c.rep === 'r01')!.suggestions.find((s) => s.behavior === 'use_case_probe')!;
    expect(repPage).toContain(card.message);
    expect(card.message).toContain(`优秀组是 ${probe.text.top} 次`);
  }, 60_000);
});

describe('OpenAPI', () => {
  it('documents the mining routes with the result shape and their error answers', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json();
    expect(spec.paths['/v1/mining/runs'].post.responses).toHaveProperty('202');
    expect(spec.paths['/v1/mining/runs'].post.responses).toHaveProperty('503');
    expect(spec.paths['/v1/mining/runs/{id}'].get.responses).toHaveProperty('404');
    const run = spec.paths['/v1/mining/latest'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(run.properties.result.properties)).toEqual(expect.arrayContaining(['beforeStage', 'patterns', 'coaching']));
  });
});

describe('the mine-tenant job is idempotent per run id', () => {
  it('keeps one row when the same job is enqueued again or re-run after it finished', async () => {
    const before = await service.repos.mining.getById(tenantId, runId);
    await queue.enqueue('mine-tenant', { tenantId, runId });
    const progress: number[] = [];
    await runJob('mine-tenant', { tenantId, runId }, { ...deps, progress: (p) => progress.push(p) }, { final: true });
    expect(await rowsOf(runId)).toBe(1);
    const after = (await service.repos.mining.getById(tenantId, runId))!;
    expect(after.status).toBe('done');
    expect(after.finishedAt!.getTime()).toBeGreaterThan(before!.finishedAt!.getTime());
    expect(after.result!.beforeStage).toEqual(before!.result!.beforeStage);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
  }, 60_000);

  it('creates the row for a run queued without one, once', async () => {
    const id = randomUUID();
    await runJob('mine-tenant', { tenantId, runId: id }, deps, { final: false });
    await runJob('mine-tenant', { tenantId, runId: id }, deps, { final: false });
    expect(await rowsOf(id)).toBe(1);
    expect(await service.repos.mining.getById(tenantId, id)).toMatchObject({ status: 'done', topShare: 0.1 });
  }, 60_000);

  it("refuses another tenant's run id without touching it", async () => {
    await expect(runJob('mine-tenant', { tenantId: otherTenantId, runId }, deps, { final: true })).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await service.repos.mining.getById(tenantId, runId)).toMatchObject({ status: 'done' });
    expect(await service.repos.mining.getById(otherTenantId, runId)).toBeUndefined();
  });

  it('marks a run with an impossible top share failed, with the code, and does not retry it', async () => {
    const run = await service.repos.mining.create(tenantId, 1.5);
    await expect(runJob('mine-tenant', { tenantId, runId: run.id }, deps, { final: false })).rejects.toBeInstanceOf(UnrecoverableError);
    const res = (await getRun(key.trainer, run.id)).json();
    expect(res).toMatchObject({ status: 'failed', result: null });
    expect(res.error.code).toBe('invalid_top_share');
  });
});
