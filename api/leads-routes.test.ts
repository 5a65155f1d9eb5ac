import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpTasks, leadStageEvents } from '../db/schema.ts';
import { SAMPLE_PATH } from '../fixtures/daily-report/make-sample.ts';
import { startTestService, type TestService } from '../fixtures/leads/test-service.ts';
import { buildApp } from './app.ts';
import { multipart } from './test-helpers.ts';
import { waitFor } from '../workers/testing.ts';

/** The leads module's routes through app.inject on real Postgres + Redis: checkpoints (422), evidence, PHI, import, hand-over. */
let t: TestService;
let app: FastifyInstance;
let tenantId: string;
const key: Record<string, string> = {};
const auth = (k: string) => ({ authorization: `Bearer ${k}` });

async function makeKey(tenant: string, role: 'admin' | 'trainer' | 'rep' | 'integration', rep?: string) {
  const tn = await t.service.repos.tenants.ensure(tenant);
  const r = rep ? await t.service.repos.reps.ensure(tn.id, rep) : null;
  return (await t.service.repos.apiKeys.create({ tenantId: tn.id, role, repId: r?.id })).key;
}
const move = (k: string, lead: string, to: string) => app.inject({ method: 'POST', url: `/v1/leads/${lead}/stage`, headers: auth(k), payload: { to } });
const attach = (k: string, lead: string, kind: string, content = Buffer.from('%PDF-1.4 receipt')) => {
  const body = multipart({ kind }, { name: `${kind}.png`, content, type: 'image/png' });
  return app.inject({ method: 'POST', url: `/v1/leads/${lead}/attachments`, payload: body.payload, headers: { ...body.headers, ...auth(k) } });
};

