import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longRecording, testModelPath } from '../fixtures/audio/index.ts';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { BullJobQueue } from './bullmq.ts';
import { startTingjian, type Child } from './child-process.testing.ts';
import { openService, type Service } from './service.ts';
import { testEnvironment, waitFor } from './testing.ts';
import { queuePorts } from './ports.ts';

/**
 * A worker machine dies (SIGKILL, no cleanup) in the middle of transcription. BullMQ's stalled-job check hands the
 * job to another worker, which finishes the recording; the stage upserts leave exactly one analysis row.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
const children: Child[] = [];
// Five minutes of speech keep the synthetic model busy for seconds, so the kill lands mid-transcription even on an
// idle machine (a short clip is transcribed before the worker can be stopped).
const RECORDING_SECONDS = 300;

beforeAll(async () => {
  env = await testEnvironment('kill', { WHISPER_MODEL: testModelPath(), CONCURRENCY_TRANSCRIBE: '1' });
  service = await openService(env.config);
  queue = new BullJobQueue(env.config);
});

afterAll(async () => {
  for (const c of children) await c.stop();
  await queue?.close();
  await service?.close();
  await env?.cleanup();
});

describe('worker killed with SIGKILL mid-transcription', () => {
  it('is picked up by another worker and leaves exactly one analysis', async () => {
    const tenant = await service.repos.tenants.ensure('丁公司');
    const stored = await storeBody(service.storage, tenant.id, fs.createReadStream(longRecording(RECORDING_SECONDS)), 1e9);
    const { recording } = await registerRecording({ repos: service.repos, storage: service.storage, pipeline: queuePorts(service.repos, queue).pipeline }, stored, {
      repExternalId: 'r-kill',
      originalName: 'visit-long.wav',
    });

    const first = startTingjian(['worker'], env.vars);
    children.push(first);
    await waitFor(async () => (await service.repos.recordings.getForJob(recording.id))?.status === 'transcribing', 60_000, 50);
    // Let whisper.cpp get going, then pull the plug on the worker and everything it spawned.
    await new Promise((r) => setTimeout(r, 700));
    const killedAt = new Date();
    first.kill9();
    await new Promise((r) => first.proc.once('exit', r));
    expect(first.proc.signalCode).toBe('SIGKILL');
    expect((await service.repos.recordings.getForJob(recording.id))?.status).toBe('transcribing');
    expect(await service.repos.results.countAnalyses(recording.id)).toBe(0);

    const second = startTingjian(['worker'], env.vars);
    children.push(second);
    const done = await waitFor(async () => {
      const r = await service.repos.recordings.getForJob(recording.id);
      return r && ['analyzed', 'failed'].includes(r.status) ? r : null;
    }, 90_000, 200);
    expect(done.status).toBe('analyzed');
    expect(done.errorCode).toBeNull();
    // The second worker ran transcription again (the stage time moved past the kill) …
    expect(done.transcribingAt!.getTime()).toBeGreaterThan(killedAt.getTime());
    // … and the result exists once.
    expect(await service.repos.results.countAnalyses(recording.id)).toBe(1);
    const transcript = await service.repos.results.getTranscript(tenant.id, recording.id);
    expect(transcript?.source).toMatch(/^whisper/);
  }, 180_000);
});

describe('worker stopped with SIGTERM mid-transcription', () => {
  it('finishes the job in hand before exiting', async () => {
    for (const c of children.splice(0)) await c.stop();
    const tenant = await service.repos.tenants.ensure('丁公司');
    const stored = await storeBody(service.storage, tenant.id, fs.createReadStream(longRecording(RECORDING_SECONDS)), 1e9);
    const { recording } = await registerRecording({ repos: service.repos, storage: service.storage, pipeline: queuePorts(service.repos, queue).pipeline }, stored, {
      repExternalId: 'r-term',
      originalName: 'visit-long.wav',
    });
    const worker = startTingjian(['worker'], env.vars);
    children.push(worker);
    await waitFor(async () => (await service.repos.recordings.getForJob(recording.id))?.status === 'transcribing', 60_000, 50);
    expect(await service.repos.results.getTranscript(tenant.id, recording.id)).toBeUndefined();
    await worker.stop(120_000);
    expect(worker.proc.exitCode).toBe(0);
    // The transcription it was doing was saved, not abandoned for another worker to redo.
    const transcript = await service.repos.results.getTranscript(tenant.id, recording.id);
    expect(transcript?.source).toMatch(/^whisper/);
  }, 180_000);
});
