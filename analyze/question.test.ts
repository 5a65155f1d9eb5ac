import { describe, expect, it } from 'vitest';
import { countQuestions, isQuestion } from './question.ts';

describe('isQuestion', () => {
  it.each([
    '您这边大概用量多少',
    '这个型号有现货吗',
    '那您那边呢',
    '你们之前用的是哪家的',
    '交期能不能再快一点',
    '是不是主要用在户外',
    '你们有没有做过类似的项目',
    '需不需要我们派工程师过去',
    '价格方面没问题吧',
    '这个您也了解吧',
    '您觉得怎么样',
    '为什么上次没选我们',
    '谁负责最后拍板',
    '一般几点方便',
    '请问贵公司的采购流程是怎样的',
    '样品收到了没',
    '现场温度大概多高',
    '用在什么设备上',
    '好的。那您预算大概多少',
    '质量怎么保证？',
    'How about next week?',
    '您是要标准款还是定制款',
    '什么都行，那您看多少合适',
  ])('question: %s', (s) => {
    expect(isQuestion(s)).toBe(true);
  });

  it.each([
    '什么都行',
    '没什么问题',
    '价格多少有点高',
    '不管多少我们都能供',
    '哪怕贵一点也可以',
    '怎么说呢，我们还在比较',
    '有什么问题您随时找我',
    '我回去确认一下有没有货',
    '我也不知道领导能不能批',
    '好吧',
    '那就这样吧',
    '我明天上午把报价单发给您',
    '我们有好几个客户在用',
    '还早呢',
    '价格还是有点高',
    '哪里哪里，您过奖了',
    '动不动就坏',
    '这个我们之前几乎没碰到过',
    '',
  ])('statement: %s', (s) => {
    expect(isQuestion(s)).toBe(false);
  });
});

describe('countQuestions', () => {
  it('counts question sentences in one utterance', () => {
    expect(countQuestions('明白。现在的量程是多少？接口是什么样的')).toBe(2);
    expect(countQuestions('好的，我明天发您。')).toBe(0);
  });
});

describe('isQuestion — statements from the fixture transcripts', () => {
  it.each([
    '嗯，资料我们SQE看了，还有几个问题。',
    '行，但是我先说好，能不能批下来我说了不算',
    '那我回去再核一下成本，看看配方和工艺上能不能优化',
    '联动机制可以考虑，我们跟其他几家供应商也是这么做的',
    '哎呀，客气什么，坐坐',
    '行，合同里面质量条款要写清楚，批次不合格怎么处理',
    '我哪知道，你问操作工去',
    '白班开的设备多的时候，有几台气动设备会报警',
  ])('statement: %s', (s) => expect(isQuestion(s)).toBe(false));

  it.each(['你们有几台', '一般几号发货', '大概要几天'])('question: %s', (s) => expect(isQuestion(s)).toBe(true));
});
