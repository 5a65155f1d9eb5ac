import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createInlineRunner, type InlineRunner } from '../../workers/inline-runner.ts';
import { openService, type Service } from '../../workers/service.ts';
import type { Stages } from '../../workers/stages.ts';
import { recordAttitude } from './attitude.service.ts';
import { departRep } from './handover.service.ts';
import { phiReport } from './phi.service.ts';
import { changeStage } from './stage.service.ts';
import { withQueue } from '../../workers/ports.ts';

/**
 * The embedded path `tingjian demo` runs: PGlite with the same migrations and the inline runner instead of Redis,
 * fast-forwarding the 48 h escalation with the runner's clock.
 */
let service: Service;
let runner: InlineRunner;
let tenantId: string;
const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-leads-pglite-'));

beforeAll(async () => {
  const config = loadConfig({ PGLITE_DIR: 'memory://', STORAGE_DIR: storageDir, LOG_LEVEL: 'silent' });
  service = await openService(config, { stages: {} as Stages });
  runner = createInlineRunner(service);
  const { repos } = service;
  tenantId = (await repos.tenants.ensure('演示公司')).id;
  await repos.reps.upsert(tenantId, 'sup', { name: '主管', team: 'T' });
  await repos.reps.upsert(tenantId, 'r1', { name: '销售一', team: 'T', supervisorExternalId: 'sup' });
  await repos.reps.upsert(tenantId, 'r2', { name: '销售二', team: 'T' });
  await repos.reps.upsert(tenantId, 'law', { name: '法务', title: 'legal' });
  await repos.reps.upsert(tenantId, 'lawlead', { name: '法务主管', title: 'legal_lead' });
  await repos.leads.upsert(tenantId, 'L1', { ownerRepExternalId: 'r1', customerExternalId: 'C1' });
}, 60_000);

afterAll(async () => {
  await service?.close();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

describe('leads on PGlite with the inline runner', () => {
  it('runs the legal-review loop: reminder now, escalation only once the clock passes 48 h', async () => {
    const deps = withQueue(service, runner);
    const lead = (await service.repos.leads.getByExternalId(tenantId, 'L1'))!;
    for (const kind of ['read_receipt_screenshot', 'business_license', 'authorization_letter', 'technical_agreement']) {
      await service.repos.leadEvidence.addAttachment({ tenantId, leadId: lead.id, kind, originalName: kind, byteSize: 1, sha256: 'x', storageKey: 'k' });
    }
    await changeStage(deps, tenantId, 'L1', 'legal_review', { actor: 'r1' });
    await runner.drain();
    const [task] = await service.repos.followUps.list(tenantId, { kind: 'legal_review' });
    expect(task.remindedAt).not.toBeNull();
    expect(task.escalatedAt).toBeNull();
    await runner.drain({ until: new Date(Date.now() + 48 * 3_600_000 + 60_000) });
    expect((await service.repos.followUps.getById(tenantId, task.id))!.escalatedAt).not.toBeNull();
  });

  it('records attitude, computes PHI and hands over on the embedded database', async () => {
    const deps = withQueue(service, runner);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const out = await recordAttitude(deps, tenantId, [{ day: today, repId: 'r1', customerId: 'C1', score: 2, interactions: 2 }]);
    expect(out.saved).toBe(1);
    const phi = await phiReport(deps, tenantId, {});
    expect(phi.tenant.components.touchpointTrace).toEqual({ rate: 0, numerator: 0, denominator: 2 });
    expect(phi.tenant.components.stageOnTime.denominator).toBe(1);
    const handover = await departRep(deps, tenantId, 'r1', 'r2', 'admin');
    expect(handover.dossiers.map((d) => d.customerId)).toEqual(['C1']);
    expect((await service.repos.leads.getByExternalId(tenantId, 'L1'))!.ownerRepExternalId).toBe('r2');
    await runner.drain();
  });
});
