import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../cli/demo/run-demo.ts';
import type { DemoManifest, DemoVisit } from '../cli/demo/manifest.ts';
import { loadConfig } from '../core/config.ts';
import { generatePlantedEvents } from '../fixtures/events/generate.ts';
import { seedMiningEvents } from '../fixtures/mining/seed.ts';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { readTranscriptFile } from '../ingest/transcript-file.ts';
import { createInlineRunner } from '../workers/inline-runner.ts';
import { queuePorts } from '../workers/ports.ts';
import { openService, type Service } from '../workers/service.ts';
import { createStages } from '../workers/stages.default.ts';
import { writeStaticReport, type StaticReportResult } from './static-report.ts';

/**
 * Evidence a trainer can hear, in real Chromium. The demo company (12 reps) is too small for any established
 * finding, so coaching needs a team where one exists: the planted 30-rep world (leads 14–17 of each rep, as the
 * mine-tenant test seeds it; top 10 % probe use cases before price negotiation far more). Into it go the demo
 * corpus's audio visits — every visit with `audio` in fixtures/demo/corpus/manifest.json, so a longer one added
 * there is tested too — uploaded for rep r01 through the real intake and pipeline (ffmpeg normalizes them). Their
 * text is the corpus's reference transcript, as in the demo without a speech-to-text model. The static report then
 * links r01's coaching evidence to those calls, and clicking a link must play the audio from the moment.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts');
const EVENTS = generatePlantedEvents({ reps: 30 }).filter((e) => /-L01[4-7]$/.test(e.lead));
const REP = 'r01';
const REPO_ROOT = path.resolve(import.meta.dirname, '..');

let tmp: string;
let service: Service;
let report: StaticReportResult;
let audioVisits: DemoVisit[];
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`需要 Chromium：apt-get install -y chromium（未找到 ${CHROMIUM}）`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-evidence-'));
  const manifest: DemoManifest = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8'));
  audioVisits = manifest.visits.filter((v) => v.audio);
  const config = loadConfig({ PGLITE_DIR: 'memory://', STORAGE_DIR: path.join(tmp, 'storage'), LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' });
  const base = createStages(config);
  let reference: DemoVisit | null = null;
  service = await openService(config, {
    log: { info() {}, warn() {}, error() {} },
    stages: {
      ...base,
      // The corpus's reference transcript of the visit being processed, as `tingjian demo` uses without a model.
      transcribe: async () => ({ engine: 'reference', segments: await readTranscriptFile(path.join(CORPUS_DIR, reference!.transcript), 'reference.txt') }),
    },
  });
  const tenant = await service.repos.tenants.ensure('演示公司');
  const seeded = await seedMiningEvents(service.repos, tenant.id, EVENTS, { concurrency: 1 });
  const runner = createInlineRunner(service);
  const pipeline = queuePorts(service.repos, runner).pipeline;
  const leads = ['r01-L014', 'r01-L015', 'r01-L016', 'r01-L017'];
  for (const [i, v] of audioVisits.entries()) {
    const lead = leads[i % leads.length];
    const seededRec = (await service.repos.recordings.getById({ tenantId: tenant.id }, seeded.get(lead)!.recordingId!))!;
    const stored = await storeBody(service.storage, tenant.id, fs.createReadStream(path.join(REPO_ROOT, v.audio!)), config.UPLOAD_LIMIT_BYTES);
    await registerRecording({ repos: service.repos, storage: service.storage, pipeline }, stored, {
      repExternalId: REP,
      leadExternalId: lead,
      recordedAt: new Date((seededRec.recordedAt ?? seededRec.createdAt).getTime() + 3_600_000),
      originalName: `${v.id}${path.extname(v.audio!)}`,
    });
    reference = v;
    await runner.drain();
    reference = null;
  }
  const asOf = new Date('2026-12-31T00:00:00+08:00');
  report = await writeStaticReport(service, tenant.id, { outDir: path.join(tmp, 'out'), asOf, window: { from: new Date('2026-01-01T00:00:00+08:00'), to: asOf } });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page that records the time of every `playing` event, so a test can tell where playback started. */
