import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { audioFixture, testModelPath } from '../fixtures/audio/index.ts';
import { registerRecording, storeBody } from '../ingest/intake.ts';
import { proposeStages } from '../leads/proposals.ts';
import { JOB_NAMES } from './catalog.ts';
import { checkHandlers, HANDLERS } from './handlers.ts';
import { createInlineRunner } from './inline-runner.ts';
import { openService, type Service } from './service.ts';
import { queuePorts } from './ports.ts';

/** The demo's path: embedded PGlite on disk, the same handlers run in-process by the inline runner, no Redis. */
let dir: string;
let service: Service;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-inline-'));
  const config = loadConfig({
    PGLITE_DIR: path.join(dir, 'pglite'),
    STORAGE_DIR: path.join(dir, 'storage'),
    WHISPER_MODEL: testModelPath(),
    LOG_LEVEL: 'silent',
    // Unreachable on purpose: nothing in this path may touch Redis.
    REDIS_URL: 'redis://127.0.0.1:1',
  });
  service = await openService(config);
});

afterAll(async () => {
  await service?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('inline runner on PGlite', () => {
  it('runs transcript, audio and a bad file through the whole pipeline in-process', async () => {
    const tenant = await service.repos.tenants.ensure('演示公司');
    const done: string[] = [];
    const runner = createInlineRunner(service, { onJobDone: (name, _p, err) => done.push(`${name}:${err ? 'failed' : 'ok'}`) });
    const add = async (file: string, name: string, extra: { leadExternalId?: string } = {}) => {
      const stored = await storeBody(service.storage, tenant.id, fs.createReadStream(file), 1e9);
      return (await registerRecording({ repos: service.repos, storage: service.storage, pipeline: queuePorts(service.repos, runner).pipeline }, stored, {
        repExternalId: 'demo-rep',
        originalName: name,
        recordedAt: new Date('2026-10-12T09:30:00+08:00'),
        ...extra,
      })).recording;
    };
    const text = await add(path.join(import.meta.dirname, '../fixtures/transcripts/adhesives-01.txt'), 'adhesives.txt', { leadExternalId: 'L-demo' });
    const audio = await add(audioFixture('visit.wav'), 'visit.wav');
    const bad = await add(audioFixture('image.mp3'), 'image.mp3');
    expect(runner.pending()).toBe(3);

    const stats = await runner.drain();
    expect(runner.pending()).toBe(0);
    expect(stats.failed).toBe(1);
    expect(stats.byJob.analyze?.completed).toBe(2);
    expect(stats.byJob['lead-update']?.completed).toBe(1);
    expect(done).toContain('transcribe:ok');

    const get = (id: string) => service.repos.recordings.getForJob(id);
    expect((await get(text.id))?.status).toBe('analyzed');
    expect((await get(audio.id))?.status).toBe('analyzed');
    expect(await get(bad.id)).toMatchObject({ status: 'failed', errorCode: 'not_audio' });

    const analysis = await service.repos.results.getAnalysis(tenant.id, text.id);
    expect(analysis?.result.kind).toBe('transcript');
    expect(Object.keys(analysis!.tagCounts).length).toBeGreaterThan(0);
    const commitments = await service.repos.results.commitmentsFor(tenant.id, text.id);
    expect(commitments.length).toBe(analysis!.result.commitments.length);
    // Due times resolve against the visit's time, not the time of the run.
    expect(commitments[0].dueAt!.toISOString().slice(0, 10)).toBe('2026-10-12');
    expect((await service.repos.results.getAnalysis(tenant.id, audio.id))?.result.kind).toBe('audio');

    // lead-update recorded what the conversation suggests for the lead, and moved nothing.
    const lead = (await service.repos.leads.getByExternalId(tenant.id, 'L-demo'))!;
    expect(lead.stage).toBe('new_lead');
    const expected = proposeStages(analysis!.result, 'new_lead');
    expect(expected.length).toBeGreaterThan(0);
    const signals = await service.repos.leads.stageSignals(tenant.id, lead.id);
    expect(signals.map((x) => [x.stage, x.segmentIndex]).sort()).toEqual(expected.map((p) => [p.to, p.evidence.segment]).sort());

    // Re-running the analysis stage must not duplicate anything.
    const rec = (await get(text.id))!;
    await runner.enqueue('analyze', { recordingId: rec.id, generation: rec.generation });
    await runner.drain();
    expect(await service.repos.results.countAnalyses(text.id)).toBe(1);
    expect((await service.repos.results.commitmentsFor(tenant.id, text.id)).length).toBe(commitments.length);
  }, 120_000);

  it('holds delayed jobs until the clock reaches them', async () => {
    let now = new Date('2026-11-30T00:00:00Z');
    const runner = createInlineRunner(service, { now: () => now });
    await runner.enqueue('followup-remind', { taskId: '00000000-0000-0000-0000-000000000000', at: now.getTime() + 3_600_000 });
    expect((await runner.drain()).completed).toBe(0);
    expect(runner.pending()).toBe(1);
    now = new Date('2026-11-30T01:00:00Z');
    expect((await runner.drain()).completed).toBe(1);
  }, 60_000);
});

describe('job catalog check', () => {
  it('has exactly one handler per job, filed under its own name', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...JOB_NAMES].sort());
    expect(() => checkHandlers()).not.toThrow();
  });

  it('refuses a missing handler or one filed under another job', () => {
    const { normalize: _missing, ...rest } = HANDLERS;
    expect(() => checkHandlers(rest)).toThrow(/no handler for job "normalize"/);
    expect(() => checkHandlers({ ...HANDLERS, transcribe: HANDLERS.analyze })).toThrow(/job "transcribe" has the handler of "analyze"/);
  });
});
