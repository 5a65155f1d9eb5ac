import { UnrecoverableError } from 'bullmq';
import { dingtalkSignedUrl } from '../../leads/notify.ts';
import { defineJob } from '../deps.ts';
import { outboundPolicy, postJson, publicFailure } from '../outbound-http.ts';

/**
 * POSTs one stored robot message to the URL configured for its channel now (never a URL from the message itself).
 * 企业微信 and 钉钉 answer HTTP 200 with `errcode` ≠ 0 on rejection, so that counts as a failure and is retried.
 * The address is checked on every attempt as webhooks are (workers/outbound-http.ts).
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
      const res = await postJson(url, {
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(msg.body),
        timeoutMs: deps.config.ROBOT_TIMEOUT_MS,
        policy: outboundPolicy(deps.config),
      });
      if (res.status < 200 || res.status >= 300) error = `http_${res.status}`;
      else {
        const errcode = safeErrcode(res.text);
        if (errcode !== null && errcode !== 0) error = `errcode ${errcode}: ${res.text.slice(0, 200)}`;
      }
    } catch (err) {
      deps.log.warn({ messageId: msg.id, err: (err as Error).message }, 'robot delivery failed');
      error = publicFailure(err);
    }
    if (error) {
      await deps.repos.handovers.recordRobotAttempt(msg.id, { ok: false, error, final: false });
      throw new Error(`robot delivery failed: ${error}`);
    }
    await deps.repos.handovers.recordRobotAttempt(msg.id, { ok: true });
  },
  onExhausted: async ({ messageId }, err, deps) => {
    const last = (await deps.repos.handovers.robotMessage(messageId))?.lastError;
    await deps.repos.handovers.recordRobotAttempt(messageId, { ok: false, error: last ?? publicFailure(err), final: true });
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
