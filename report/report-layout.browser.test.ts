import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryText } from '../cli/commands/demo.ts';
import { ARTIFACTS, openDemoSite, type DemoSite } from '../fixtures/report/demo-site.ts';
import { formatPhi } from '../leads/phi.ts';
import { dateTime, duration } from './html.ts';
import { links } from './links.ts';

/**
 * Every page type of the demo's report at a phone's width (360 px) and a desktop's (1400 px), in real Chromium:
 * nothing wider than the screen, tables as cards and charts in their narrow drawing on the phone; and the figures a
 * trainer compares across pages (the header's moment, overdue hours, PHI, the CLI summary) agree.
 * Screenshots: test-artifacts/report-<page>-<width>.png.
 */
let site: DemoSite;
let out: string;
let pages: Record<string, string>;
const errors: string[] = [];

beforeAll(async () => {
  site = await openDemoSite();
  out = path.join(site.tmp, 'out');
  const data = site.summary.report.data;
  const typed = data.recordings.find((r) => r.kind === 'transcript' && r.analysis)!;
  const audio = data.recordings.find((r) => r.kind === 'audio' && r.analysis)!;
  const lead = data.leads.find((l) => l.history.some((h) => h.evidence.length > 0))!;
  const rep = data.reps.find((r) => r.title === 'sales' && data.leads.some((l) => l.ownerId === r.id))!;
  pages = { team: links.home(), rep: links.rep(rep.id), visit: links.recording(typed.id), audio: links.recording(audio.id), lead: links.lead(lead.id) };
}, 240_000);

afterAll(async () => {
  await site?.close();
});

async function open(width: number, name: string): Promise<Page> {
  const page = await site.browser.newPage({ viewport: { width, height: 800 } });
  page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`${name}: ${m.text()}`));
  await page.goto(pathToFileURL(path.join(out, name)).href);
  return page;
}

const docWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.each([360, 1400])('every page type at %i px', (width) => {
  for (const kind of ['team', 'rep', 'visit', 'audio', 'lead']) {
    it(`${kind}: no sideways scrolling`, async () => {
      const page = await open(width, pages[kind]);
      expect(await docWidth(page)).toBeLessThanOrEqual(width);
      // The header's pieces each stay on one line: a date never breaks ("2026-/11-30").
      const lines = await page.$$eval('header.top .sub > span', (els) => els.map((e) => e.getClientRects().length));
      expect(lines).toEqual([1, 1, 1]);
      const cards = await page.$$eval('table.cards tr', (trs) => trs.slice(0, 3).map((tr) => getComputedStyle(tr).display));
      for (const d of cards) expect(d).toBe(width < 640 ? 'block' : 'table-row');
      await page.screenshot({ path: path.join(ARTIFACTS, `report-${kind}-${width}.png`), fullPage: true });
      await page.close();
    });
  }
});

describe('charts on a phone', () => {
  it('draw the narrow PHI and funnel charts at full size, and scroll the heat map inside its own box', async () => {
    const page = await open(360, pages.team);
    for (const id of ['phi-chart-narrow', 'funnel-chart-narrow']) {
      await expect(page.locator(`#${id}`).isVisible()).resolves.toBe(true);
      // Drawn at (nearly) its own size: text is not shrunk to fit.
      const scale = await page.$eval(`#${id}`, (svg) => svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width);
      expect(scale).toBeGreaterThanOrEqual(0.95);
    }
    await expect(page.locator('#phi-chart').isVisible()).resolves.toBe(false);
    const reps = site.summary.manifest.staff.filter((s) => s.title === 'sales').length;
    expect(await page.locator('#phi-chart-narrow g.phi-row').count()).toBe(reps);
    const box = await page.$eval('#attitude-chart', (svg) => {
      const b = svg.parentElement!;
      return { scroll: b.scrollWidth, client: b.clientWidth, svg: svg.getBoundingClientRect().width };
    });
    expect(box.scroll).toBeGreaterThan(box.client);
    expect(box.client).toBeLessThanOrEqual(360);
    await page.close();
  });

  it('keep the wide charts on a desktop', async () => {
    const page = await open(1400, pages.team);
    await expect(page.locator('#phi-chart').isVisible()).resolves.toBe(true);
    await expect(page.locator('#phi-chart-narrow').isVisible()).resolves.toBe(false);
    await page.close();
  });
});

