import { createHmac } from 'node:crypto';
import type { WebhookEvent } from '../core/events.ts';

/** Somebody a notification is for; the robot messages @-mention them by mobile or IM user id when known. */
export interface Recipient {
  id: string;
  name: string;
  mobile?: string | null;
  wecomUserId?: string | null;
  dingtalkUserId?: string | null;
}

/** What a lead notification is about: the webhook events that are not about a recording's processing. */
export type NotificationEvent = Exclude<WebhookEvent, 'recording.analyzed' | 'recording.failed'>;

/** A notification before it is shaped for a channel: the webhook body carries `data`, the robots the text. */
export interface Notification {
  event: NotificationEvent;
  title: string;
  /** Plain lines, Chinese first. */
  lines: string[];
  recipients: Recipient[];
  data: Record<string, unknown>;
}

export type RobotFormat = 'text' | 'markdown';

/**
 * 企业微信 group robot body (https://developer.work.weixin.qq.com/document/path/91770): `text` with
 * mentioned_list / mentioned_mobile_list, or `markdown` where mentions are `<@userid>` inside the content.
 */
export function wecomPayload(n: Notification, format: RobotFormat): Record<string, unknown> {
  if (format === 'markdown') {
    const mentions = n.recipients.filter((r) => r.wecomUserId).map((r) => `<@${r.wecomUserId}>`);
    const content = [`**${n.title}**`, ...n.lines.map((l) => `> ${l}`), ...(mentions.length ? [mentions.join(' ')] : [])].join('\n');
    return { msgtype: 'markdown', markdown: { content } };
  }
  return {
    msgtype: 'text',
    text: {
      content: [n.title, ...n.lines].join('\n'),
      mentioned_list: n.recipients.flatMap((r) => (r.wecomUserId ? [r.wecomUserId] : [])),
      mentioned_mobile_list: n.recipients.flatMap((r) => (r.mobile ? [r.mobile] : [])),
    },
  };
}

/**
 * 钉钉 custom group robot body (https://open.dingtalk.com/document/orgapp/custom-robot-access): `text` or
 * `markdown` (title + text), with `at.atMobiles` / `at.atUserIds`; DingTalk only rings a mobile that also appears
 * as `@mobile` in the content, so it is appended there.
 */
export function dingtalkPayload(n: Notification, format: RobotFormat): Record<string, unknown> {
  const atMobiles = n.recipients.flatMap((r) => (r.mobile ? [r.mobile] : []));
  const atUserIds = n.recipients.flatMap((r) => (r.dingtalkUserId ? [r.dingtalkUserId] : []));
  const atLine = [...atMobiles.map((m) => `@${m}`), ...atUserIds.map((u) => `@${u}`)].join(' ');
  const at = { atMobiles, atUserIds, isAtAll: false };
  if (format === 'markdown') {
    const text = [`#### ${n.title}`, ...n.lines.map((l) => `- ${l}`), ...(atLine ? [atLine] : [])].join('\n');
    return { msgtype: 'markdown', markdown: { title: n.title, text }, at };
  }
  return { msgtype: 'text', text: { content: [n.title, ...n.lines, ...(atLine ? [atLine] : [])].join('\n') }, at };
}

/** The signed URL a DingTalk robot with 加签 expects: timestamp and base64 HMAC-SHA256 of "timestamp\nsecret". */
export function dingtalkSignedUrl(url: string, secret: string, now: Date): string {
  const timestamp = String(now.getTime());
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', timestamp);
  u.searchParams.set('sign', sign);
  return u.toString();
}

/** Where a tenant wants notifications; every field optional, and nothing is sent to a channel left unset. */
export interface NotifyChannels {
  wecomWebhookUrl?: string | null;
  dingtalkWebhookUrl?: string | null;
  dingtalkSecret?: string | null;
  robotFormat?: RobotFormat;
}

export interface OutgoingRequest {
  channel: 'wecom' | 'dingtalk';
  url: string;
  body: Record<string, unknown>;
}

/** The robot requests for one notification, one per configured channel. Webhook subscriptions go through the service's webhook queue. */
export function robotRequests(n: Notification, channels: NotifyChannels, now: Date): OutgoingRequest[] {
  const format = channels.robotFormat ?? 'markdown';
  const out: OutgoingRequest[] = [];
  if (channels.wecomWebhookUrl) out.push({ channel: 'wecom', url: channels.wecomWebhookUrl, body: wecomPayload(n, format) });
  if (channels.dingtalkWebhookUrl) {
    const url = channels.dingtalkSecret ? dingtalkSignedUrl(channels.dingtalkWebhookUrl, channels.dingtalkSecret, now) : channels.dingtalkWebhookUrl;
    out.push({ channel: 'dingtalk', url, body: dingtalkPayload(n, format) });
  }
  return out;
}
