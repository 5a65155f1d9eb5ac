import { describe, expect, it } from 'vitest';
import { VOICE_SPLIT } from '../fixtures/audio/conversations.ts';
import { runVoiceEvaluation, type EvalRow } from '../fixtures/audio/voice-eval-run.ts';
import { scoreVoices } from '../fixtures/audio/voice-eval.ts';

// Conversations of real speakers (shared/audio-real/voices) that the labeller's settings were never tuned on
// (VOICE_SPLIT.heldOut), through the real VAD and the voice labeller. Read speech close to the microphone: easier
// than a visit, so these thresholds are a floor, not a promise for the field. `npm run eval:voices` prints the figures.
function share(rows: EvalRow[], kind: EvalRow['kind']): number {
  const of = rows.filter((r) => r.kind === kind);
  return of.reduce((s, r) => s + r.speechSec * r.score.accuracy, 0) / of.reduce((s, r) => s + r.speechSec, 0);
}

describe('voice labelling on held-out real speakers', () => {
  it('puts ≥ 90 % of speech under the right voice for different-gender pairs and ≥ 80 % for same-gender pairs', async () => {
    const rows = await runVoiceEvaluation(VOICE_SPLIT.heldOut);
    expect(rows.filter((r) => r.kind === 'different-gender pair')).toHaveLength(20);
    expect(rows.filter((r) => r.kind === 'same-gender pair')).toHaveLength(16);
    expect(share(rows, 'different-gender pair')).toBeGreaterThanOrEqual(0.9);
    expect(share(rows, 'same-gender pair')).toBeGreaterThanOrEqual(0.8);
    expect(share(rows, 'three speakers')).toBeGreaterThanOrEqual(0.8);
    // The stopping rule: one speaker is one voice.
    expect(rows.filter((r) => r.kind === 'single').every((r) => r.score.voicesFound === 1)).toBe(true);
  }, 120_000);
});

describe('scoreVoices', () => {
  it('scores under the best mapping and counts unlabelled speech as wrong', () => {
    const truth = [
      { start: 0, end: 2, speaker: 'a' },
      { start: 3, end: 5, speaker: 'b' },
    ];
    expect(scoreVoices(truth, [{ start: 0, end: 2, voice: 'S2' }, { start: 3, end: 5, voice: 'S1' }]).accuracy).toBeCloseTo(1, 2);
    const half = scoreVoices(truth, [{ start: 0, end: 2, voice: 'S1' }]);
    expect(half.accuracy).toBeCloseTo(0.5, 2);
    expect(half.missed).toBeCloseTo(0.5, 2);
    expect(scoreVoices(truth, [{ start: 0, end: 5, voice: 'S1' }]).accuracy).toBeCloseTo(0.5, 2);
  });
});
