import { UnrecoverableError } from 'bullmq';
import { dingtalkSignedUrl } from '../../leads/notify.ts';
import { defineJob } from '../deps.ts';

/**
 * POSTs one stored robot message to the URL configured for its channel now (never a URL from the message itself).
 * 企业微信 and 钉钉 answer HTTP 200 with `errcode` ≠ 0 on rejection, so that counts as a failure and is retried.
 */
export const robotDeliveryJob = defineJob({
  name: 'robot-delivery',
  handler: async ({ messageId }, deps) => {
    const msg = await deps.repos.handovers.robotMessage(messageId);
    if (!msg || msg.status === 'sent') return;
    const settings = await deps.repos.leadEvidence.settings(msg.tenantId);
    const base = msg.channel === 'wecom' ? settings?.wecomWebhookUrl : settings?.dingtalkWebhookUrl;
    if (!base) {
      await deps.repos.handovers.recordRobotAttempt(msg.id, { ok: false, error: 'channel no longer configured', final: true });
      throw new UnrecoverableError(`robot channel ${msg.channel} not configured`);
    }
    const url = msg.channel === 'dingtalk' && settings?.dingtalkSecret ? dingtalkSignedUrl(base, settings.dingtalkSecret, new Date()) : base;
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(msg.body),
        signal: AbortSignal.timeout(deps.config.ROBOT_TIMEOUT_MS),
        redirect: 'error',
      });
      const text = await res.text();
      if (!res.ok) error = `HTTP ${res.status}`;
      else {
        const errcode = safeErrcode(text);
        if (errcode !== null && errcode !== 0) error = `errcode ${errcode}: ${text.slice(0, 200)}`;
      }
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (error) {
      await deps.repos.handovers.recordRobotAttempt(msg.id, { ok: false, error, final: false });
      throw new Error(`robot delivery failed: ${error}`);
    }
    await deps.repos.handovers.recordRobotAttempt(msg.id, { ok: true });
  },
  onExhausted: async ({ messageId }, err, deps) => {
    await deps.repos.handovers.recordRobotAttempt(messageId, { ok: false, error: err instanceof Error ? err.message : String(err), final: true });
  },
});

function safeErrcode(text: string): number | null {
  try {
    const body = JSON.parse(text) as { errcode?: unknown };
    return typeof body.errcode === 'number' ? body.errcode : null;
  } catch {
    return null;
  }
}
