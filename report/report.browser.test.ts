import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, type DemoSummary } from '../cli/demo/run-demo.ts';
import { buildApp } from '../api/app.ts';
import { ARTIFACTS, openDemoSite, type DemoSite } from '../fixtures/report/demo-site.ts';
import { openService, type Service } from '../workers/service.ts';
import type { FastifyInstance } from 'fastify';

/**
 * The report as a trainer meets it: real headless Chromium on the pages `tingjian demo` writes (fixtures/report/
 * demo-site.ts runs the demo on a smaller corpus into a temporary folder). Screenshots go to test-artifacts/.
 * Phone and desktop widths are tested in report-layout.browser.test.ts.
 */
const PIPELINE_STAGES = ['new_lead', 'needs_confirmed', 'proposal_sent', 'proposal_read', 'price_negotiation', 'legal_review', 'won'];

let site: DemoSite;
let tmp: string;
let service: Service | undefined;
let app: FastifyInstance | undefined;
let summary: DemoSummary;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  site = await openDemoSite();
  ({ tmp, summary } = site);
  expect(site.staleRemoved).toBe(true);
  page = await site.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  // Seeking cancels the player's pending range request (net::ERR_ABORTED): that is the player working, not a fault.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
}, 240_000);

afterAll(async () => {
  await app?.close();
  await service?.close();
  await site?.close();
});

