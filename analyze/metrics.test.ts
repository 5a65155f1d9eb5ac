import { describe, expect, it } from 'vitest';
import { computeMetrics, effectiveEnds, timedDuration, type MetricSegment } from './metrics.ts';
import { promiseDueTime } from './commitments.ts';

const FILLERS = new Set(['那个', '就是', '嗯', '然后']);
const m = (speaker: MetricSegment['speaker'], text: string, start: number | null = null, end: number | null = null, words: string[] = []): MetricSegment => ({
  start,
  end,
  speaker,
  text,
  words,
});

describe('computeMetrics on a timed call', () => {
  const call = [
    m('rep', '王总您好', 0, 10, ['王总', '您好']),
    m('rep', '那个我们这款然后就是', 10, 40, ['那个', '我们', '这款', '然后', '就是']),
    m('customer', '太贵了', 40, 50, ['太', '贵', '了']),
    m('customer', '别家便宜', 50, 65, ['别家', '便宜']),
    m('unknown', '嗯', 65, 66, ['嗯']),
    m('rep', '用量多少？用在哪？', 66, 80, ['用量', '多少', '用', '在', '哪']),
    m('customer', '一年一万件', 80, null, ['一年', '一万件']),
  ];
  const metrics = computeMetrics(call, { durationSec: null, fillers: FILLERS });

  it('shares talk time between rep and customer, ignoring unknown', () => {
    // rep 10+30+14 = 54 s; customer 10+15+estimated last (5 chars × median rate).
    const ends = effectiveEnds(call);
    const lastDur = ends[6]! - 80;
    expect(lastDur).toBeGreaterThan(0.5);
    expect(metrics.repTalkShare).toBeCloseTo(54 / (54 + 25 + lastDur), 3);
  });

  it('measures the longest runs by each side', () => {
    expect(metrics.longestRepMonologueSec).toBe(40);
    expect(metrics.longestCustomerStorySec).toBe(25);
  });

  it('counts rep question sentences, switches per minute and rep filler rate', () => {
    expect(metrics.repQuestions).toBe(2);
    const duration = timedDuration(call)!;
    // switches: rep→customer (40), customer→rep (66), rep→customer (80); the unknown segment is skipped.
    expect(metrics.interactivityPerMin).toBeCloseTo(3 / (duration / 60), 2);
    expect(metrics.fillerRate).toBeCloseTo(3 / 12, 4);
  });
});

describe('computeMetrics on an untimed call', () => {
  it('falls back to characters and reports null for time metrics', () => {
    const metrics = computeMetrics([m('rep', '一二三'), m('customer', '一'), m('rep', '一二三四五六')], { durationSec: null, fillers: FILLERS });
    expect(metrics.repTalkShare).toBe(0.9);
    expect(metrics.longestRepMonologueSec).toBeNull();
    expect(metrics.longestCustomerStorySec).toBeNull();
    expect(metrics.interactivityPerMin).toBeNull();
    expect(metrics.fillerRate).toBe(0);
  });

  it('uses a known duration for interactivity', () => {
    const metrics = computeMetrics([m('rep', '您好'), m('customer', '你好'), m('rep', '好')], { durationSec: 120, fillers: FILLERS });
    expect(metrics.interactivityPerMin).toBe(1);
  });

  it('has no share when no side is known', () => {
    expect(computeMetrics([m('unknown', '你好')], { durationSec: null, fillers: FILLERS }).repTalkShare).toBeNull();
  });
});

describe('promiseDueTime', () => {
  const now = new Date('2026-03-02T10:00:00+08:00');
  it.each([
    '我们今天过来给您做一个详细的介绍',
    '这是我们公司的技术工程师小童，今天我们一起过来',
    '不过如果您这边能三天内确认模流报告',
    '只要您十一月五号之前确认，我们就能排上',
  ])('no promise: %s', (t) => expect(promiseDueTime(t, now)).toBeNull());

  it('finds the promised deadline', () => {
    expect(promiseDueTime('那我下周二去现场，两周之内给您出方案', now)?.expression).toBe('下周二');
    expect(promiseDueTime('我今天就安排寄样', now)?.iso).toBe('2026-03-02T18:00:00+08:00');
  });
});
