import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCall } from './analyze-call.ts';
import { inferRoles, SWITCH_TYPED } from './roles.ts';
import { parseTranscript } from './transcript-parse.ts';
import type { Segment } from './types.ts';

const now = new Date('2026-03-02T10:00:00+08:00');
const seg = (text: string, speaker: Segment['speaker'] = 'unknown', voice?: string): Segment => ({
  start: null,
  end: null,
  speaker,
  text,
  ...(voice ? { voice } : {}),
});

describe('inferRoles', () => {
  it('never changes explicit roles, which are certain', () => {
    const out = inferRoles([seg('你们家太贵了', 'rep'), seg('好的'), seg('嗯', 'customer')], [-5, 0, 3], { switchProb: SWITCH_TYPED });
    expect(out.map((r) => r.speaker)).toEqual(['rep', expect.any(String), 'customer']);
    expect(out[0].confidence).toBe(1);
    expect(out[2].confidence).toBe(1);
  });

  it('gives a line with no evidence of its own the role its neighbours imply, with the posterior as confidence', () => {
    const out = inferRoles([seg('a', 'rep'), seg('b'), seg('c', 'rep')], [0, 0, 0], { switchProb: SWITCH_TYPED });
    expect(out[1].speaker).toBe('customer');
    expect(out[1].confidence).toBeGreaterThan(0.9);
    expect(out[1].confidence).toBeLessThan(1);
  });

  it('with voice labels, every line of a voice shares the role its lines add up to', () => {
    const segs = [seg('x', 'unknown', 'S1'), seg('y', 'unknown', 'S2'), seg('z', 'unknown', 'S1'), seg('w', 'unknown', 'S2')];
    // S1's lines lean rep overall (2.5 − 0.5), S2's customer; alternation alone would not decide the third line.
    const out = inferRoles(segs, [2.5, -1, -0.5, -1], { switchProb: 0.5 });
    expect(out.map((r) => r.speaker)).toEqual(['rep', 'customer', 'rep', 'customer']);
  });

  it('makes the voice that sounds most like a rep the rep when none does', () => {
    const out = inferRoles([seg('x', 'unknown', 'S1'), seg('y', 'unknown', 'S2')], [-0.2, -3], { switchProb: 0.5 });
    expect(out.map((r) => r.speaker)).toEqual(['rep', 'customer']);
  });
});

describe('roles of the fixture transcripts with their labels stripped (the corpus scorer measures the held-out figure)', () => {
  const dir = new URL('../fixtures/transcripts/', import.meta.url);

  it('gets at least 90 % of the lines right, counting unknown as wrong', () => {
    let right = 0;
    let total = 0;
    for (const f of readdirSync(dir).filter((x) => /\.(txt|srt|vtt)$/.test(x))) {
      const truth = parseTranscript(f, readFileSync(new URL(f, dir), 'utf8'));
      if (truth.some((s) => s.speaker === 'unknown')) continue;
      const a = analyzeCall(truth.map((s) => ({ ...s, speaker: 'unknown' as const })), { now });
      a.segments.forEach((s, i) => {
        total++;
        if (s.speaker === truth[i].speaker) right++;
      });
    }
    console.log(`fixture roles, labels stripped: ${right}/${total} right`);
    expect(total).toBeGreaterThan(500);
    expect(right / total).toBeGreaterThanOrEqual(0.9);
  });

  const gold = JSON.parse(readFileSync(new URL('gold/expected-roles.json', dir), 'utf8')).roles as Record<string, string[]>;
  it.each(Object.keys(gold))('%s (no labels in the file): at least 85 %% of lines right', (file) => {
    const a = analyzeCall(parseTranscript(file, readFileSync(new URL(file, dir), 'utf8')), { now });
    expect(a.segments).toHaveLength(gold[file].length);
    const right = a.segments.filter((s, i) => s.speaker === gold[file][i]).length;
    expect(right / a.segments.length).toBeGreaterThanOrEqual(0.85);
  });
});
