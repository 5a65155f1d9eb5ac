import { resolveDwellStandards, type DwellStandards } from '../dwell.ts';
import type { LeadDeps } from './deps.ts';

/** The tenant's dwell standards (lead settings over the defaults): stage pages, overdue warnings and PHI share them. */
export async function standardsFor(deps: Pick<LeadDeps, 'repos'>, tenantId: string): Promise<DwellStandards> {
  const settings = await deps.repos.leadEvidence.settings(tenantId);
  return resolveDwellStandards(settings?.dwellHours);
}
