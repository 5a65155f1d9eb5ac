import { momentsOf } from '../patterns/moments.ts';
import type { CoachingEvidence } from '../patterns/types.ts';
import type { ReportData } from './report-data.ts';

/** The coaching evidence for the mining step: every analysed recording with a lead, and its moments. */
export function coachingEvidence(data: ReportData): CoachingEvidence {
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  return {
    recordings: data.recordings
      .filter((r) => r.analysis && r.leadId)
      .map((r) => {
        const c = r.customerId ? customers.get(r.customerId) : undefined;
        return {
          recordingId: r.id,
          rep: r.repId,
          lead: r.leadId as string,
          at: r.recordedAt.toISOString(),
          customerType: c?.customerType ?? null,
          customerRole: c?.contactRole ?? null,
          audio: r.audioHref != null,
          moments: momentsOf(r.analysis!.segments),
        };
      }),
  };
}
