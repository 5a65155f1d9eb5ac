import { defineJob } from '../deps.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../webhook-signing.ts';

/** Signs and POSTs one logged delivery; a non-2xx answer or network error throws, so BullMQ retries with backoff. */
export const webhookDeliveryJob = defineJob({
  name: 'webhook-delivery',
  handler: async ({ deliveryId }, deps) => {
    const found = await deps.repos.webhooks.getDelivery(deliveryId);
    if (!found || found.delivery.status === 'delivered' || !found.subscription.active) return;
    const { delivery, subscription } = found;
    const body = JSON.stringify({ id: delivery.id, ...delivery.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    try {
      const res = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tingjian-webhooks/1',
          [EVENT_HEADER]: delivery.event,
          [DELIVERY_HEADER]: delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(subscription.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.config.WEBHOOK_TIMEOUT_MS),
      });
      statusCode = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) throw new Error(`receiver answered HTTP ${res.status}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await deps.repos.webhooks.recordAttempt(delivery.id, { status: 'pending', statusCode, error: message });
      throw err;
    }
    await deps.repos.webhooks.recordAttempt(delivery.id, { status: 'delivered', statusCode });
  },
  onExhausted: async ({ deliveryId }, err, deps) => {
    const found = await deps.repos.webhooks.getDelivery(deliveryId);
    if (!found || found.delivery.status === 'delivered') return;
    // The last attempt already counted itself; mark the outcome without bumping attempts again.
    await deps.repos.webhooks.markFailed(deliveryId, err instanceof Error ? err.message : String(err));
  },
});