describe('report pages in Chromium', () => {
  it('team overview draws a PHI bar per rep, a funnel row per stage and the attitude heat map', async () => {
    expect(summary.failed).toEqual([]);
    await page.goto(pathToFileURL(summary.report.indexPath).href);
    await expect(page.title()).resolves.toContain('团队过程健康总览');

    const reps = summary.manifest.staff.filter((s) => s.title === 'sales').map((s) => s.id);
    const drawn = await page.$$eval('#phi-chart g.phi-rep', (gs) => gs.map((g) => g.getAttribute('data-rep')));
    expect(drawn.sort()).toEqual([...reps].sort());
    // Every rep with a score has its stacked components and a level word, not colour alone.
    const levelWords = await page.$$eval('#phi-chart g.phi-rep[data-level]', (gs) => gs.map((g) => g.textContent ?? ''));
    expect(levelWords.length).toBeGreaterThan(0);
    for (const t of levelWords) expect(t).toMatch(/健康|亚健康|风险/);
    expect(await page.locator('#phi-chart g.phi-rep[data-level] rect').count()).toBeGreaterThanOrEqual(levelWords.length * 3);

    const stages = await page.$$eval('#funnel-chart g.funnel-stage', (gs) => gs.map((g) => g.getAttribute('data-stage')));
    expect(stages).toEqual(PIPELINE_STAGES);
    expect(await page.locator('#attitude-chart g.att-row').count()).toBeGreaterThan(0);
    expect(await page.locator('#attitude-chart rect.red-run').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-team.png'), fullPage: true });
  });

  it('follows a rep link to the coaching page and on to a recording moment', async () => {
    await page.goto(pathToFileURL(summary.report.indexPath).href);
    const repHref = await page.locator('#phi-chart a').first().getAttribute('href');
    expect(repHref).toMatch(/^rep-.+\.html$/);
    await Promise.all([page.waitForURL(/rep-.+\.html$/), page.locator('#phi-chart a').first().click()]);
    await expect(page.locator('h1').textContent()).resolves.toContain('个人辅导报告');
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-rep.png'), fullPage: true });

    // Evidence for a suggestion if this rep has one, else a promise's "录音原话": both open a moment (#seg-N).
    const moment = page.locator('a.evidence, a[href*="#seg-"]').first();
    await expect(moment.count()).resolves.toBeGreaterThan(0);
    const href = (await moment.getAttribute('href'))!;
    const seg = href.split('#')[1];
    await Promise.all([page.waitForURL(new RegExp(`#${seg}$`)), moment.click()]);
    await expect(page.locator(`#${seg}`).isVisible()).resolves.toBe(true);
    await expect(page.locator('.seg:target').count()).resolves.toBe(1);
    await expect(page.locator('mark.kw').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-recording.png'), fullPage: true });
  });

  it('an audio recording page seeks the player to a clicked segment', async () => {
    const audio = summary.report.data.recordings.find((r) => r.kind === 'audio' && r.audioHref);
    expect(audio, 'the demo has audio visits').toBeTruthy();
    const file = path.join(path.dirname(summary.report.indexPath), `rec-${audio!.id}.html`);
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (document.getElementById('player') as HTMLAudioElement | null)?.readyState! >= 1);
    const last = page.locator('.seg[data-start]').last();
    const start = Number(await last.getAttribute('data-start'));
    await last.click();
    const t = await page.$eval('#player', (a) => (a as HTMLAudioElement).currentTime);
    expect(t).toBeGreaterThanOrEqual(start - 0.05);
    await expect(page.locator('main').textContent()).resolves.toContain('参考转写');
  });

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});

describe('report routes over HTTP', () => {
  let keys: { trainer: string; rep: string; other: string };
  let tenantName: string;

  beforeAll(async () => {
    const config = demoConfig(path.join(tmp, 'data'));
    service = await openService(config, { log: { info() {}, warn() {}, error() {} } });
    const queue = { enqueue: async () => {}, enqueueBulk: async () => {}, ping: async () => {} };
    app = await buildApp({ config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue }, { logger: false });
    tenantName = summary.manifest.tenant;
    const tenant = (await service.repos.tenants.findByName(tenantName))!;
    const other = await service.repos.tenants.ensure('另一家公司');
    const rep = (await service.repos.reps.getByExternalId(tenant.id, 'r01'))!;
    keys = {
      trainer: (await service.repos.apiKeys.create({ tenantId: tenant.id, role: 'trainer' })).key,
      rep: (await service.repos.apiKeys.create({ tenantId: tenant.id, role: 'rep', repId: rep.id })).key,
      other: (await service.repos.apiKeys.create({ tenantId: other.id, role: 'admin' })).key,
    };
  }, 60_000);

  const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

  it('serves the tenant\'s pages to a trainer key and refuses missing keys and rep keys', async () => {
    expect((await app!.inject({ url: '/reports/index.html' })).statusCode).toBe(401);
    expect((await app!.inject({ url: '/reports/index.html', headers: bearer(keys.rep) })).statusCode).toBe(403);
    const res = await app!.inject({ url: '/reports/index.html?from=2026-09-01&to=2026-11-29', headers: bearer(keys.trainer) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(tenantName);
    expect(res.body.match(/class="phi-rep"/g)?.length).toBe(12);
    const rec = summary.report.data.recordings[0];
    const page = await app!.inject({ url: `/reports/rec-${rec.id}.html`, headers: bearer(keys.trainer) });
    expect(page.statusCode).toBe(200);
    expect((await app!.inject({ url: '/reports/nope.html', headers: bearer(keys.trainer) })).statusCode).toBe(404);
  });

  it('shows another tenant nothing of this one (404 on its pages, an empty overview)', async () => {
    const rec = summary.report.data.recordings[0];
    expect((await app!.inject({ url: `/reports/rec-${rec.id}.html`, headers: bearer(keys.other) })).statusCode).toBe(404);
    expect((await app!.inject({ url: '/reports/rep-r01.html', headers: bearer(keys.other) })).statusCode).toBe(404);
    const home = await app!.inject({ url: '/reports/index.html', headers: bearer(keys.other) });
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain(tenantName);
    expect(home.body).not.toContain('class="phi-rep"');
    // Pages read the tenant's finished mining runs and never mine in a request: this tenant has none yet.
    expect(home.body).toContain('还没有完成的行为挖掘');
  });

  it('serves a recording page from that recording alone, with its tags and commitments', async () => {
    const rec = summary.report.data.recordings.find((r) => r.analysis?.commitments.length)!;
    const page = await app!.inject({ url: `/reports/rec-${rec.id}.html`, headers: bearer(keys.trainer) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`id="seg-${rec.analysis!.commitments[0].segment}"`);
    expect((await app!.inject({ url: '/reports/rec-00000000-0000-4000-8000-000000000000.html', headers: bearer(keys.trainer) })).statusCode).toBe(404);
  });

  it('lets a browser sign in once: the cookie opens report pages and their audio, nothing else', async () => {
    const bad = await app!.inject({ method: 'POST', url: '/reports-login', payload: 'key=wrong', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.statusCode).toBe(401);
    const login = await app!.inject({
      method: 'POST',
      url: '/reports-login',
      payload: `key=${encodeURIComponent(keys.trainer)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/reports/index.html');
    const cookie = [login.headers['set-cookie']].flat()[0]!.split(';')[0];
    expect((await app!.inject({ url: '/reports/index.html', headers: { cookie } })).statusCode).toBe(200);
    const audio = summary.report.data.recordings.find((r) => r.kind === 'audio')!;
    const part = await app!.inject({ url: `/v1/recordings/${audio.id}/audio`, headers: { cookie, range: 'bytes=0-99' } });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.length).toBe(100);
    expect((await app!.inject({ url: `/v1/recordings/${audio.id}`, headers: { cookie } })).statusCode).toBe(401);
  });
  it('serves a lead page\'s evidence files to the tenant only, under the type the page links', async () => {
    const lead = summary.report.data.leads.find((l) => l.history.some((h) => h.evidence.some((e) => e.name.endsWith('.pdf'))))!;
    const html = (await app!.inject({ url: `/reports/lead-${lead.id}.html`, headers: bearer(keys.trainer) })).body;
    const pdf = /href="(files\/[0-9a-f-]+\.pdf)"/.exec(html)![1];
    const eml = lead.history.flatMap((h) => h.evidence).find((e) => e.name.endsWith('.eml'));
    const res = await app!.inject({ url: `/reports/${pdf}`, headers: bearer(keys.trainer) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename=".+\.pdf"; filename\*=UTF-8''%E.+\.pdf$/);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (eml) {
      const mail = await app!.inject({ url: `/reports/files/${eml.id}.eml`, headers: bearer(keys.trainer) });
      expect([mail.statusCode, mail.headers['content-type'], String(mail.headers['content-disposition']).split(';')[0]]).toEqual([200, 'message/rfc822', 'attachment']);
    }
    expect((await app!.inject({ url: `/reports/${pdf}` })).statusCode).toBe(401);
    expect((await app!.inject({ url: `/reports/${pdf}`, headers: bearer(keys.rep) })).statusCode).toBe(403);
    expect((await app!.inject({ url: `/reports/${pdf}`, headers: bearer(keys.other) })).statusCode).toBe(404);
    // The same file under another extension is not served as that type.
    expect((await app!.inject({ url: `/reports/${pdf.replace(/\.pdf$/, '.html')}`, headers: bearer(keys.trainer) })).statusCode).toBe(404);
    // A browser signed in at /reports-login opens it from the lead page with its cookie.
    const login = await app!.inject({ method: 'POST', url: '/reports-login', payload: `key=${encodeURIComponent(keys.trainer)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const cookie = [login.headers['set-cookie']].flat()[0]!.split(';')[0];
    expect((await app!.inject({ url: `/reports/${pdf}`, headers: { cookie } })).statusCode).toBe(200);
    // The static report carries the same file under the same relative name.
    expect(fs.readFileSync(path.join(tmp, 'out', pdf)).equals(res.rawPayload)).toBe(true);
  });
});
