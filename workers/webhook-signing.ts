import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tingjian-signature';
export const TIMESTAMP_HEADER = 'x-tingjian-timestamp';
export const EVENT_HEADER = 'x-tingjian-event';
export const DELIVERY_HEADER = 'x-tingjian-delivery';

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<unix seconds>.<raw body>"). The timestamp is signed with the body so a
 * captured request cannot be replayed later (receivers reject old timestamps).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver (the CRM) runs; exported for its developers and for our tests. */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  opts: { toleranceSec?: number; now?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
