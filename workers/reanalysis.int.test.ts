import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCall } from '../analyze/analyze-call.ts';
import { fileResult } from '../analyze/file-result.ts';
import type { Commitment, FileResultOk, Segment } from '../analyze/types.ts';
import type { RecordingRow } from '../db/repositories/recordings.repository.ts';
import { startTestService, type TestService } from '../fixtures/leads/test-service.ts';
import { recordingFollowups } from '../leads/service/followups.service.ts';

/**
 * A recording analysed again under a new lexicon/model (what `POST /v1/recordings/reanalyze` queues) on the real
 * Postgres: its follow-up tasks are reconciled with the new promises — no duplicates, a done task stays done, a
 * promise whose deadline became more precise keeps its task at the new time, a new customer promise adds a
 * check-back task, and a promise no longer found has its open task cancelled.
 */
let t: TestService;
let tenantId: string;
let rec: RecordingRow;
const recordedAt = new Date('2026-03-02T10:00:00+08:00');

const transcript: Segment[] = [
  { start: 0, end: 3, speaker: 'rep', text: '王总您好，我是华测传感的小陈。' },
  { start: 3, end: 6, speaker: 'customer', text: '你们这个价格还是有点高。' },
  { start: 6, end: 10, speaker: 'rep', text: '好的，我明天上午把报价单发给您。' },
  { start: 10, end: 14, speaker: 'rep', text: '下周二我带一只样品过来。' },
  { start: 14, end: 17, speaker: 'customer', text: '行，我下周一给你答复。' },
];

function result(commitments: Commitment[], version: string): FileResultOk {
  const a = analyzeCall(transcript, { now: recordedAt });
  return { ...fileResult(rec.originalName, 'transcript', { ...a, commitments }), lexiconVersion: version };
}

const quote: Commitment = { segment: 2, text: '我明天上午把报价单发给您', dueAt: '2026-03-03T12:00:00+08:00', by: 'rep' };
const visit: Commitment = { segment: 3, text: '下周二我带一只样品过来', dueAt: '2026-03-10T18:00:00+08:00', by: 'rep' };

async function tasks() {
  const all = await t.service.repos.followUps.list(tenantId, {});
  return all.filter((x) => x.kind === 'commitment' || x.kind === 'customer_promise');
}

async function analyse(r: FileResultOk) {
  await t.service.repos.results.saveAnalysis(rec, r);
  await recordingFollowups(t.deps, rec.id);
}

beforeAll(async () => {
  t = await startTestService({ name: 'reanalysis' });
  const { repos } = t.service;
  tenantId = (await repos.tenants.ensure('华东传感')).id;
  await repos.reps.upsert(tenantId, 'r01', { name: '陈工' });
  const rep = (await repos.reps.getByExternalId(tenantId, 'r01'))!;
  rec = await repos.recordings.insert({
    tenantId,
    repId: rep.id,
    recordedAt,
    originalName: 'visit.txt',
    sha256: `sha-reanalysis-${Date.now()}`,
    byteSize: 10,
    storageKey: 'none',
    kind: 'transcript',
    status: 'analyzed',
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('re-analysis reconciles the follow-ups of a recording', () => {
  it('keeps done-marks and task ids, moves a more precise deadline, adds new promises once and cancels vanished ones', async () => {
    // First analysis, by an older lexicon: two rep promises, one task each.
    await analyse(result([quote, visit], 'old'));
    let list = await tasks();
    expect(list.map((x) => x.title).sort()).toEqual(['兑现承诺：下周二我带一只样品过来', '兑现承诺：我明天上午把报价单发给您']);
    const quoteTask = list.find((x) => x.title.includes('报价单'))!;
    const visitTask = list.find((x) => x.title.includes('样品'))!;
    await t.service.repos.followUps.setStatus(tenantId, quoteTask.id, 'done');

    // The new lexicon finds the visit on the confirmation line with its precise time, and the customer's promise.
    const visitPrecise: Commitment = { segment: 4, text: '下周二上午我带样品过来', dueAt: '2026-03-10T12:00:00+08:00', by: 'rep' };
    const answer: Commitment = { segment: 4, text: '我下周一给你答复', dueAt: '2026-03-09T18:00:00+08:00', by: 'customer' };
    const fresh = result([quote, visitPrecise, answer], 'new');
    await analyse(fresh);
    await analyse(fresh); // a retried job changes nothing
    list = await tasks();
    expect(list).toHaveLength(3);
    expect(list.find((x) => x.id === quoteTask.id)!.status).toBe('done');
    const moved = list.find((x) => x.id === visitTask.id)!;
    expect(moved.status).toBe('open');
    expect(moved.dueAt!.toISOString()).toBe('2026-03-10T04:00:00.000Z');
    const check = list.find((x) => x.kind === 'customer_promise')!;
    expect(check.title).toBe('回访客户承诺：我下周一给你答复');
    expect(check.dueAt!.toISOString()).toBe('2026-03-09T10:00:00.000Z');
    const stored = await t.service.repos.results.commitmentsFor(tenantId, rec.id);
    expect(stored.map((c) => [c.segmentIndex, c.by])).toEqual([[2, 'rep'], [4, 'rep'], [4, 'customer']]);

    // A later analysis no longer finds the visit or the quote: the open task is cancelled, the done one stays done.
    await analyse(result([answer], 'newer'));
    list = await tasks();
    expect(list).toHaveLength(3);
    expect(list.find((x) => x.id === visitTask.id)!.status).toBe('cancelled');
    expect(list.find((x) => x.id === quoteTask.id)!.status).toBe('done');
    expect((await t.service.repos.results.commitmentsFor(tenantId, rec.id)).map((c) => c.text)).toEqual(['我下周一给你答复']);
  });
});
