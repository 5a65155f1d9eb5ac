import { describe, expect, it } from 'vitest';
import type { Segment } from '../analyze/types.ts';
import { collapseLoops, guardSegments, guardWarnings } from './hallucination-guard.ts';
import type { Region } from './regions.ts';

const seg = (start: number, end: number, text: string): Segment => ({ start, end, speaker: 'unknown', text });
const speech: Region[] = [[0, 10], [40, 50]];

describe('guardSegments', () => {
  it('drops text the recognizer wrote where the VAD found nobody speaking, and keeps text over speech', () => {
    const { segments, drops } = guardSegments([seg(1, 4, '您好，王经理。'), seg(15, 30, '我们的产品非常好。'), seg(9.5, 12, '对。')], speech);
    expect(segments.map((s) => s.text)).toEqual(['您好，王经理。', '对。']);
    expect(drops).toEqual([{ kind: 'outside_speech', start: 15, end: 30, text: '我们的产品非常好。' }]);
  });

  it('removes whisper’s silence phrases, whole or inside a line, but not ordinary thanks', () => {
    const { segments, drops } = guardSegments(
      [
        seg(1, 3, '请不吝点赞 订阅 转发 打赏支持明镜与点点栏目'),
        seg(3, 5, '字幕由Amara.org社区提供'),
        seg(5, 7, '好的，谢谢观看'),
        seg(7, 9, '谢谢王总，那我们下周见。'),
      ],
      speech,
    );
    expect(segments.map((s) => s.text)).toEqual(['好的，', '谢谢王总，那我们下周见。']);
    expect(drops.every((d) => d.kind === 'silence_phrase')).toBe(true);
    expect(drops.length).toBeGreaterThanOrEqual(3);
  });

  it('cuts a repetition loop to one occurrence and drops a line repeated over segments beyond twice', () => {
    const looped = guardSegments([seg(1, 5, '这个价格我们这个价格我们这个价格我们这个价格我们这个价格我们可以谈')], speech);
    expect(looped.segments[0].text).toBe('这个价格我们可以谈');
    expect(looped.drops[0].kind).toBe('repetition_loop');
    const lines = guardSegments([seg(40, 41, '好的。'), seg(41, 42, '好的。'), seg(42, 43, '好的。'), seg(43, 44, '好的。')], speech);
    expect(lines.segments).toHaveLength(2);
    expect(lines.drops.map((d) => d.kind)).toEqual(['repetition_loop', 'repetition_loop']);
  });

  it('leaves natural repetition alone and summarizes drops as warnings', () => {
    expect(collapseLoops('对对对对，好好好，是的是的').removed).toBe('');
    expect(collapseLoops('啊啊啊啊啊啊啊啊啊啊').text).toBe('啊');
    const { drops } = guardSegments([seg(20, 25, '嗯。'), seg(1, 2, '字幕由某某提供')], speech);
    expect(guardWarnings(drops)).toEqual([
      expect.stringMatching(/^已丢弃 1 段.*Dropped 1 segment/),
      expect.stringMatching(/^已删除 1 处.*字幕由/),
    ]);
    expect(guardWarnings([])).toEqual([]);
  });
});
