import { describe, expect, it } from 'vitest';
import { extractPromises, type LedgerLine } from './promises.ts';

const now = new Date('2026-03-02T10:00:00+08:00'); // a Monday morning
const rep = (text: string): LedgerLine => ({ text, pRep: 1, start: null, end: null });
const cust = (text: string): LedgerLine => ({ text, pRep: 0, start: null, end: null });
const ledger = (...lines: LedgerLine[]) => extractPromises(lines, now).map(({ segment, by, dueAt }) => ({ segment, by, dueAt }));

describe('extractPromises', () => {
  it('takes rep promises with the due time the promise is tied to, and the promise text from its subject', () => {
    const out = extractPromises(
      [
        cust('那你明天给我报价'),
        rep('好的王总，我明天上午把报价单发给您。'),
        rep('我回去跟领导申请一下，三天内给您答复'),
        rep('我尽快给您回复'),
        rep('我是华测传感的小陈，今天过来打扰了'),
      ],
      now,
    );
    expect(out).toEqual([
      { segment: 1, text: '我明天上午把报价单发给您', dueAt: '2026-03-03T12:00:00+08:00', by: 'rep' },
      { segment: 2, text: '三天内给您答复', dueAt: '2026-03-05T18:00:00+08:00', by: 'rep' },
    ]);
  });

  it('records customer promises as the customer’s', () => {
    expect(ledger(rep('那您这边什么时候能定？'), cust('我下周一给你答复。'))).toEqual([{ segment: 1, by: 'customer', dueAt: '2026-03-09T18:00:00+08:00' }]);
    expect(ledger(cust('拓扑图俺这有现成的，明天下班前发恁微信。'))).toEqual([{ segment: 0, by: 'customer', dueAt: '2026-03-03T18:00:00+08:00' }]);
  });

  it('matches cues on characters, not on whole words (周五/前寄到)', () => {
    expect(ledger(rep('样品周五前寄到您公司'))).toEqual([{ segment: 0, by: 'rep', dueAt: '2026-03-06T18:00:00+08:00' }]);
  });

  it('reads a condition anywhere before the promise in its sentence as no promise', () => {
    expect(ledger(rep('您要是这周五之前签样，我们三月二十号之前肯定能到。'))).toEqual([]);
    expect(ledger(rep('如果没问题的话，我明天上午把合同发您。'))).toEqual([]);
  });

  it('does not take standing schedules and service levels for promises', () => {
    expect(ledger(rep('我们每天当天晚上十点前揽收。'))).toEqual([]);
    expect(ledger(rep('我们是七乘二十四小时值守，十五分钟之内就到。'))).toEqual([]);
    expect(ledger(rep('下单后三天内发货，一般都很快。'))).toEqual([]);
  });

  it('binds an offer when it is accepted: on the confirmation, else on the acceptance', () => {
    const confirmed = ledger(rep('要不我下周二把样机带过来？'), cust('行啊。'), rep('好，那我下周二上午带过来。'));
    expect(confirmed).toEqual([{ segment: 2, by: 'rep', dueAt: '2026-03-10T12:00:00+08:00' }]);
    const accepted = ledger(rep('要不我下周二把样机带过来？'), cust('行，那你下周二带过来吧。'), rep('好的。'));
    expect(accepted).toEqual([{ segment: 1, by: 'rep', dueAt: '2026-03-10T18:00:00+08:00' }]);
    expect(ledger(rep('要不我下周二把样机带过来？'), cust('不用了，先不看。'))).toEqual([]);
  });

  it('reads 第二天 / 次日 / 隔天 from the day named before, or today', () => {
    expect(ledger(rep('周二拿到清单，第二天我就把方案发您。'))).toEqual([{ segment: 0, by: 'rep', dueAt: '2026-03-04T18:00:00+08:00' }]);
    expect(ledger(rep('我回去查一下，隔天给您回个电话。'))).toEqual([{ segment: 0, by: 'rep', dueAt: '2026-03-03T18:00:00+08:00' }]);
    expect(ledger(rep('款到的第二天我们安排发货。'))).toEqual([]);
  });

  it('makes one entry of a promise said twice, with the more precise deadline, and of its echo', () => {
    const out = ledger(rep('下周二我带一只样品过来。'), cust('行。'), rep('那就下周二上午我过来。'), cust('那你下周二上午过来哈。'));
    expect(out).toEqual([{ segment: 0, by: 'rep', dueAt: '2026-03-10T12:00:00+08:00' }]);
  });

  it('keeps two different promises of one line, even when one phrase in it would exclude the other', () => {
    const out = ledger(rep('合同我今天下午发您，样品明天上午给您寄过去，今天过来主要是想了解一下。'));
    expect(out.map((c) => c.dueAt)).toEqual(['2026-03-02T18:00:00+08:00', '2026-03-03T12:00:00+08:00']);
  });

  it('gives a line of uncertain role to the likelier side', () => {
    expect(ledger({ text: '我明天上午把报价单发给您', pRep: 0.6, start: null, end: null })[0].by).toBe('rep');
    expect(ledger({ text: '我明天上午给你答复', pRep: 0.4, start: null, end: null })[0].by).toBe('customer');
  });

  it('carries a condition across a short pause in unpunctuated speech-to-text', () => {
    const a: LedgerLine = { text: '您要是这周五之前签样', pRep: 1, start: 0, end: 2 };
    const b: LedgerLine = { text: '我们三月二十号之前肯定能到', pRep: 1, start: 2.3, end: 4 };
    expect(extractPromises([a, b], now)).toEqual([]);
    expect(extractPromises([a, { ...b, start: 6 }], now)).toHaveLength(1);
  });
});
