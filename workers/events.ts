import type { RecordingView } from '../db/repositories/recordings.repository.ts';

/** The ids every `recording.*` event starts with: ours and the CRM's (rep, lead, customer). */
export function recordingEventIds(
  rec: Pick<RecordingView, 'id' | 'repExternalId' | 'leadExternalId' | 'customerExternalId'>,
): { recordingId: string; repId: string | null; leadId: string | null; customerId: string | null } {
  return { recordingId: rec.id, repId: rec.repExternalId, leadId: rec.leadExternalId, customerId: rec.customerExternalId };
}
