import type { RecordingRow } from '../db/repositories/recordings.repository.ts';
import type { JobDeps } from './deps.ts';

export type WebhookEvent = 'recording.analyzed' | 'recording.failed' | (string & {});

/**
 * Logs one delivery per interested subscription and queues each; the delivery job signs, sends and retries.
 * Webhooks are at-least-once: receivers dedupe by the delivery id header.
 */
export async function emitEvent(
  deps: Pick<JobDeps, 'repos' | 'queue'>,
  tenantId: string,
  event: WebhookEvent,
  data: Record<string, unknown>,
): Promise<void> {
  const payload = { event, occurredAt: new Date().toISOString(), data };
  const ids = await deps.repos.webhooks.createDeliveries(tenantId, event, payload);
  for (const deliveryId of ids) await deps.queue.enqueue('webhook-delivery', { deliveryId }, { jobId: `wh.${deliveryId}` });
}

/** The ids every `recording.*` event starts with: ours and the CRM's (rep, lead, customer). */
export async function recordingEventIds(
  deps: Pick<JobDeps, 'repos'>,
  rec: Pick<RecordingRow, 'id' | 'tenantId'>,
): Promise<{ recordingId: string; repId: string | null; leadId: string | null; customerId: string | null }> {
  const view = await deps.repos.recordings.get({ tenantId: rec.tenantId }, rec.id);
  return {
    recordingId: rec.id,
    repId: view?.repExternalId ?? null,
    leadId: view?.leadExternalId ?? null,
    customerId: view?.customerExternalId ?? null,
  };
}
