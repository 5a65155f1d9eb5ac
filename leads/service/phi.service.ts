import { InvalidInputError } from '../../core/errors.ts';
import { funnel } from '../dwell.ts';
import { COLLABORATION_KINDS } from '../followups.ts';
import { computePhi, type PhiReport } from '../phi.ts';
import { addDays, isDay, shanghaiDay } from '../../core/time.ts';
import type { LeadDeps } from './deps.ts';
import { standardsFor } from './dwell-standards.service.ts';

export interface PeriodQuery {
  team?: string;
  /** YYYY-MM-DD (Asia/Shanghai), inclusive; default: 30 days ending today. */
  from?: string;
  to?: string;
}

const MAX_PERIOD_DAYS = 3 * 366;

/** Resolves a from..to day range to instants: [from 00:00 +08:00, to+1 00:00 +08:00). */
export function resolvePeriod(q: PeriodQuery, now = new Date()) {
  const to = q.to ?? shanghaiDay(now);
  const from = q.from ?? addDays(to, -29);
  for (const [name, d] of [['from', from], ['to', to]] as const) {
    if (!isDay(d)) throw new InvalidInputError('invalid_day', `${name} 应为 YYYY-MM-DD，收到：${d} / ${name} must be YYYY-MM-DD`);
  }
  if (from > to) throw new InvalidInputError('invalid_period', `开始日期 ${from} 晚于结束日期 ${to} / from is after to`);
  // Days outside this century, or a window of decades, are typos that would make the report walk every day in them.
  if (from < '2000-01-01' || to > '2099-12-31' || Date.parse(to) - Date.parse(from) > MAX_PERIOD_DAYS * 86_400_000) {
    throw new InvalidInputError('invalid_period', `统计区间须在 2000–2099 年内且不超过 ${MAX_PERIOD_DAYS} 天 / the period must lie in 2000–2099 and span at most ${MAX_PERIOD_DAYS} days`);
  }
  const instant = (day: string) => new Date(`${day}T00:00:00+08:00`);
  return { fromDay: from, toDay: to, window: { from: instant(from), to: instant(addDays(to, 1)) } };
}

/** PHI per rep, team and tenant for a period, with every component's counts. */
export async function phiReport(deps: Pick<LeadDeps, 'repos'>, tenantId: string, q: PeriodQuery, now = new Date()): Promise<PhiReport & { team: string | null }> {
  const { fromDay, toDay, window } = resolvePeriod(q, now);
  const [histories, collab, touchpoints, standards] = await Promise.all([
    deps.repos.leads.histories(tenantId, { team: q.team }),
    deps.repos.followUps.collaborationTasks(tenantId, [...COLLABORATION_KINDS], window.from, window.to),
    deps.repos.attitude.touchpoints(tenantId, fromDay, toDay, q.team),
    standardsFor(deps, tenantId),
  ]);
  const report = computePhi({
    leads: histories.filter((h) => h.repId).map((h) => ({ leadId: h.leadId, repId: h.repId!, teamId: h.teamId, history: h.events })),
    collaborationTasks: collab
      .filter((c) => !q.team || c.team === q.team)
      .filter((c) => c.status !== 'cancelled')
      .map((c) => ({ repId: c.repId, teamId: c.team, createdAt: c.createdAt, doneAt: c.completedAt })),
    touchpoints,
    standards,
    window,
    asOf: now < window.to ? now : window.to,
    overall: q.team ? 'team' : 'tenant',
  });
  return { ...report, team: q.team ?? null };
}

/** The lead funnel with dwell per stage against the tenant's standards (for the health dashboard). */
export async function funnelReport(deps: Pick<LeadDeps, 'repos'>, tenantId: string, q: { team?: string }, now = new Date()) {
  const [histories, standards] = await Promise.all([deps.repos.leads.histories(tenantId, { team: q.team }), standardsFor(deps, tenantId)]);
  return { asOf: now.toISOString(), team: q.team ?? null, leads: histories.length, standards, stages: funnel(histories.map((h) => h.events), standards, now) };
}
