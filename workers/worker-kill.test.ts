import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longRecording, testModelPath } from '../fixtures/audio/index.ts';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { BullJobQueue } from './bullmq.ts';
import { startTingjian, type Child } from './child-process.testing.ts';
import { openService, type Service } from './service.ts';
import { testEnvironment, waitFor } from './testing.ts';
import { jobOptions } from './job-options.ts';
import { queuePorts } from './ports.ts';

/**
 * A worker machine dies (SIGKILL, no cleanup) in the middle of transcription. BullMQ's stalled-job check hands the
 * job to another worker, which finishes the recording; the stage upserts leave exactly one analysis row.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let queue: BullJobQueue;
const children: Child[] = [];
// Two minutes are four of whisper's 30-second windows: the kill waits for the first progress report, so it lands
// mid-transcription however fast or loaded the machine is.
const RECORDING_SECONDS = 120;
// Waits are sized from the adapter's own limit (whisper.cpp is killed after WHISPER_TIMEOUT_FACTOR × the audio's
// length): a transcription that takes longer has failed anyway. Starting a worker (tsx, lexicons, jieba) gets its own.
const TIMEOUT_FACTOR = 1;
const TRANSCRIBE_MS = RECORDING_SECONDS * TIMEOUT_FACTOR * 1000;
const START_MS = 60_000;

beforeAll(async () => {
  env = await testEnvironment('kill', { WHISPER_MODEL: testModelPath(), CONCURRENCY_TRANSCRIBE: '1', WHISPER_TIMEOUT_FACTOR: String(TIMEOUT_FACTOR) });
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
    // Once whisper.cpp reports progress it is really transcribing: then pull the plug on the worker and all it spawned.
    await waitFor(async () => {
      const job = await queue.queue('transcribe').getJob(jobOptions('transcribe', { recordingId: recording.id, generation: 0 }, env.config).jobId);
      return typeof job?.progress === 'number' && job.progress > 0 && job.progress < 100;
    }, START_MS + TRANSCRIBE_MS, 50);
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
    }, START_MS + TRANSCRIBE_MS, 200);
    expect(done.status).toBe('analyzed');
    expect(done.errorCode).toBeNull();
    // The second worker ran transcription again (the stage time moved past the kill) …
    expect(done.transcribingAt!.getTime()).toBeGreaterThan(killedAt.getTime());
    // … and the result exists once.
    expect(await service.repos.results.countAnalyses(recording.id)).toBe(1);
    const transcript = await service.repos.results.getTranscript(tenant.id, recording.id);
    expect(transcript?.source).toMatch(/^whisper/);
  }, 2 * (START_MS + TRANSCRIBE_MS));
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
    await waitFor(async () => (await service.repos.recordings.getForJob(recording.id))?.status === 'transcribing', START_MS, 50);
    expect(await service.repos.results.getTranscript(tenant.id, recording.id)).toBeUndefined();
    await worker.stop(TRANSCRIBE_MS);
    expect(worker.proc.exitCode).toBe(0);
    // The transcription it was doing was saved, not abandoned for another worker to redo.
    const transcript = await service.repos.results.getTranscript(tenant.id, recording.id);
    expect(transcript?.source).toMatch(/^whisper/);
  }, START_MS + TRANSCRIBE_MS + 10_000);
});
