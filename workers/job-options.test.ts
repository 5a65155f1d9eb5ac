import { describe, expect, it } from 'vitest';
import { jobOptions } from './job-options.ts';

const config = { JOB_ATTEMPTS: 4, JOB_BACKOFF_MS: 300 };

describe('job options', () => {
  it('gives recording stages one id per recording, stage and generation, with the configured retries', () => {
    expect(jobOptions('transcribe', { recordingId: 'r', generation: 3 }, config)).toEqual({ jobId: 'transcribe.r.g3', delayMs: 0, attempts: 4, backoffMs: 300 });
    expect(jobOptions('analyze', { recordingId: 'r', generation: 3, lexiconVersion: '2026.12.01 a/b' }, config).jobId).toBe('analyze.r.g3.lex2026.12.01_a_b');
  });

  it('delays reminders, escalations and stage warnings to their instant, never into the past, with the instant in the id', () => {
    const now = 1_000_000;
    expect(jobOptions('followup-remind', { taskId: 't', at: now + 5000 }, config, now)).toMatchObject({ jobId: `fu-remind.t.${now + 5000}`, delayMs: 5000 });
    expect(jobOptions('followup-escalate', { taskId: 't', at: now - 5000 }, config, now)).toMatchObject({ delayMs: 0 });
    expect(jobOptions('lead-stage-overdue', { leadId: 'l', at: now + 1 }, config, now)).toMatchObject({ jobId: `stage-overdue.l.${now + 1}`, delayMs: 1 });
  });
});
