import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../fixtures/demo/generate.ts';
import { runDemo, type DemoSummary } from '../fixtures/demo/run-demo.ts';

/**
 * The report as a trainer meets it: real headless Chromium on the pages `tingjian demo` writes. The demo runs here
 * on a smaller corpus from the same generator (3 leads per rep instead of 6) into a temporary folder, so the test
 * never depends on files left by an earlier run. Screenshots go to test-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const PIPELINE_STAGES = ['new_lead', 'needs_confirmed', 'proposal_sent', 'proposal_read', 'price_negotiation', 'legal_review', 'won'];

let tmp: string;
let summary: DemoSummary;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`需要 Chromium：apt-get install -y chromium（未找到 ${CHROMIUM}）`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-report-'));
  const corpusDir = path.join(tmp, 'corpus');
  writeCorpus(corpusDir, undefined, { leadsPerRep: 3 });
  summary = await runDemo({ dataDir: path.join(tmp, 'data'), outDir: path.join(tmp, 'out'), corpusDir });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
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
    await expect(page.locator('.note').first().textContent()).resolves.toMatch(/演示数据|参考转写/);
  });

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
