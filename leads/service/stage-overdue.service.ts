import { stageDueAt } from '../dwell.ts';
import { stageOverdueNotification } from '../messages.ts';
import type { LeadDeps } from './deps.ts';
import { notify, recipientOf } from './notify.service.ts';
import { standardsFor } from './dwell-standards.service.ts';

/** Schedules the 阶段超时 warning for the lead's current stage (none for won/lost). */
export async function scheduleStageOverdue(deps: LeadDeps, tenantId: string, leadId: string): Promise<void> {
  const lead = await deps.repos.leads.getById(tenantId, leadId);
  if (!lead) return;
  const due = stageDueAt({ stage: lead.stage, at: lead.stageEnteredAt }, await standardsFor(deps, tenantId));
  if (!due) return;
  await deps.scheduler.warnStageOverdue(leadId, due.getTime());
}

/**
 * Fires when the stage's standard dwell has passed: if the lead is still in the stage it entered then (same
 * due time under the current standards), the owner and their supervisor are told.
 */
export async function stageOverdue(deps: LeadDeps, leadId: string, scheduledAt: number): Promise<'sent' | 'stale'> {
  const lead = await deps.repos.leads.getForJob(leadId);
  if (!lead) return 'stale';
  const standards = await standardsFor(deps, lead.tenantId);
  const due = stageDueAt({ stage: lead.stage, at: lead.stageEnteredAt }, standards);
  if (!due || due.getTime() !== scheduledAt) return 'stale';
  const people = [];
  if (lead.ownerRepId) {
    const owner = await deps.repos.reps.getById(lead.tenantId, lead.ownerRepId);
    if (owner) people.push(recipientOf(owner));
    const sup = owner?.supervisorId ? await deps.repos.reps.getById(lead.tenantId, owner.supervisorId) : undefined;
    if (sup) people.push(recipientOf(sup));
  }
  const hours = standards[lead.stage as keyof typeof standards];
  await notify(deps, lead.tenantId, stageOverdueNotification({ leadId: lead.externalId, repId: lead.ownerRepExternalId ?? '' }, lead.stage, lead.stageEnteredAt, hours, people));
  return 'sent';
}
