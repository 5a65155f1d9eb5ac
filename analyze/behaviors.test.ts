import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../lexicons/index.ts';
import { detectBehaviors } from './behaviors.ts';
import { tokenize } from './tokenize.ts';

const lex = loadLexicon();
const now = new Date('2026-03-02T10:00:00+08:00');
const detect = (text: string) => detectBehaviors(text, tokenize(text, lex), lex, { now }).sort();

describe('detectBehaviors', () => {
  it('commitment needs a concrete promise with a time', () => {
    expect(detect('我明天上午把报价单发给您')).toContain('commitment');
    expect(detect('样品我后天寄出')).toContain('commitment');
    expect(detect('我把报价单发给您')).not.toContain('commitment');
    // A standing service level names a time but promises no action.
    expect(detect('我们售后响应24小时内到场')).not.toContain('commitment');
    // A question is not a promise; a promise before a question still is.
    expect(detect('我明天给您打电话可以吗？')).not.toContain('commitment');
    expect(detect('那我今天回去就安排设计，您这边先把定金付一下？')).toEqual(['close_attempt', 'commitment'].sort());
  });

  it('use_case_probe is a question about where and how the product is used', () => {
    expect(detect('这些传感器是装在产线上还是实验室用？')).toEqual(['use_case_probe']);
    expect(detect('现场的介质是什么，温度多少')).toEqual(['use_case_probe']);
    // The same words as a statement are not a probe.
    expect(detect('我们的传感器装在产线上效果很好')).toEqual([]);
  });

  it('needs_probe covers pains, priorities, budget and the decision chain', () => {
    expect(detect('您现在用的这套系统，平时最头疼的是什么？')).toEqual(['needs_probe']);
    expect(detect('方便问一下项目预算大概是多少？')).toEqual(['needs_probe']);
    expect(detect('最后是哪位领导拍板呢')).toEqual(['needs_probe']);
  });

  it('quote needs a concrete amount or discount, not a question about price', () => {
    expect(detect('单价给您做到1850元，含税含运费')).toEqual(['quote']);
    expect(detect('量大可以给您打九五折')).toEqual(['quote']);
    expect(detect('您觉得多少钱合适？')).not.toContain('quote');
  });

  it('schedule_offer is a volunteered production or delivery plan', () => {
    expect(detect('我们下周一开始排产，十五号之前发货')).toContain('schedule_offer');
    expect(detect('排产一般要多久？')).not.toContain('schedule_offer');
  });

  it('objection_handling, value_restate and close_attempt from cues', () => {
    expect(detect('我理解您的顾虑，贵是贵一点，但寿命长一倍')).toContain('objection_handling');
    expect(detect('您刚才说漏水是最大的问题，我们这款正好能解决')).toContain('value_restate');
    expect(detect('那咱们就先下个试单，五台先用起来？')).toContain('close_attempt');
  });

  it('finds nothing in small talk', () => {
    for (const text of ['今天天气不错', '我先去趟洗手间，马上回来', '您喝茶还是咖啡？', '公司年会定在下个月十八号']) {
      expect(detect(text), text).toEqual([]);
    }
  });

  it('reuses tags passed by the caller', () => {
    const text = '这批阀门是给泵房用的吗？';
    const tokens = tokenize(text, lex);
    expect(detectBehaviors(text, tokens, lex, { now, tags: [] })).toEqual([]);
    expect(detectBehaviors(text, tokens, lex, { now })).toEqual(['use_case_probe']);
  });
});
