import { resolveDwellStandards } from '../leads/dwell.ts';
import { COLLABORATION_KINDS } from '../leads/followups.ts';
import { computePhi, type PhiReport } from '../leads/phi.ts';
import { runMining } from '../patterns/mine.ts';
import { MINING_RESULT_VERSION, type MiningEvent, type MiningResult } from '../patterns/types.ts';
import { coachingEvidence } from './evidence.ts';
import type { ReportData } from './report-data.ts';

export interface Insights {
  phi: PhiReport;
  mining: MiningResult;
}

/** Mining input from the stored data: stage moves of every lead and behaviours of every analysed recording. */
export function miningEvents(data: ReportData): MiningEvent[] {
  const customers = new Map(data.customers.map((c) => [c.id, c]));
  const leads = new Map(data.leads.map((l) => [l.id, l]));
  const events: MiningEvent[] = [];
  for (const l of data.leads) {
    if (!l.ownerId) continue;
    const c = l.customerId ? customers.get(l.customerId) : undefined;
    for (const h of l.history) {
      events.push({
        rep: l.ownerId,
        lead: l.id,
        customerType: c?.customerType ?? null,
        customerRole: c?.contactRole ?? null,
        at: h.at.toISOString(),
        type: 'stage',
        name: h.stage as MiningEvent['name'],
        ...(h.stage === 'won' ? { amount: l.amount ?? 0 } : {}),
      });
    }
  }
  for (const r of data.recordings) {
    if (!r.analysis || !r.leadId) continue;
    const lead = leads.get(r.leadId);
    // Mining compares deals by their owner; a colleague's visit on someone else's lead is not the owner's behaviour.
    if (!lead || lead.ownerId !== r.repId) continue;
    const c = r.customerId ? customers.get(r.customerId) : undefined;
    r.analysis.segments.forEach((s) => {
      for (const b of s.behaviors) {
        events.push({
          rep: r.repId,
          lead: r.leadId as string,
          customerType: c?.customerType ?? null,
          customerRole: c?.contactRole ?? null,
          at: new Date(r.recordedAt.getTime() + (s.start ?? 0) * 1000).toISOString(),
          type: 'behavior',
          name: b,
        });
      }
    });
  }
  return events;
}

/**
 * PHI (leads module) and top-vs-rest mining with coaching (patterns module) over the report's data. `mining` is a
 * stored result of the mine-tenant job when there is one; without it, or when it was made by an older mining method
 * (its figures meant something else), the same runMining runs here on the same events.
 */
export function computeInsights(data: ReportData, opts: { topShare?: number; mining?: MiningResult | null } = {}): Insights {
  const team = new Map(data.reps.map((r) => [r.id, r.team]));
  const standards = resolveDwellStandards(data.dwellStandards);
  const phi = computePhi({
    leads: data.leads
      .filter((l) => l.ownerId)
      .map((l) => ({ leadId: l.id, repId: l.ownerId as string, teamId: team.get(l.ownerId as string) ?? null, history: l.history.map((h) => ({ stage: h.stage as never, at: h.at })) })),
    collaborationTasks: data.tasks
      .filter((t) => (COLLABORATION_KINDS as ReadonlySet<string>).has(t.kind) && t.repId && !t.cancelled)
      .map((t) => ({ repId: t.repId as string, teamId: team.get(t.repId as string) ?? null, createdAt: t.createdAt, doneAt: t.doneAt })),
    touchpoints: data.touchpoints.map((t) => ({ ...t, teamId: team.get(t.repId) ?? null })),
    standards,
    window: data.window,
    asOf: data.asOf,
  });
  const stored = opts.mining?.resultVersion === MINING_RESULT_VERSION ? opts.mining : null;
  const mining = stored ?? runMining(miningEvents(data), { topShare: opts.topShare, evidence: coachingEvidence(data) });
  return { phi, mining };
}