async function newPage(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(() => {
    const w = window as unknown as { plays: number[] };
    w.plays = [];
    document.addEventListener('playing', (e) => w.plays.push((e.target as HTMLAudioElement).currentTime), true);
  });
  return page;
}

const playingFrom = (page: Page) => page.evaluate(() => (window as unknown as { plays: number[] }).plays[0] ?? null);

describe('coaching evidence with audio', () => {
  it('the demo corpus has audio visits, analysed from their audio', () => {
    expect(audioVisits.length).toBeGreaterThan(0);
    const audio = report.data.recordings.filter((r) => r.kind === 'audio');
    expect(audio).toHaveLength(audioVisits.length);
    for (const r of audio) {
      expect(r.status).toBe('analyzed');
      expect(r.audioHref).toMatch(/^audio\/.+\.wav$/);
      expect(fs.existsSync(path.join(tmp, 'out', r.audioHref!))).toBe(true);
    }
  });

  it('lists the calls with audio first, and every audio call that shows the moment is among them', () => {
    const probe = report.insights.mining.coaching.find((c) => c.rep === REP)!.suggestions.find((s) => s.behavior === 'use_case_probe')!;
    const audioIds = new Set(report.data.recordings.filter((r) => r.kind === 'audio').map((r) => r.id));
    const withMoment = probe.evidence.recordings.filter((r) => r.audio);
    expect(withMoment.length).toBeGreaterThan(0);
    expect(withMoment.every((r) => audioIds.has(r.recordingId))).toBe(true);
    // Audio first: no typed call comes before an audio one.
    const flags = probe.evidence.recordings.map((r) => r.audio);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
  });

  it('clicking an evidence link on the rep page opens the visit and plays the audio from that moment', async () => {
    const page = await newPage(1280);
    await page.goto(pathToFileURL(path.join(tmp, 'out', `rep-${REP}.html`)).href);
    const link = page.locator('a.evidence.audio').first();
    await expect(link.textContent()).resolves.toMatch(/▶ 听录音 \d\d:\d\d/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'evidence-rep.png'), fullPage: true });
    const href = (await link.getAttribute('href'))!;
    const seg = href.split('#')[1];
    await Promise.all([page.waitForURL(new RegExp(`rec-.+\\.html#${seg}$`)), link.click()]);
    const start = Number(await page.locator(`#${seg}`).getAttribute('data-start'));
    expect(start).toBeGreaterThan(0);
    // Playing, from the moment, and moving on from there.
    await page.waitForFunction((s) => {
      const a = document.getElementById('player') as HTMLAudioElement;
      return !a.paused && a.currentTime > s + 0.3;
    }, start);
    const from = (await playingFrom(page))!;
    expect(from).toBeGreaterThanOrEqual(start - 0.05);
    expect(from).toBeLessThan(start + 0.5);
    await expect(page.locator(`#${seg}.now`).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'evidence-playing.png'), fullPage: true });
    await page.close();
  });

  it('opened without a click (bookmark, new tab), it offers to play from the moment and does so', async () => {
    const page = await newPage(360);
    const rec = report.data.recordings.find((r) => r.kind === 'audio' && r.analysis && r.analysis.segments.length > 1)!;
    const index = rec.analysis!.segments.length - 1;
    const start = rec.analysis!.segments[index].start!;
    await page.goto(`${pathToFileURL(path.join(tmp, 'out', `rec-${rec.id}.html`)).href}#seg-${index}`);
    // Chromium refuses sound before a gesture on this page; the button says where it will start.
    const offer = page.locator('#play-from');
    await offer.waitFor({ state: 'visible' });
    await expect(offer.textContent()).resolves.toContain(await page.locator(`#seg-${index} .t`).textContent());
    await expect(page.$eval('#player', (a) => (a as HTMLAudioElement).currentTime)).resolves.toBeCloseTo(start, 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'evidence-offer-360.png'), fullPage: true });
    await offer.click();
    await page.waitForFunction(() => !(document.getElementById('player') as HTMLAudioElement).paused);
    const from = (await playingFrom(page))!;
    expect(from).toBeGreaterThanOrEqual(start - 0.05);
    expect(from).toBeLessThan(start + 0.5);
    await expect(offer.isHidden()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.close();
  });

  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