describe('figures agree across the pages and the CLI', () => {
  const html = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
  const text = (name: string) => html(name).replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, '');

  it('measures "已超 N" to the moment the header names', async () => {
    const asOf = site.summary.report.data.asOf;
    for (const name of Object.values(pages)) expect(text(name)).toContain(`统计截至 ${dateTime(asOf.toISOString())}`);
    const page = await open(1400, pages.team);
    const rows = await page.$$eval('tr[data-status="overdue"]', (trs) =>
      trs.map((tr) => ({ due: tr.querySelector('td[data-label="截止"]')!.textContent!, status: tr.querySelector('td[data-label="状态"]')!.textContent! })),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const hours = (asOf.getTime() - Date.parse(`${r.due.replace(' ', 'T')}:00+08:00`)) / 3_600_000;
      expect(r.status).toContain(`已超 ${duration(hours)}`);
    }
    await page.close();
  });

  it('shows the team PHI once, and the CLI prints each rep\'s score as the page does', async () => {
    const phi = site.summary.report.insights.phi;
    const page = await open(1400, pages.team);
    const card = (await page.locator('.card.wide .v').first().textContent())!;
    expect(card.split(formatPhi(phi.tenant.phi)).length - 1).toBe(1);
    const cli = summaryText(site.summary, 1, []);
    for (const r of phi.reps.filter((x) => x.level === 'at_risk')) {
      const name = site.summary.report.data.reps.find((x) => x.id === r.repId)!.name;
      const badge = (await page.locator(`tr[data-rep="${r.repId}"] td[data-label="PHI"]`).textContent())!;
      expect(badge).toContain(`${formatPhi(r.phi)} · 风险`);
      expect(cli).toContain(`${name} ${formatPhi(r.phi)}`);
    }
    await page.close();
  });

  it('names operators in Chinese, links each rep\'s leads, and does not repeat the customer in visit tables', () => {
    const data = site.summary.report.data;
    for (const l of data.leads) expect(text(links.lead(l.id))).not.toMatch(/\bsystem\b/);
    expect(text(pages.lead)).toContain('系统');
    for (const r of data.reps.filter((x) => x.title === 'sales')) {
      const page = html(links.rep(r.id));
      for (const l of data.leads.filter((x) => x.ownerId === r.id)) expect(page).toContain(`href="${links.lead(l.id)}"`);
    }
    // A lead's page is about one customer: neither its visits nor its follow-ups repeat the name per row.
    const lead = html(pages.lead);
    expect(lead.split('id="h-fu"')[1]).not.toContain('data-label="客户"');
    const repVisits = html(pages.rep).split('id="h-rec"')[1];
    expect(repVisits).toMatch(/<a href="rec-[^"]+\.html">\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/a>/);
  });

  it('lets every listed evidence file be opened from the folder', () => {
    const magic: Record<string, string> = { pdf: '%PDF-', png: '\x89PNG', eml: 'From:' };
    let n = 0;
    for (const l of site.summary.report.data.leads) {
      for (const [, href] of html(links.lead(l.id)).matchAll(/class="attachment" href="([^"]+)"/g)) {
        const bytes = fs.readFileSync(path.join(out, href));
        expect(bytes.subarray(0, 5).toString('latin1')).toContain(magic[href.split('.').pop()!]);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });

  it('gives every page the same one script, no inline handlers and no outside resources', () => {
    const scripts = new Set<string>();
    for (const name of fs.readdirSync(out).filter((f) => f.endsWith('.html'))) {
      const page = html(name);
      const found = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
      expect(found, name).toHaveLength(1);
      expect(page.match(/<script/g), name).toHaveLength(1);
      scripts.add(found[0]);
      expect(page, name).not.toMatch(/\son[a-z]+\s*=/i);
      expect(page, name).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    expect(scripts.size).toBe(1);
  });

  it('logged no errors on any page', () => {
    expect(errors).toEqual([]);
  });
});
