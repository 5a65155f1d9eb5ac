import { describe, expect, it } from 'vitest';
import type { CallAnalysis } from '../../analyze/types.ts';
import { recordingRow } from '../../fixtures/unit/factories.ts';
import { unitJobDeps } from '../../fixtures/unit/job-deps.ts';
import { analyzeJob } from './analyze.job.ts';
import { normalizeJob } from './normalize.job.ts';
import { reanalyzeTenantJob } from './reanalyze-tenant.job.ts';

const analysis: CallAnalysis = {
  lexiconVersion: 'lex-1',
  durationSec: 12,
  segments: [{ start: 0, end: 3, speaker: 'rep', text: '我明天上午把报价单发您', tags: [], behaviors: ['commitment'] }],
  tagCounts: { price_sensitivity: 1 },
  commitments: [{ segment: 0, text: '我明天上午把报价单发您', dueAt: '2026-03-03T12:00:00+08:00' }],
  metrics: { repTalkShare: 1, longestRepMonologueSec: 3, longestCustomerStorySec: null, repQuestions: 0, interactivityPerMin: 0, fillerRate: 0 },
};

describe('pipeline jobs with fake repositories and a recording queue', () => {
  it('normalize: a transcript is parsed, stored, and queued for analysis under its generation', async () => {
    const segments = [{ start: null, end: 4, speaker: 'rep' as const, text: '王总您好' }];
    const { deps, repos, queue } = unitJobDeps({ stages: { sniff: async () => 'transcript', readTranscript: async () => segments }, storage: { localPath: async (k: string) => `/data/${k}` } });
    const rec = recordingRow({ generation: 2, originalName: '拜访.txt' });
    repos.recordings.getForJob.mockResolvedValue(rec);
    repos.recordings.setStatus.mockResolvedValue();
    repos.results.saveTranscript.mockResolvedValue();
    await normalizeJob.handler({ recordingId: rec.id, generation: 2 }, deps);
    // Nothing personal in it: stored as it came, with no sealed original.
    expect(repos.results.saveTranscript).toHaveBeenCalledWith(rec, 'transcript', segments, { original: segments, counts: {} });
    expect(repos.recordings.setStatus).toHaveBeenLastCalledWith(rec.id, 'normalizing', { kind: 'transcript', durationSec: 4 });
    expect(queue.jobs).toEqual([{ name: 'analyze', payload: { recordingId: rec.id, generation: 2 }, options: expect.objectContaining({ jobId: `analyze.${rec.id}.g2`, delayMs: 0 }) }]);
  });

  it('normalize: personal data in a transcript is stored redacted, the original handed over to be sealed', async () => {
    const segments = [{ start: 0, end: 4, speaker: 'rep' as const, text: '我明天上午把合同发到 13812345678 这个微信上' }];
    const { deps, repos } = unitJobDeps({ stages: { sniff: async () => 'transcript', readTranscript: async () => segments }, storage: { localPath: async (k: string) => `/data/${k}` } });
    const rec = recordingRow();
    repos.recordings.getForJob.mockResolvedValue(rec);
    repos.recordings.setStatus.mockResolvedValue();
    repos.results.saveTranscript.mockResolvedValue();
    await normalizeJob.handler({ recordingId: rec.id, generation: 0 }, deps);
    const [, , stored, pii] = repos.results.saveTranscript.mock.calls[0];
    expect(stored[0].text).toBe('我明天上午把合同发到 [手机号] 这个微信上');
    expect(pii).toEqual({ original: segments, counts: { mobile: 1 } });
  });

  it('analyze: stores the file result, tells webhooks with the CRM ids, then queues follow-ups and the lead update', async () => {
    const { deps, repos, queue, published } = unitJobDeps({ stages: { analyze: () => analysis } });
    const rec = recordingRow({ kind: 'transcript', leadId: 'lead-uuid', repExternalId: 'r01', leadExternalId: 'L1', originalName: 'v.txt' });
    repos.recordings.getForJob.mockResolvedValue(rec);
    repos.recordings.setStatus.mockResolvedValue();
    repos.results.getTranscript.mockResolvedValue({ segments: analysis.segments } as never);
    repos.results.saveAnalysis.mockResolvedValue([]);
    await analyzeJob.handler({ recordingId: rec.id, generation: 0 }, deps);
    expect(repos.results.saveAnalysis).toHaveBeenCalledWith(rec, expect.objectContaining({ file: 'v.txt', status: 'ok', kind: 'transcript', lexiconVersion: 'lex-1' }));
    expect(repos.recordings.setStatus).toHaveBeenLastCalledWith(rec.id, 'analyzed');
    expect(published()).toEqual([['recording.analyzed', expect.objectContaining({ recordingId: rec.id, repId: 'r01', leadId: 'L1', commitments: 1 })]]);
    expect(queue.names()).toEqual(['webhook-delivery', 'recording-followups', 'lead-update']);
  });

  it('analyze without a transcript fails the recording, saying to reprocess', async () => {
    const { deps, repos } = unitJobDeps();
    const rec = recordingRow();
    repos.recordings.getForJob.mockResolvedValue(rec);
    repos.recordings.setStatus.mockResolvedValue();
    repos.recordings.markFailed.mockResolvedValue();
    repos.results.getTranscript.mockResolvedValue(undefined as never);
    await expect(analyzeJob.handler({ recordingId: rec.id, generation: 0 }, deps)).rejects.toThrow('no_transcript');
    expect(repos.recordings.markFailed).toHaveBeenCalledWith(rec.id, 'no_transcript', expect.stringContaining('重新处理'));
  });

  it('reanalyze-tenant walks the stale analyses page by page and queues each once for the new lexicon', async () => {
    const { deps, repos, queue } = unitJobDeps();
    const ids = Array.from({ length: 1203 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    repos.results.staleAnalyses.mockImplementation(async (_t, _v, o) => {
      const from = o.after ? ids.indexOf(o.after) + 1 : 0;
      return ids.slice(from, from + o.limit).map((id) => ({ id, generation: 1 }));
    });
    await reanalyzeTenantJob.handler({ tenantId: 't', lexiconVersion: '2026.12.01-1', all: false, requestedAt: 1 }, deps);
    expect(repos.results.staleAnalyses).toHaveBeenCalledTimes(4);
    expect(queue.jobs).toHaveLength(1203);
    expect(new Set(queue.jobs.map((j) => j.options.jobId)).size).toBe(1203);
    expect(queue.jobs[0]).toMatchObject({ name: 'analyze', payload: { recordingId: ids[0], generation: 1, lexiconVersion: '2026.12.01-1' }, options: { jobId: `analyze.${ids[0]}.g1.lex2026.12.01-1` } });
  });
});
