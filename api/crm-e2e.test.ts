import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioFixture, testModelPath } from '../fixtures/audio/index.ts';
import { freePort, runTingjian, startTingjian, type Child } from '../workers/child-process.testing.ts';
import { intranetAddress, testEnvironment, waitFor } from '../workers/testing.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../workers/webhook-signing.ts';

/**
 * The CRM's view, over real sockets and real processes: `tingjian keys create`, `tingjian serve`, `tingjian worker`,
 * then HTTP uploads, polling, analysis reads and signed webhooks received by a local HTTP server.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let serve: Child;
let worker: Child;
let base = '';
let receiver: http.Server;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  // Production-like lock timing: this test is about the CRM's view, not about stalled-job recovery.
  // The CRM receiver is an intranet host the operator allowed (webhooks never reach loopback).
  env = await testEnvironment('e2e', {
    WHISPER_MODEL: testModelPath(),
    WORKER_LOCK_DURATION_MS: '30000',
    WORKER_STALLED_INTERVAL_MS: '15000',
    WEBHOOK_ALLOWED_CIDRS: `${intranetAddress()}/32`,
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, intranetAddress(), () => r()));
  await runTingjian(['migrate'], env.vars);
  serve = startTingjian(['serve'], { ...env.vars, PORT: String(port) });
  worker = startTingjian(['worker'], env.vars);
  await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 100_000);
});

afterAll(async () => {
  await serve?.stop();
  await worker?.stop();
  await new Promise((r) => receiver?.close(r));
  await env?.cleanup();
});

describe('CRM client end to end', () => {
  it('creates a key, uploads a clip and a transcript, polls, reads analyses and verifies signed webhooks', async () => {
    const stdout = await runTingjian(['keys', 'create', '--tenant', '丙公司', '--role', 'integration'], env.vars);
    const key = stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^tj_[A-Za-z0-9_-]{40,}$/);
    const h = { authorization: `Bearer ${key}` };

    const { port } = receiver.address() as { port: number };
    const sub = await fetch(`${base}/v1/webhooks`, {
      method: 'POST',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://${intranetAddress()}:${port}/hooks/tingjian`, events: ['recording.analyzed', 'recording.failed'] }),
    });
    expect(sub.status).toBe(201);
    const { secret, id: subId } = await sub.json();

    const send = async (file: string, name: string, fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set('file', new Blob([fs.readFileSync(file)]), name);
      return fetch(`${base}/v1/recordings`, { method: 'POST', headers: h, body: form });
    };
    const audio = await send(audioFixture('visit.m4a'), '门店拜访.m4a', { repId: 'crm-rep-1', leadId: 'crm-lead-1' });
    expect(audio.status).toBe(202);
    const transcript = await send(path.join(import.meta.dirname, '../fixtures/transcripts/adhesives-01.txt'), 'adhesives.txt', { repId: 'crm-rep-1' });
    expect(transcript.status).toBe(202);
    const audioId = (await audio.json()).id;
    const textId = (await transcript.json()).id;

    const poll = (id: string) =>
      waitFor(async () => {
        const r = await (await fetch(`${base}/v1/recordings/${id}`, { headers: h })).json();
        return ['analyzed', 'failed'].includes(r.status) ? r : null;
      }, 90_000, 250);
    const [a, t] = await Promise.all([poll(audioId), poll(textId)]);
    expect(a).toMatchObject({ status: 'analyzed', kind: 'audio' });
    expect(a.durationSec).toBeGreaterThan(9.5);
    expect(a.durationSec).toBeLessThan(10.5);
    expect(a.stageTimes.transcribingAt).not.toBeNull();
    expect(t).toMatchObject({ status: 'analyzed', kind: 'transcript' });

    const audioAnalysis = await (await fetch(`${base}/v1/recordings/${audioId}/analysis`, { headers: h })).json();
    expect(audioAnalysis.kind).toBe('audio');
    expect(audioAnalysis.segments.length).toBeGreaterThan(0);
    for (const s of audioAnalysis.segments) {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(a.durationSec + 0.01);
    }
    const textAnalysis = await (await fetch(`${base}/v1/recordings/${textId}/analysis`, { headers: h })).json();
    expect(Object.keys(textAnalysis.tagCounts).length).toBeGreaterThan(0);
    expect(textAnalysis.segments.some((s: { tags: unknown[] }) => s.tags.length > 0)).toBe(true);

    const wav = await fetch(`${base}/v1/recordings/${audioId}/audio`, { headers: { ...h, range: 'bytes=0-43' } });
    expect(wav.status).toBe(206);
    expect(Buffer.from(await wav.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');

    const hooks = await waitFor(async () => (received.length >= 2 ? received : null), 20_000);
    const events = hooks.map((r) => JSON.parse(r.body));
    // Delivery is at-least-once (a job retried after a stall may announce again): compare the set.
    expect([...new Set(events.map((e) => e.data.recordingId))].sort()).toEqual([audioId, textId].sort());
    for (const r of hooks) {
      expect(r.headers['x-tingjian-event'], r.body).toBe('recording.analyzed');
      const sig = { signature: r.headers[SIGNATURE_HEADER] as string, timestamp: r.headers[TIMESTAMP_HEADER] as string };
      expect(verifyWebhook(secret, sig, r.body)).toBe(true);
      expect(verifyWebhook(secret, sig, r.body.replace('analyzed', 'failed'))).toBe(false);
      expect(verifyWebhook('whsec_wrong', sig, r.body)).toBe(false);
    }
    const audioEvent = events.find((e) => e.data.recordingId === audioId);
    expect(audioEvent.data).toMatchObject({ repId: 'crm-rep-1', leadId: 'crm-lead-1', status: 'analyzed' });

    const log = await waitFor(async () => {
      const items = (await (await fetch(`${base}/v1/webhooks/${subId}/deliveries`, { headers: h })).json()).items;
      return items.length >= 2 && items.every((d: { status: string }) => d.status === 'delivered') ? items : null;
    });
    expect(log[0]).toMatchObject({ attempts: 1, lastStatusCode: 204 });
  }, 150_000);
});
