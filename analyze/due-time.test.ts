import { describe, expect, it } from 'vitest';
import { parseAllDueTimes, parseChineseNumber, parseDueTime } from './due-time.ts';
import { shanghaiIso } from '../core/time.ts';

/** Shanghai wall-clock instant. */
const sh = (s: string) => new Date(`${s}+08:00`);
const iso = (text: string, now: Date) => parseDueTime(text, now)?.iso ?? null;

// Monday 2 March 2026, 10:00 in Shanghai (the example date).
const MON = sh('2026-03-02T10:00:00');

describe('parseDueTime — expressions from the issue (now = Mon 2026-03-02 10:00)', () => {
  it.each([
    ['我明天上午把报价单发给您', '2026-03-03T12:00:00+08:00', '明天上午'],
    ['后天给您回复', '2026-03-04T18:00:00+08:00', '后天'],
    ['大后天发货', '2026-03-05T18:00:00+08:00', '大后天'],
    ['下周三之前把样品寄过去', '2026-03-11T18:00:00+08:00', '下周三之前'],
    ['这周五安排工程师', '2026-03-06T18:00:00+08:00', '这周五'],
    ['周五下班前给您方案', '2026-03-06T18:00:00+08:00', '周五下班前'],
    ['月底前把合同走完', '2026-03-31T18:00:00+08:00', '月底前'],
    ['下个月初排产', '2026-04-05T18:00:00+08:00', '下个月初'],
    ['三天内给您答复', '2026-03-05T18:00:00+08:00', '三天内'],
    ['48小时内回复您', '2026-03-04T10:00:00+08:00', '48小时内'],
    ['两小时后打给您', '2026-03-02T12:00:00+08:00', '两小时后'],
    ['今晚发您邮箱', '2026-03-02T22:00:00+08:00', '今晚'],
    ['明天下午三点去拜访', '2026-03-03T15:00:00+08:00', '明天下午三点'],
    ['3月5号之前到货', '2026-03-05T18:00:00+08:00', '3月5号之前'],
    ['三月五号给您', '2026-03-05T18:00:00+08:00', '三月五号'],
    ['明早发给您', '2026-03-03T09:00:00+08:00', '明早'],
    ['今天之内发过去', '2026-03-02T18:00:00+08:00', '今天之内'],
    ['明天一早就寄', '2026-03-03T09:00:00+08:00', '明天一早'],
    ['下午给您电话', '2026-03-02T18:00:00+08:00', '下午'],
    ['三点前发您', '2026-03-02T15:00:00+08:00', '三点前'],
    ['明天10:30到', '2026-03-03T10:30:00+08:00', '明天10:30'],
    ['下周一下午两点半开会', '2026-03-09T14:30:00+08:00', '下周一下午两点半'],
    ['明天晚上八点前', '2026-03-03T20:00:00+08:00', '明天晚上八点前'],
    ['明天中午一点', '2026-03-03T13:00:00+08:00', '明天中午一点'],
    ['晚上12点前', '2026-03-02T23:59:00+08:00', '晚上12点前'],
    ['一个半小时内', '2026-03-02T11:30:00+08:00', '一个半小时内'],
    ['30分钟后', '2026-03-02T10:30:00+08:00', '30分钟后'],
    ['3个工作日内', '2026-03-05T18:00:00+08:00', '3个工作日内'],
    ['一周内', '2026-03-09T18:00:00+08:00', '一周内'],
    ['两个星期之内', '2026-03-16T18:00:00+08:00', '两个星期之内'],
    ['半个月内', '2026-03-17T18:00:00+08:00', '半个月内'],
    ['一个月内', '2026-04-02T18:00:00+08:00', '一个月内'],
    ['这两天', '2026-03-04T18:00:00+08:00', '这两天'],
    ['马上发', '2026-03-02T11:00:00+08:00', '马上'],
    ['稍后发您', '2026-03-02T12:00:00+08:00', '稍后'],
    ['年底前', '2026-12-31T18:00:00+08:00', '年底前'],
    ['这周内', '2026-03-06T18:00:00+08:00', '这周内'],
    ['下周给您', '2026-03-13T18:00:00+08:00', '下周'],
    ['周末前', '2026-03-06T18:00:00+08:00', '周末前'],
    ['这周末', '2026-03-08T18:00:00+08:00', '这周末'],
    ['这个月中旬', '2026-03-20T18:00:00+08:00', '这个月中旬'],
    ['本月内', '2026-03-31T18:00:00+08:00', '本月内'],
    ['下个月', '2026-04-30T18:00:00+08:00', '下个月'],
    ['下下周二', '2026-03-17T18:00:00+08:00', '下下周二'],
    ['星期天', '2026-03-08T18:00:00+08:00', '星期天'],
    ['礼拜三上午', '2026-03-04T12:00:00+08:00', '礼拜三上午'],
    ['5号之前', '2026-03-05T18:00:00+08:00', '5号之前'],
    ['下个月10号', '2026-04-10T18:00:00+08:00', '下个月10号'],
    ['2026-04-01前', '2026-04-01T18:00:00+08:00', '2026-04-01前'],
    ['明年3月1号', '2027-03-01T18:00:00+08:00', '明年3月1号'],
    ['明天１０点', '2026-03-03T10:00:00+08:00', '明天１０点'],
  ])('%s → %s', (text, expected, expression) => {
    const r = parseDueTime(text, MON);
    expect(r?.iso).toBe(expected);
    expect(r?.expression).toBe(expression);
    expect(text.slice(r!.start, r!.end)).toBe(expression);
    expect(r!.dueAt.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('reports the offsets of the expression inside the sentence', () => {
    const r = parseDueTime('好的王总，我明天上午把报价单发给您', MON)!;
    expect([r.start, r.end, r.expression]).toEqual([6, 10, '明天上午']);
  });
});

describe('parseDueTime — no time named', () => {
  it.each(['便宜一点', '一点五米的管径', '每周一次巡检', '五号线旁边', '我们有两点优势', '回头再说', '改天聊', '周期比较长', '一时半会儿定不了', ''])(
    '%s → null',
    (text) => {
      expect(parseDueTime(text, MON)).toBeNull();
    },
  );

  it('rejects impossible dates', () => {
    expect(parseDueTime('2月30号', MON)).toBeNull();
    expect(parseDueTime('2月29号', MON)).toBeNull(); // 2026 and 2027 are not leap years
  });
});

describe('parseDueTime — month and year ends, leap years', () => {
  it('rolls 明天/后天 over month and year ends', () => {
    expect(iso('明天', sh('2026-01-31T09:00:00'))).toBe('2026-02-01T18:00:00+08:00');
    expect(iso('后天', sh('2026-12-31T09:00:00'))).toBe('2027-01-02T18:00:00+08:00');
    expect(iso('大后天', sh('2026-12-30T09:00:00'))).toBe('2027-01-02T18:00:00+08:00');
    expect(iso('明天上午', sh('2026-12-31T23:30:00'))).toBe('2027-01-01T12:00:00+08:00');
  });

  it('uses the Shanghai date, not the UTC date', () => {
    // 2026-03-02T17:30Z is already 01:30 on 3 March in Shanghai.
    expect(iso('明天', new Date('2026-03-02T17:30:00Z'))).toBe('2026-03-04T18:00:00+08:00');
  });

  it('handles February in leap and common years', () => {
    expect(iso('明天', sh('2028-02-28T10:00:00'))).toBe('2028-02-29T18:00:00+08:00');
    expect(iso('明天', sh('2026-02-28T10:00:00'))).toBe('2026-03-01T18:00:00+08:00');
    expect(iso('月底前', sh('2028-02-10T10:00:00'))).toBe('2028-02-29T18:00:00+08:00');
    expect(iso('月底前', sh('2026-02-10T10:00:00'))).toBe('2026-02-28T18:00:00+08:00');
    expect(iso('下个月底', sh('2028-01-15T10:00:00'))).toBe('2028-02-29T18:00:00+08:00');
    expect(iso('2月29号', sh('2028-01-15T10:00:00'))).toBe('2028-02-29T18:00:00+08:00');
    expect(iso('一个月内', sh('2026-01-31T10:00:00'))).toBe('2026-02-28T18:00:00+08:00');
  });

  it('rolls month-relative expressions into the next year in December', () => {
    expect(iso('下个月初', sh('2026-12-10T10:00:00'))).toBe('2027-01-05T18:00:00+08:00');
    expect(iso('下个月底', sh('2026-12-10T10:00:00'))).toBe('2027-01-31T18:00:00+08:00');
    expect(iso('月底前', sh('2026-12-10T10:00:00'))).toBe('2026-12-31T18:00:00+08:00');
    expect(iso('下周三', sh('2026-12-28T10:00:00'))).toBe('2027-01-06T18:00:00+08:00');
    expect(iso('三天内', sh('2026-12-30T10:00:00'))).toBe('2027-01-02T18:00:00+08:00');
    expect(iso('48小时内', sh('2026-12-31T10:00:00'))).toBe('2027-01-02T10:00:00+08:00');
    expect(iso('月底', sh('2026-04-30T10:00:00'))).toBe('2026-04-30T18:00:00+08:00');
  });

  it('puts a past month-day into next year and a past day-of-month into next month', () => {
    expect(iso('1月5号', sh('2026-12-20T10:00:00'))).toBe('2027-01-05T18:00:00+08:00');
    expect(iso('5号前', sh('2026-12-20T10:00:00'))).toBe('2027-01-05T18:00:00+08:00');
    expect(iso('5号前', sh('2026-03-20T10:00:00'))).toBe('2026-04-05T18:00:00+08:00');
  });
});

describe('parseDueTime — already-past defaults', () => {
  it('moves a past 18:00 today to 23:59, a past period without a day to tomorrow', () => {
    const evening = sh('2026-03-02T19:30:00');
    expect(iso('今天', evening)).toBe('2026-03-02T23:59:00+08:00');
    expect(iso('下午', evening)).toBe('2026-03-03T18:00:00+08:00');
    expect(iso('三点前', evening)).toBe('2026-03-03T15:00:00+08:00');
  });

  it('treats bare 周X as the next such day including today', () => {
    const sat = sh('2026-03-07T10:00:00');
    expect(iso('周五', sat)).toBe('2026-03-13T18:00:00+08:00');
    expect(iso('周六', sat)).toBe('2026-03-07T18:00:00+08:00');
    expect(iso('这周', sat)).toBe('2026-03-08T18:00:00+08:00');
    expect(iso('本周五', sat)).toBe('2026-03-06T18:00:00+08:00');
  });

  it('works the 工作日 count across a weekend', () => {
    expect(iso('两个工作日内', sh('2026-03-06T10:00:00'))).toBe('2026-03-10T18:00:00+08:00');
  });
});

describe('helpers', () => {
  it('parses Chinese numerals', () => {
    expect([
      parseChineseNumber('四十八'),
      parseChineseNumber('十'),
      parseChineseNumber('十二'),
      parseChineseNumber('二十'),
      parseChineseNumber('两'),
      parseChineseNumber('一百'),
      parseChineseNumber('48'),
      parseChineseNumber('半'),
    ]).toEqual([48, 10, 12, 20, 2, 100, 48, 0.5]);
    expect(parseChineseNumber('个')).toBeNaN();
  });

  it('formats instants in Shanghai time', () => {
    expect(shanghaiIso(new Date('2026-03-02T16:00:00Z'))).toBe('2026-03-03T00:00:00+08:00');
  });
});

describe('parseAllDueTimes', () => {
  it('lists every expression in order without overlaps', () => {
    const all = parseAllDueTimes('我今天回去整理一下，明天上午把报价单发您，下周三之前安排样品', MON);
    expect(all.map((d) => [d.expression, d.iso])).toEqual([
      ['今天', '2026-03-02T18:00:00+08:00'],
      ['明天上午', '2026-03-03T12:00:00+08:00'],
      ['下周三之前', '2026-03-11T18:00:00+08:00'],
    ]);
  });
});

describe('parseDueTime — named months and greetings', () => {
  it('resolves 九月底/六月初之前/十一月中 to that month, next year when past', () => {
    expect(iso('刚好是九月底', MON)).toBe('2026-09-30T18:00:00+08:00');
    expect(iso('合同六月初之前签', MON)).toBe('2026-06-05T18:00:00+08:00');
    expect(iso('十一月中到厂', MON)).toBe('2026-11-15T18:00:00+08:00');
    expect(iso('十一月中旬', MON)).toBe('2026-11-20T18:00:00+08:00');
    expect(iso('二月底', MON)).toBe('2027-02-28T18:00:00+08:00');
    expect(iso('明年二月底', sh('2027-06-01T10:00:00'))).toBe('2028-02-29T18:00:00+08:00');
    expect(parseDueTime('十三月底', MON)).toBeNull();
  });

  it('does not read greetings as times', () => {
    expect(parseDueTime('章总，下午好', MON)).toBeNull();
    expect(parseDueTime('早上好，我是联科化工的', MON)).toBeNull();
    expect(iso('明天下午好吗', MON)).toBe('2026-03-03T18:00:00+08:00');
  });
});
