import { UnrecoverableError } from 'bullmq';
import { defineJob } from '../deps.ts';
import { OutboundError, outboundPolicy, postJson, publicFailure } from '../outbound-http.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../webhook-signing.ts';

/**
 * Signs and POSTs one logged delivery; a non-2xx answer or network error throws, so BullMQ retries with backoff.
 * The address is checked again here (DNS may have changed since registration). The log the tenant reads says only
 * `http_<status>` or the kind of failure, never a connection error, so it cannot map which ports answer.
 */
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
      const res = await postJson(subscription.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'tingjian-webhooks/1',
          [EVENT_HEADER]: delivery.event,
          [DELIVERY_HEADER]: delivery.id,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(subscription.secret, timestamp, body),
        },
        body,
        timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
        policy: outboundPolicy(deps.config),
      });
      statusCode = res.status;
      if (res.status < 200 || res.status >= 300) throw new Error(`http_${res.status}`);
    } catch (err) {
      const error = statusCode === null ? publicFailure(err) : `http_${statusCode}`;
      deps.log.warn({ deliveryId, subscriptionId: subscription.id, err: (err as Error).message }, 'webhook delivery failed');
      // A refused address stays refused: fail now instead of knocking on it again with backoff.
      const refused = err instanceof OutboundError && err.failure === 'address_not_allowed';
      await deps.repos.webhooks.recordAttempt(delivery.id, { status: refused ? 'failed' : 'pending', statusCode, error });
      if (refused) throw new UnrecoverableError(`webhook delivery ${delivery.id}: ${error}`);
      throw new Error(`webhook delivery ${delivery.id}: ${error}`);
    }
    await deps.repos.webhooks.recordAttempt(delivery.id, { status: 'delivered', statusCode });
  },
  onExhausted: async ({ deliveryId }, _err, deps) => {
    const found = await deps.repos.webhooks.getDelivery(deliveryId);
    if (!found || found.delivery.status === 'delivered') return;
    // The last attempt already counted itself and logged its public reason; keep that reason, mark the outcome.
    await deps.repos.webhooks.markFailed(deliveryId, found.delivery.lastError ?? 'unreachable');
  },
});
