import { proposeStages } from '../../leads/proposals.ts';
import { recordingStage } from '../recording-stage.ts';

/**
 * Records the stage moves the conversation suggests for the recording's lead (with the segment as evidence).
 * It moves nothing: a person confirms a proposal through the leads API.
 */
export const leadUpdateJob = recordingStage('lead-update', async (rec, deps) => {
  if (!rec.leadId) return;
  const [analysis, lead] = await Promise.all([
    deps.repos.results.getAnalysis(rec.tenantId, rec.id),
    deps.repos.leads.getById(rec.tenantId, rec.leadId),
  ]);
  if (!analysis || !lead) return;
  const proposals = proposeStages(analysis.result, lead.stage);
  await deps.repos.leads.replaceSignals(
    rec.tenantId,
    rec.id,
    lead.id,
    proposals.map((p) => ({ stage: p.to, segmentIndex: p.evidence.segment, evidence: p.evidence.text, reason: p.reason })),
  );
});
