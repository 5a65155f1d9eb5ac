import { describe, expect, it } from 'vitest';
import type { AnalyzedSegment } from '../analyze/types.ts';
import { dailyScores, estimateAttitude, heatMap, redFlags, type AttitudeEntry } from './attitude.ts';

const e = (customerId: string, day: string, score: number, source: AttitudeEntry['source'] = 'report', repId = 'r1'): AttitudeEntry => ({
  customerId,
  repId,
  day,
  score,
  source,
});

describe('customer attitude', () => {
  const entries = [
    // A: 2, 1, 2 on three consecutive days → red.
    e('A', '2026-11-01', 2),
    e('A', '2026-11-02', 1),
    e('A', '2026-11-03', 2),
    e('A', '2026-11-04', 4),
    // B: 2, 2, (no score), 2 → not red: a missing day breaks the run.
    e('B', '2026-11-01', 2),
    e('B', '2026-11-02', 2),
    e('B', '2026-11-04', 2),
    // C: report 4 beats the conversation estimate 1 on 11-02; the estimate alone fills 11-03.
    e('C', '2026-11-01', 2),
    e('C', '2026-11-02', 4),
    e('C', '2026-11-02', 1, 'conversation'),
    e('C', '2026-11-03', 1, 'conversation'),
    // D: two reps on the same day average to 2.5 (> 2), so no red although one says 2.
    e('D', '2026-11-01', 1),
    e('D', '2026-11-02', 2),
    e('D', '2026-11-03', 3, 'report', 'r1'),
    e('D', '2026-11-03', 2, 'report', 'r2'),
    // E: a 5-day run across a month boundary is one flag.
    e('E', '2026-10-30', 2),
    e('E', '2026-10-31', 2),
    e('E', '2026-11-01', 1),
    e('E', '2026-11-02', 2),
    e('E', '2026-11-03', 1),
  ];
  const scores = dailyScores(entries);

  it('takes the rep report over the conversation estimate and averages a day', () => {
    const c = scores.filter((s) => s.customerId === 'C').map((s) => [s.day, s.score, s.source]);
    expect(c).toEqual([
      ['2026-11-01', 2, 'report'],
      ['2026-11-02', 4, 'report'],
      ['2026-11-03', 1, 'conversation'],
    ]);
    expect(scores.find((s) => s.customerId === 'D' && s.day === '2026-11-03')!.score).toBe(2.5);
  });

  it('flags exactly the customers with 3 consecutive days ≤ 2', () => {
    expect(redFlags(scores)).toEqual([
      { customerId: 'A', days: ['2026-11-01', '2026-11-02', '2026-11-03'], scores: [2, 1, 2] },
      { customerId: 'E', days: ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02', '2026-11-03'], scores: [2, 2, 1, 2, 1] },
    ]);
  });

  it('draws the heat map with red runs marked', () => {
    const map = heatMap(scores, '2026-11-01', '2026-11-04');
    expect(map.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']);
    const a = map.rows.find((r) => r.customerId === 'A')!;
    expect(a.cells.map((c) => [c.score, c.color, c.redFlag])).toEqual([
      [2, 'orange', true],
      [1, 'red', true],
      [2, 'orange', true],
      [4, 'light_green', false],
    ]);
    expect(map.rows.find((r) => r.customerId === 'B')!.cells.map((c) => c.redFlag)).toEqual([false, false, false, false]);
  });

  it('estimates attitude from the customer’s words only', () => {
    const seg = (speaker: AnalyzedSegment['speaker'], text: string): AnalyzedSegment => ({ start: null, end: null, speaker, text, tags: [], behaviors: [] });
    const cold = estimateAttitude({
      segments: [seg('rep', '这款产品很好，挺好用'), seg('customer', '太贵了，我们暂时不考虑'), seg('customer', '别家报价低很多，再说吧')],
    })!;
    expect(cold.positive).toBe(0);
    expect(cold.negative).toBe(4);
    expect(cold.score).toBe(1);
    expect(cold.evidence).toEqual([1, 2]);
    const warm = estimateAttitude({ segments: [seg('customer', '方案挺好的，没问题'), seg('customer', '价格有点贵了')] })!;
    expect(warm.score).toBe(4);
    expect(estimateAttitude({ segments: [seg('customer', '嗯，你说')] })!.score).toBe(3);
    expect(estimateAttitude({ segments: [seg('rep', '您好')] })).toBeNull();
  });
});
