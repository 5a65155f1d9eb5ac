import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { miningRuns } from '../../db/schema.ts';
import { generatePlantedEvents } from '../../fixtures/events/generate.ts';
import { seedMiningEvents } from '../../fixtures/mining/seed.ts';
import { runMining } from '../../patterns/mine.ts';
import { createInlineRunner } from '../inline-runner.ts';
import { openService, type Service } from '../service.ts';

/** The demo's path for mining: embedded PGlite in memory, the mine-tenant job run by the inline runner, no Redis. */
// Leads 14–17 of each of 30 reps (the top 10 % are 3 reps, enough for significance): small enough to store quickly in
// PGlite, still perfectly separated groups, and every rest rep has calls without any use_case_probe (leads 15–17),
// which the coaching evidence must point at.
const EVENTS = generatePlantedEvents({ reps: 30 }).filter((e) => /-L01[4-7]$/.test(e.lead));
let service: Service;

beforeAll(async () => {
  const config = loadConfig({
    PGLITE_DIR: 'memory://',
    STORAGE_DIR: '/nonexistent/tingjian-mining-inline',
    LOG_LEVEL: 'silent',
    // Unreachable on purpose: nothing in this path may touch Redis.
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  service = await openService(config);
}, 60_000);

afterAll(async () => {
  await service?.close();
});

describe('mine-tenant in the inline runner on PGlite', () => {
  it('mines the stored events with coaching evidence, and a second run of the same id keeps one row', async () => {
    const tenant = await service.repos.tenants.ensure('演示公司');
    const seeded = await seedMiningEvents(service.repos, tenant.id, EVENTS, { concurrency: 1 });
    const run = await service.repos.mining.create(tenant.id, 0.1);
    const runner = createInlineRunner(service);
    await runner.enqueue('mine-tenant', { tenantId: tenant.id, runId: run.id });
    expect((await runner.drain()).byJob['mine-tenant']).toEqual({ completed: 1, failed: 0 });

    const stored = (await service.repos.mining.getById(tenant.id, run.id))!;
    expect(stored.status).toBe('done');
    const direct = runMining(EVENTS);
    expect(stored.result!.stats).toEqual(direct.stats);
    expect(stored.result!.groups).toEqual(direct.groups);
    expect(stored.result!.findings).toEqual(direct.findings);
    expect(stored.result!.beforeStage).toEqual(direct.beforeStage);
    expect(stored.result!.patterns).toEqual(direct.patterns);
    expect(stored.result!.groupsTooSmall).toBeNull();

    const r01 = stored.result!.coaching.find((c) => c.rep === 'r01')!;
    const probe = r01.suggestions.find((s) => s.kind === 'before_stage' && s.behavior === 'use_case_probe')!;
    expect(probe.stage).toBe('price_negotiation');
    const evidenceIds = probe.evidence.recordings.map((r) => r.recordingId).sort();
    expect(evidenceIds).toEqual(['r01-L015', 'r01-L016', 'r01-L017'].map((l) => seeded.get(l)!.recordingId).sort());
    for (const rec of probe.evidence.recordings) {
      expect(rec.moments).toContainEqual(expect.objectContaining({ behavior: 'use_case_probe', status: 'missing', segment: 0 }));
    }

    await runner.enqueue('mine-tenant', { tenantId: tenant.id, runId: run.id });
    expect((await runner.drain()).byJob['mine-tenant']).toEqual({ completed: 1, failed: 0 });
    expect(await service.db.select({ id: miningRuns.id }).from(miningRuns).where(eq(miningRuns.tenantId, tenant.id))).toEqual([{ id: run.id }]);
    expect(await service.repos.mining.latestDone(tenant.id)).toMatchObject({ id: run.id, status: 'done' });
    expect(seeded.size).toBe(120);
  }, 120_000);
});
