import { describe, expect, it } from 'vitest';
import { cueScore, inferLabelRoles, loadSpeakerCues } from './speakers.ts';

describe('speaker cues', () => {
  it('loads a validated cue file', () => {
    const cues = loadSpeakerCues();
    expect(cues.version).toMatch(/\S/);
    expect(cues.fillers).toEqual(expect.arrayContaining(['那个', '就是', '嗯', '然后']));
  });

  it('scores rep talk positive and customer talk negative', () => {
    expect(cueScore('我们公司的产品质量您放心，明天给您报价')).toBeGreaterThan(2);
    expect(cueScore('你们家的价格太贵了，别家便宜一半')).toBeLessThan(-2);
    expect(cueScore('好的')).toBe(0);
  });
});

describe('inferLabelRoles', () => {
  it('uses titles and what each name said', () => {
    const roles = inferLabelRoles(
      new Map([
        ['王总', ['嗯，你们这个多少钱']],
        ['小李', ['王总您好，我们公司是做阀门的', '这个您放心']],
        ['张三', ['好的']],
      ]),
    );
    expect(Object.fromEntries(roles)).toEqual({ 王总: 'customer', 小李: 'rep', 张三: 'unknown' });
  });
});
