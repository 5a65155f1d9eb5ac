import { UnrecoverableError } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { UnsupportedMediaError, DependencyUnavailableError } from '../core/errors.ts';
import { recordingRow } from '../fixtures/unit/factories.ts';
import { unitJobDeps } from '../fixtures/unit/job-deps.ts';
import { recordingStage } from './recording-stage.ts';
import { runJob } from './run-job.ts';

/** The wrapper every pipeline stage runs in, with fake repositories and a recording queue (no Postgres, no Redis). */
describe('recordingStage', () => {
  it('skips a job from an older reprocess generation without touching the recording', async () => {
    const { deps, repos } = unitJobDeps();
    repos.recordings.getForJob.mockResolvedValue(recordingRow({ generation: 3 }));
    const run = vi.fn();
    await recordingStage('analyze', run).handler({ recordingId: 'x', generation: 2 }, deps);
    expect(run).not.toHaveBeenCalled();
    expect(repos.recordings.markFailed).not.toHaveBeenCalled();
  });

  it('fails the recording at once on bad input: code stored, recording.failed sent with CRM ids, no retry', async () => {
    const { deps, repos, published } = unitJobDeps();
    const rec = recordingRow({ repExternalId: 'r-9', leadExternalId: 'L-9', customerExternalId: 'C-9' });
    repos.recordings.getForJob.mockResolvedValue(rec);
    repos.recordings.markFailed.mockResolvedValue();
    const stage = recordingStage('normalize', async () => {
      throw new UnsupportedMediaError('not_audio', 'x.mp3 不是音频文件');
    });
    await expect(stage.handler({ recordingId: rec.id, generation: 0 }, deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(repos.recordings.markFailed).toHaveBeenCalledWith(rec.id, 'not_audio', 'x.mp3 不是音频文件');
    expect(published()).toEqual([
      ['recording.failed', { recordingId: rec.id, repId: 'r-9', leadId: 'L-9', customerId: 'C-9', status: 'failed', error: { code: 'not_audio', message: 'x.mp3 不是音频文件' } }],
    ]);
  });

  it('lets an unavailable dependency throw as it is, so the queue retries with backoff', async () => {
    const { deps, repos } = unitJobDeps();
    repos.recordings.getForJob.mockResolvedValue(recordingRow());
    const down = new DependencyUnavailableError('queue_unavailable', 'Redis 不可用');
    await expect(recordingStage('transcribe', async () => Promise.reject(down)).handler({ recordingId: 'x', generation: 0 }, deps)).rejects.toBe(down);
    expect(repos.recordings.markFailed).not.toHaveBeenCalled();
  });

  it('marks the recording stage_failed once the last retry of a transient error failed', async () => {
    const { deps, repos, published } = unitJobDeps();
    const rec = recordingRow();
    repos.recordings.getForJob.mockResolvedValue(rec);
    repos.recordings.markFailed.mockResolvedValue();
    const crash = new Error('ffmpeg killed by signal');
    const stage = recordingStage('normalize', async () => Promise.reject(crash));
    await expect(stage.handler({ recordingId: rec.id, generation: 0 }, deps)).rejects.toBe(crash);
    await stage.onExhausted!({ recordingId: rec.id, generation: 0 }, crash, deps);
    expect(repos.recordings.markFailed).toHaveBeenCalledWith(rec.id, 'stage_failed', expect.stringContaining('ffmpeg killed by signal'));
    expect(published().map(([e]) => e)).toEqual(['recording.failed']);
  });

  it('does nothing for a recording deleted since the job was queued', async () => {
    const { deps, repos } = unitJobDeps();
    repos.recordings.getForJob.mockResolvedValue(null as never);
    await runJob('lead-update', { recordingId: 'gone', generation: 0 }, deps, { final: true });
    expect(repos.recordings.markFailed).not.toHaveBeenCalled();
  });
});
