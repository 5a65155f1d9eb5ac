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

/** Mining over the report's own data and evidence: for the static report (CLI, demo), never inside a request. */
export function mineReportData(data: ReportData, topShare?: number): MiningResult {
  return runMining(miningEvents(data), { topShare, evidence: coachingEvidence(data) });
}

/** Whether a stored result was made by the current mining method (see MiningResult.resultVersion). */
export function isCurrent(mined: MiningResult | null | undefined): mined is MiningResult {
  return mined?.resultVersion === MINING_RESULT_VERSION;
}

/** What the pages show before the tenant's first (current) mining run has finished: no groups, and a note saying so. */
function notMinedYet(outdated: boolean): MiningResult {
  const what = outdated ? '最近一次行为挖掘由旧版方法生成，数字含义不同，不再显示' : '还没有完成的行为挖掘';
  return {
    ...runMining([]),
    groupsTooSmall: `${what}：请在 API 发起一次（POST /v1/mining/runs）或运行 npx tingjian report，完成后这里显示优秀组与其他人的差异。 / ${outdated ? 'the latest mining run was made by an older method' : 'no mining run has finished yet'}.`,
  };
}

/**
 * PHI (leads module) over the report's data, with the top-vs-rest mining and coaching (patterns module) of a
 * finished mining run: the mine-tenant job's stored result, or the static report's own (mineReportData). A stored
 * result of an older mining method is not shown as if it were current: its figures meant something else.
 */
export function computeInsights(data: ReportData, mined: MiningResult | null): Insights {
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
  return { phi, mining: isCurrent(mined) ? mined : notMinedYet(mined !== null) };
}
