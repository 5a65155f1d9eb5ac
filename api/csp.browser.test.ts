import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { page } from '../report/layout.ts';
import { pageCsp } from './plugins/security-headers.ts';

/**
 * The report pages' Content-Security-Policy in a real browser: the page's own inline script runs (its hash is in the
 * policy), a script injected into the page does not, and the page refuses to be framed.
 */
let browser: Browser;
let server: http.Server;
let base = '';
const meta = { homeHref: 'index.html', tenantName: '甲', period: { from: '2026-01-01', to: '2026-01-31' }, asOf: '2026-02-01', notes: [] };

beforeAll(async () => {
  const body = '<div class="player"><audio id="player" src="/a.wav"></audio></div><div class="seg playable" data-start="1.5" tabindex="0" id="seg-0">一句</div>';
  // A script that got into the page's data (an escaping bug): the policy is computed from this very page, as served.
  const html = page(meta, '测试', body).replace('</main>', "</main><script>document.body.dataset.injected='ran';</script>");
  const csp = pageCsp(html);
  server = http.createServer((req, res) => {
    if (req.url === '/frame.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe id="f" src="/page.html"></iframe>`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }).end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('report page CSP in Chromium', () => {
  it('runs the page’s own script, blocks an injected one and cannot be framed', async () => {
    const tab = await browser.newPage();
    const violations: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && violations.push(m.text()));
    await tab.goto(`${base}/page.html`);
    // The player script ran: clicking a sentence marks it in the address (and seeks the audio to it).
    await tab.click('#seg-0');
    expect(await tab.evaluate(() => location.hash)).toBe('#seg-0');
    expect(await tab.evaluate(() => document.body.dataset.injected ?? null)).toBeNull();
    expect(violations.some((v) => /Content Security Policy/.test(v))).toBe(true);
    await tab.goto(`${base}/frame.html`);
    const framed = tab.frames().find((f) => f.url().endsWith('/page.html'));
    expect(framed ? await framed.evaluate(() => document.getElementById('player') !== null).catch(() => false) : false).toBe(false);
    await tab.close();
  });
});
