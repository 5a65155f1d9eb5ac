import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { reminderNotification } from './messages.ts';
import { dingtalkPayload, robotRequests, wecomPayload } from './notify.ts';

const task = { id: 't1', kind: 'commitment' as const, title: '兑现承诺：明天中午前发报价单', repId: 'r01', leadId: 'L1', customerId: 'C1', dueAt: new Date('2026-03-03T04:00:00Z') };
const n = reminderNotification(task, { id: 'r01', name: '张伟', mobile: '13800000000', wecomUserId: 'zhangwei' });

describe('robot message formats', () => {
  it('shapes 企业微信 text and markdown bodies', () => {
    expect(wecomPayload(n, 'text')).toEqual({
      msgtype: 'text',
      text: {
        content: '【跟进提醒】客户承诺跟进\n兑现承诺：明天中午前发报价单\n负责人：张伟\n截止时间：2026-03-03 12:00（北京时间）\n线索：L1',
        mentioned_list: ['zhangwei'],
        mentioned_mobile_list: ['13800000000'],
      },
    });
    const md = wecomPayload(n, 'markdown') as { msgtype: string; markdown: { content: string } };
    expect(md.msgtype).toBe('markdown');
    expect(md.markdown.content.split('\n')[0]).toBe('**【跟进提醒】客户承诺跟进**');
    expect(md.markdown.content).toContain('<@zhangwei>');
  });

  it('shapes 钉钉 bodies with @mobile in the text', () => {
    const text = dingtalkPayload(n, 'text') as { text: { content: string }; at: unknown };
    expect(text.text.content.endsWith('@13800000000')).toBe(true);
    expect(text.at).toEqual({ atMobiles: ['13800000000'], atUserIds: [], isAtAll: false });
    const md = dingtalkPayload(n, 'markdown') as { msgtype: string; markdown: { title: string; text: string } };
    expect(md.msgtype).toBe('markdown');
    expect(md.markdown.title).toBe('【跟进提醒】客户承诺跟进');
  });

  it('sends only to configured channels and signs DingTalk when a secret is set', () => {
    const now = new Date(1_700_000_000_000);
    expect(robotRequests(n, {}, now)).toEqual([]);
    const reqs = robotRequests(n, { dingtalkWebhookUrl: 'http://127.0.0.1:9/robot/send?access_token=abc', dingtalkSecret: 'SECx' }, now);
    expect(reqs).toHaveLength(1);
    const u = new URL(reqs[0].url);
    expect(u.searchParams.get('access_token')).toBe('abc');
    expect(u.searchParams.get('timestamp')).toBe('1700000000000');
    expect(u.searchParams.get('sign')).toBe(createHmac('sha256', 'SECx').update('1700000000000\nSECx').digest('base64'));
  });
});
