import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStageEvents } from '../../db/schema.ts';
import { startTestService, type TestService } from '../../fixtures/leads/test-service.ts';

const run = promisify(execFile);
const BIN = path.join(import.meta.dirname, '../../bin/tingjian.js');
let t: TestService;

beforeAll(async () => {
  t = await startTestService({ name: 'leads_phi_cli' });
  const { repos, db } = t.service;
  const tn = (await repos.tenants.ensure('丁公司')).id;
  await repos.reps.upsert(tn, 'A', { team: 'T1' });
  // One lead within the 48 h new_lead standard, one not: stage on-time 1/2.
  for (const [id, hours] of [['L1', 24], ['L2', 96]] as const) {
    await repos.leads.upsert(tn, id, { ownerRepExternalId: 'A', customerExternalId: 'c1' });
    const lead = (await repos.leads.getByExternalId(tn, id))!;
    await db.delete(leadStageEvents).where(eq(leadStageEvents.leadId, lead.id));
    const start = Date.parse('2026-10-01T00:00:00Z');
    await db.insert(leadStageEvents).values([
      { tenantId: tn, leadId: lead.id, toStage: 'new_lead', at: new Date(start) },
      { tenantId: tn, leadId: lead.id, fromStage: 'new_lead', toStage: 'lost', at: new Date(start + hours * 3_600_000) },
    ]);
  }
  // Two reported interactions, one recorded: touchpoint trace 1/2.
  const rep = (await repos.reps.getByExternalId(tn, 'A'))!;
  const customer = (await repos.customers.getByExternalId(tn, 'c1'))!;
  await repos.attitude.upsert([{ tenantId: tn, customerId: customer.id, repId: rep.id, day: '2026-10-02', score: 3, source: 'report', sourceKey: 'report', interactions: 2 }]);
  await repos.recordings.insert({ tenantId: tn, repId: rep.id, customerId: customer.id, recordedAt: new Date('2026-10-02T03:00:00Z'), originalName: 'a.m4a', sha256: 's', byteSize: 1, storageKey: 'k', status: 'analyzed' });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const env = () => ({ ...process.env, DATABASE_URL: t.config.DATABASE_URL, LOG_LEVEL: 'silent' });

describe('tingjian phi', () => {
  it('prints the index as JSON: (0.4 × 1/2 + 0.3 × 1/2) / 0.7 = 50.0 without collaboration events', async () => {
    const { stdout } = await run('node', [BIN, 'phi', '--tenant', '丁公司', '--from', '2026-10-01', '--to', '2026-10-31', '--json'], { env: env() });
    const report = JSON.parse(stdout);
    expect(report.tenant.phi).toBe(50);
    expect(report.tenant.components.stageOnTime).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(report.tenant.components.touchpointTrace).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(report.tenant.components.collaborationOnTime.rate).toBeNull();
    expect(report.reps.map((r: { repId: string }) => r.repId)).toEqual(['A']);
  });

  it('prints a Chinese table, and a clear error for an unknown tenant', async () => {
    const { stdout } = await run('node', [BIN, 'phi', '--tenant', '丁公司', '--from', '2026-10-01', '--to', '2026-10-31'], { env: env() });
    expect(stdout).toContain('2026-10-01 至 2026-10-31');
    // Rates as the report pages print them (50%), a component without data as 无数据, and what the score is based on.
    expect(stdout).toMatch(/全公司\s+50\.0\s+风险\s+50% \(1\/2\)\s+无数据\s+50% \(1\/2\)/);
    expect(stdout).toContain('全公司：按全公司各人计数之和计算（不是各人分数的平均）：基于阶段达标率 1/2 条线索、触点留痕率 1/2 次互动；协同准时率本期无数据');
    expect(stdout).toMatch(/销售 A\s+50\.0/);
    const err = await run('node', [BIN, 'phi', '--tenant', '没有这家'], { env: env() }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('tenant_not_found');
  });
});