beforeAll(async () => {
  t = await startTestService({ name: 'leads_api', env: { ATTACHMENT_LIMIT_BYTES: '2048' }, workers: ['webhook-delivery', 'robot-delivery', 'followup-remind', 'followup-escalate', 'attitude-import'] });
  app = await buildApp({ config: t.config, dbHandle: t.service.dbHandle, repos: t.service.repos, storage: t.service.storage, queue: t.queue }, { logger: false });
  key.crm = await makeKey('甲公司', 'integration');
  key.admin = await makeKey('甲公司', 'admin');
  key.rep1 = await makeKey('甲公司', 'rep', 'r01');
  key.other = await makeKey('乙公司', 'integration');
  tenantId = (await t.service.repos.tenants.ensure('甲公司')).id;
  await t.service.repos.leads.upsert(tenantId, 'L1', { customerExternalId: 'C1', ownerRepExternalId: 'r01' });
  await t.service.repos.leads.upsert(tenantId, 'L2', { customerExternalId: 'C2', ownerRepExternalId: 'r02' });
  await t.service.repos.webhooks.create(tenantId, `${t.receiver.url}/crm-hook`, ['attitude.red_flag', 'handover.created']);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('stage checkpoints through the API', () => {
  it('moves forward freely until 方案已阅, then answers 422 listing the missing evidence', async () => {
    expect((await move(key.crm, 'L1', 'needs_confirmed')).statusCode).toBe(200);
    expect((await move(key.rep1, 'L1', 'proposal_sent')).statusCode).toBe(200);
    const res = await move(key.crm, 'L1', 'proposal_read');
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('checkpoint_failed');
    expect(body.error.missing.map((m: { requirement: string }) => m.requirement)).toEqual(['proposal_read_evidence']);
    expect(body.error.message).toContain('客户阅读回执截图或邮件已读回执');
    expect(body.requestId).toBeTruthy();
    const page = (await app.inject({ url: '/v1/leads/L1/stage', headers: auth(key.crm) })).json();
    expect(page.stage).toBe('proposal_sent');
    expect(page.missingForNext.map((m: { requirement: string }) => m.requirement)).toEqual(['proposal_read_evidence']);
  });

  it('accepts the move once a read receipt is uploaded; legal review lists exactly the missing documents', async () => {
    const up = await attach(key.rep1, 'L1', 'read_receipt_screenshot');
    expect(up.statusCode).toBe(201);
    expect(up.json().kindLabel).toBe('客户阅读回执截图');
    expect((await move(key.crm, 'L1', 'proposal_read')).statusCode).toBe(200);
    expect((await move(key.crm, 'L1', 'price_negotiation')).statusCode).toBe(200);
    expect((await attach(key.crm, 'L1', 'business_license')).statusCode).toBe(201);
    const res = await move(key.crm, 'L1', 'legal_review');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.missing.map((m: { label: string }) => m.label)).toEqual(['授权书', '技术协议']);
    expect((await attach(key.crm, 'L1', 'authorization_letter')).statusCode).toBe(201);
    expect((await attach(key.crm, 'L1', 'technical_agreement')).statusCode).toBe(201);
    expect((await move(key.crm, 'L1', 'legal_review')).statusCode).toBe(200);
    const page = (await app.inject({ url: '/v1/leads/L1/stage', headers: auth(key.crm) })).json();
    expect(page.history.map((h: { to: string }) => h.to)).toEqual([
      'new_lead',
      'needs_confirmed',
      'proposal_sent',
      'proposal_read',
      'price_negotiation',
      'legal_review',
    ]);
    expect(page.attachments).toHaveLength(4);
    expect(page.tasks.map((x: { kind: string }) => x.kind)).toEqual(['legal_review']);
  });

  it('refuses backward moves (409), bad kinds and oversize files, other tenants and other reps’ leads (404)', async () => {
    const back = await move(key.crm, 'L1', 'proposal_sent');
    expect(back.statusCode).toBe(409);
    expect(back.json().error.code).toBe('invalid_stage_transition');
    expect((await attach(key.crm, 'L1', 'selfie')).statusCode).toBe(400);
    const big = await attach(key.crm, 'L1', 'other', Buffer.alloc(4096, 1));
    expect(big.statusCode).toBe(413);
    expect((await move(key.other, 'L1', 'lost')).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/leads/L1/stage', headers: auth(key.other) })).statusCode).toBe(404);
    expect((await move(key.rep1, 'L2', 'needs_confirmed')).statusCode).toBe(404);
    expect((await move(key.crm, 'L2', 'lost')).statusCode).toBe(200);
  });

  it('confirms a conversation proposal through the same checkpoints', async () => {
    const { repos } = t.service;
    await repos.leads.upsert(tenantId, 'L3', { customerExternalId: 'C1', ownerRepExternalId: 'r01' });
    const lead = (await repos.leads.getByExternalId(tenantId, 'L3'))!;
    const rep = (await repos.reps.getByExternalId(tenantId, 'r01'))!;
    const rec = await repos.recordings.insert({ tenantId, repId: rep.id, leadId: lead.id, originalName: 'v.txt', sha256: 'p1', byteSize: 1, storageKey: 'k', status: 'analyzed' });
    await repos.leads.replaceSignals(tenantId, rec.id, lead.id, [
      { stage: 'proposal_read', segmentIndex: 1, evidence: '方案我看了，整体可以', reason: '客户表示已看过方案' },
      { stage: 'needs_confirmed', segmentIndex: 0, evidence: '我们主要用在冷库', reason: '客户描述了具体需求' },
    ]);
    const page = (await app.inject({ url: '/v1/leads/L3/stage', headers: auth(key.crm) })).json();
    const byStage = Object.fromEntries(page.proposals.map((p: { to: string; id: string }) => [p.to, p]));
    expect(byStage.proposal_read.status).toBe('pending');
    expect(byStage.proposal_read.evidence).toBe('方案我看了，整体可以');
    const blocked = await app.inject({ method: 'POST', url: `/v1/leads/L3/proposals/${byStage.proposal_read.id}/confirm`, headers: auth(key.crm) });
    expect(blocked.statusCode).toBe(422);
    const ok = await app.inject({ method: 'POST', url: `/v1/leads/L3/proposals/${byStage.needs_confirmed.id}/confirm`, headers: auth(key.crm) });
    expect(ok.json()).toMatchObject({ decision: 'confirmed', stage: 'needs_confirmed' });
    const again = await app.inject({ method: 'POST', url: `/v1/leads/L3/proposals/${byStage.needs_confirmed.id}/confirm`, headers: auth(key.crm) });
    expect(again.statusCode).toBe(409);
    const after = (await app.inject({ url: '/v1/leads/L3/stage', headers: auth(key.crm) })).json();
    expect(after.proposals.find((p: { to: string }) => p.to === 'proposal_read').status).toBe('pending');
    expect(after.proposals.find((p: { to: string }) => p.to === 'needs_confirmed').status).toBe('confirmed');
    const detail = (await app.inject({ url: '/v1/leads/L3', headers: auth(key.crm) })).json();
    expect(detail.stage).toBe('needs_confirmed');
    expect(detail.proposals.map((p: { to: string; status: string }) => [p.to, p.status]).sort()).toEqual([
      ['needs_confirmed', 'confirmed'],
      ['proposal_read', 'pending'],
    ]);
  });

  it('lists the legal task as a follow-up and marks it done', async () => {
    const list = (await app.inject({ url: '/v1/follow-ups?leadId=L1', headers: auth(key.crm) })).json();
    expect(list.items.map((x: { kind: string; assigneeRole: string }) => [x.kind, x.assigneeRole])).toEqual([['legal_review', 'legal']]);
    for (const q of ['leadId=NO-SUCH-LEAD', 'repId=NO-SUCH-REP']) {
      expect((await app.inject({ url: `/v1/follow-ups?${q}`, headers: auth(key.crm) })).json().items).toEqual([]);
    }
    const done = await app.inject({ method: 'POST', url: `/v1/follow-ups/${list.items[0].id}/done`, headers: auth(key.crm) });
    expect(done.json().status).toBe('done');
    expect((await app.inject({ method: 'POST', url: `/v1/follow-ups/${list.items[0].id}/done`, headers: auth(key.other) })).statusCode).toBe(404);
    const late = await app.inject({ method: 'PATCH', url: `/v1/follow-ups/${list.items[0].id}`, headers: auth(key.crm), payload: { dueAt: '2026-12-30T10:00:00+08:00' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('task_closed');
  });

  it('lets an admin set dwell standards and robot URLs, validated', async () => {
    const put = await app.inject({ method: 'PUT', url: '/v1/lead-settings', headers: auth(key.admin), payload: { dwellHours: { new_lead: 12 } } });
    expect(put.statusCode).toBe(200);
    expect(put.json().dwellHours).toMatchObject({ new_lead: 12, needs_confirmed: 168 });
    const bad = await app.inject({ method: 'PUT', url: '/v1/lead-settings', headers: auth(key.admin), payload: { wecomWebhookUrl: 'file:///etc/passwd' } });
    expect(bad.json().error.code).toBe('url_not_allowed');
    const handles = await app.inject({ method: 'PUT', url: '/v1/reps/r02/notify-handles', headers: auth(key.crm), payload: { mobile: '13800000002', wecomUserId: 'lisi' } });
    expect(handles.json()).toEqual({ repId: 'r02', mobile: '13800000002', wecomUserId: 'lisi', dingtalkUserId: null });
    expect((await app.inject({ method: 'PUT', url: '/v1/reps/r02/notify-handles', headers: auth(key.crm), payload: { mobile: 'call me' } })).statusCode).toBe(400);
    const badStage = await app.inject({ method: 'PUT', url: '/v1/lead-settings', headers: auth(key.admin), payload: { dwellHours: { won: 3 } } });
    expect(badStage.json().error.code).toBe('invalid_dwell_standard');
    expect((await app.inject({ method: 'PUT', url: '/v1/lead-settings', headers: auth(key.crm), payload: {} })).statusCode).toBe(403);
    const page = (await app.inject({ url: '/v1/leads/L3/stage', headers: auth(key.crm) })).json();
    expect(page.history[0].standardHours).toBe(12);
    await app.inject({ method: 'PUT', url: '/v1/lead-settings', headers: auth(key.admin), payload: { dwellHours: {} } });
  });
});

describe('OpenAPI', () => {
  it('documents the leads routes with their 422 checkpoint answer', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/leads/{id}/stage', '/v1/leads/{id}/attachments', '/v1/phi', '/v1/funnel', '/v1/attitude-reports/import', '/v1/reps/{id}/departure']),
    );
    expect(spec.paths['/v1/leads/{id}/stage'].post.responses).toHaveProperty('422');
  });
});

describe('PHI over planted October data', () => {
  const at = (s: string) => new Date(s);
  beforeAll(async () => {
    const { repos } = t.service;
    const db = t.service.db;
    const tn = (await repos.tenants.ensure('丙公司')).id;
    key.phi = await makeKey('丙公司', 'trainer');
    key.phiCrm = await makeKey('丙公司', 'integration');
    await repos.reps.upsert(tn, 'A', { team: 'T1' });
    await repos.reps.upsert(tn, 'B', { team: 'T1' });
    await repos.reps.upsert(tn, 'C', { team: 'T2' });
    const plant = async (leadId: string, rep: string, customer: string, events: Array<[string, string]>) => {
      await repos.leads.upsert(tn, leadId, { ownerRepExternalId: rep, customerExternalId: customer });
      const lead = (await repos.leads.getByExternalId(tn, leadId))!;
      await db.delete(leadStageEvents).where((await import('drizzle-orm')).eq(leadStageEvents.leadId, lead.id));
      let prev: string | null = null;
      for (const [stage, when] of events) {
        await db.insert(leadStageEvents).values({ tenantId: tn, leadId: lead.id, fromStage: prev as never, toStage: stage as never, at: at(when) });
        prev = stage;
      }
      return lead;
    };
    const a1 = await plant('A1', 'A', 'ca', [['new_lead', '2026-10-01T00:00:00Z'], ['needs_confirmed', '2026-10-02T00:00:00Z'], ['proposal_sent', '2026-10-05T00:00:00Z'], ['won', '2026-10-06T00:00:00Z']]);
    await plant('A2', 'A', 'ca', [['new_lead', '2026-10-01T00:00:00Z'], ['needs_confirmed', '2026-10-04T00:00:00Z']]);
    await plant('B1', 'B', 'cb', [['new_lead', '2026-10-10T00:00:00Z'], ['lost', '2026-10-11T00:00:00Z']]);
    const c1 = await plant('C1', 'C', 'cc', [['new_lead', '2026-10-20T00:00:00Z']]);
    await db.insert(followUpTasks).values([
      { tenantId: tn, leadId: a1.id, kind: 'legal_review', title: 'x', status: 'done', createdAt: at('2026-10-05T00:00:00Z'), completedAt: at('2026-10-06T00:00:00Z') },
      { tenantId: tn, leadId: c1.id, kind: 'legal_review', title: 'y', status: 'done', createdAt: at('2026-10-21T00:00:00Z'), completedAt: at('2026-10-25T00:00:00Z') },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/attitude-reports',
      headers: auth(key.phiCrm),
      payload: {
        reports: [
          { day: '2026-10-03', repId: 'A', customerId: 'ca', score: 4, interactions: 4 },
          { day: '2026-10-10', repId: 'B', customerId: 'cb', score: 3, interactions: 2 },
          { day: '2026-10-20', repId: 'C', customerId: 'cc', score: 3, interactions: 5 },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const recs: Array<[string, string, string, number]> = [
      ['A', 'ca', '2026-10-03T02:00:00Z', 3],
      ['B', 'cb', '2026-10-10T02:00:00Z', 2],
      ['C', 'cc', '2026-10-20T02:00:00Z', 1],
    ];
    for (const [rep, customer, when, n] of recs) {
      const r = (await repos.reps.getByExternalId(tn, rep))!;
      const c = (await repos.customers.getByExternalId(tn, customer))!;
      for (let i = 0; i < n; i++) {
        await repos.recordings.insert({ tenantId: tn, repId: r.id, customerId: c.id, recordedAt: at(when), originalName: 'v.m4a', sha256: `${rep}${i}`, byteSize: 1, storageKey: 'k', status: 'analyzed' });
      }
    }
  });

  it('computes PHI per rep, team and tenant with components', async () => {
    const res = await app.inject({ url: '/v1/phi?from=2026-10-01&to=2026-10-31', headers: auth(key.phi) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const rep = (id: string) => body.reps.find((r: { repId: string }) => r.repId === id);
    expect(rep('A').components.stageOnTime).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(rep('A').components.touchpointTrace).toEqual({ rate: 0.75, numerator: 3, denominator: 4 });
    expect(rep('A').phi).toBe(72.5);
    expect(rep('A').level).toBe('sub_healthy');
    expect(rep('B').phi).toBe(100);
    expect(rep('B').components.collaborationOnTime.rate).toBeNull();
    // The score says what it is based on; teams and the tenant say they pool counts.
    expect(rep('B').withheld).toBeNull();
    expect(rep('B').basis).toMatchObject({ components: ['stageOnTime', 'touchpointTrace'], weight: 0.7, scope: 'rep' });
    expect(rep('B').basis.text).toContain('协同准时率本期无数据');
    expect(body.tenant.basis.scope).toBe('tenant');
    expect(body.tenant.basis.text).toContain('不是各人分数的平均');
    expect(rep('C').phi).toBe(6);
    expect(rep('C').levelLabel).toBe('风险');
    expect(body.teams.find((x: { teamId: string }) => x.teamId === 'T1').phi).toBe(81.7);
    expect(body.tenant.phi).toBe(51.4);
    const team = (await app.inject({ url: '/v1/phi?team=T1&from=2026-10-01&to=2026-10-31', headers: auth(key.phi) })).json();
    expect(team.tenant.phi).toBe(81.7);
    expect(team.reps.map((r: { repId: string }) => r.repId)).toEqual(['A', 'B']);
    expect((await app.inject({ url: '/v1/phi?from=2026-10-31&to=2026-10-01', headers: auth(key.phi) })).statusCode).toBe(400);
  });

  it('serves the funnel with dwell against the standards', async () => {
    const body = (await app.inject({ url: '/v1/funnel?team=T1', headers: auth(key.phi) })).json();
    const nl = body.stages.find((s: { stage: string }) => s.stage === 'new_lead');
    expect(nl).toMatchObject({ entered: 3, overdue: 1, standardHours: 48 });
    expect(nl.meanDwellHours).toBe(40);
  });
});

describe('销售日报 import and hand-over', () => {
  it('imports the sample workbook: good rows saved, bad rows reported, the 3-day run flagged red', async () => {
    const body = multipart({}, { name: '销售日报.xlsx', content: fs.readFileSync(SAMPLE_PATH) });
    const res = await app.inject({ method: 'POST', url: '/v1/attitude-reports/import', payload: body.payload, headers: { ...body.headers, ...auth(key.crm) } });
    // Imports run as a queued job now (issue 13): 202, then the summary when it is done.
    expect(res.statusCode).toBe(202);
    const out = await waitFor(async () => {
      const r = (await app.inject({ url: `/v1/attitude-reports/imports/${res.json().id}`, headers: auth(key.crm) })).json();
      return r.status === 'done' ? r : null;
    });
    expect(out.rows.imported).toBe(5);
    expect(out.errors.map((e: { row: number }) => e.row)).toEqual([8, 9]);
    expect(out.redFlags).toBe(1);
    const map = (await app.inject({ url: '/v1/attitude/heatmap?from=2026-11-01&to=2026-11-04', headers: auth(key.crm) })).json();
    const row = map.rows.find((r: { customerId: string }) => r.customerId === 'C-WZ-01');
    expect(row.customerName).toBe('温州阀门出口');
    expect(row.cells.map((c: { redFlag: boolean }) => c.redFlag)).toEqual([false, true, true, true]);
    const hook = await t.receiver.waitFor((r) => r.path === '/crm-hook' && r.body.event === 'attitude.red_flag');
    expect(hook.body.data).toMatchObject({ customerId: 'C-WZ-01', days: ['2026-11-02', '2026-11-03', '2026-11-04'] });
    expect(hook.body.data.title).toContain('连续 3 天');
  });

  it('hands a departed rep’s customers to the successor with dossiers and checklist tasks, once', async () => {
    await app.inject({ method: 'PUT', url: '/v1/customers/C1/contacts', headers: auth(key.crm), payload: { contacts: [{ name: '王总', role: '采购总监', caresAbout: ['delivery_time'] }] } });
    await t.service.repos.reps.upsert(tenantId, 'r03', { name: '新销售' });
    const res = await app.inject({ method: 'POST', url: '/v1/reps/r01/departure', headers: auth(key.crm), payload: { successorId: 'r03' } });
    expect(res.statusCode).toBe(201);
    const out = res.json();
    const c1 = out.dossiers.find((d: { customerId: string }) => d.customerId === 'C1');
    expect(c1.decisionMakers).toEqual([{ name: '王总', role: '采购总监', caresAbout: ['交付周期'] }]);
    expect(c1.checklist.map((x: { kind: string }) => x.kind).sort()).toEqual(['handover_first_contact', 'handover_restate_commitments', 'handover_update_tags']);
    const first = c1.checklist.find((x: { kind: string }) => x.kind === 'handover_first_contact');
    expect(Date.parse(first.dueAt) - Date.parse(c1.handedOverAt)).toBe(72 * 3_600_000);
    expect((await t.service.repos.leads.getByExternalId(tenantId, 'L3'))!.ownerRepExternalId).toBe('r03');
    expect((await t.service.repos.reps.getByExternalId(tenantId, 'r01'))!.status).toBe('inactive');
    const again = await app.inject({ method: 'POST', url: '/v1/reps/r01/departure', headers: auth(key.crm), payload: { successorId: 'r03' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().handoverId).toBe(out.handoverId);
    expect((await app.inject({ url: '/v1/reps/r01/handover', headers: auth(key.other) })).statusCode).toBe(404);
  });

  it("answers 404 on every leads route for another tenant's ids", async () => {
    const task = (await app.inject({ url: '/v1/follow-ups', headers: auth(key.crm) })).json().items[0];
    const lead = (await app.inject({ url: '/v1/leads/L3/stage', headers: auth(key.crm) })).json();
    const upload = multipart({ kind: 'other' }, { name: 'a.png', content: Buffer.from('x') });
    const calls: Array<{ method: 'GET' | 'POST' | 'PUT'; url: string; payload?: unknown; headers?: Record<string, string> }> = [
      { method: 'GET', url: '/v1/leads/L1/stage' },
      { method: 'POST', url: '/v1/leads/L1/stage', payload: { to: 'lost' } },
      { method: 'POST', url: '/v1/leads/L1/attachments', payload: upload.payload, headers: upload.headers },
      { method: 'POST', url: `/v1/leads/L3/proposals/${lead.proposals[0].id}/confirm` },
      { method: 'POST', url: `/v1/leads/L3/proposals/${lead.proposals[0].id}/reject` },
      { method: 'POST', url: `/v1/follow-ups/${task.id}/done` },
      { method: 'POST', url: '/v1/reps/r01/departure', payload: { successorId: 'r03' } },
      { method: 'GET', url: '/v1/reps/r01/handover' },
      { method: 'PUT', url: '/v1/customers/C1/contacts', payload: { contacts: [] } },
      { method: 'PUT', url: '/v1/reps/r02/notify-handles', payload: { mobile: '13800000002' } },
    ];
    for (const c of calls) {
      const res = await app.inject({ method: c.method, url: c.url, payload: c.payload as never, headers: { ...(c.headers ?? {}), ...auth(key.other) } });
      expect(res.statusCode, `${c.method} ${c.url}`).toBe(404);
    }
    expect((await app.inject({ url: '/v1/follow-ups', headers: auth(key.other) })).json().items).toEqual([]);
  });
});
