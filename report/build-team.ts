import { dailyScores, redFlags } from '../leads/attitude.ts';
import { funnel, resolveDwellStandards } from '../leads/dwell.ts';
import type { StageId } from '../core/stages.ts';
import { addDays, shanghaiDay } from '../core/time.ts';
import type { MiningResult } from '../patterns/types.ts';
import { openFollowUps, phiVM, type Lookup } from './build-common.ts';
import type { Insights } from './compute.ts';
import { num, pct } from './html.ts';
import { behaviorLabel, stageLabel } from './labels.ts';
import { links } from './links.ts';
import type { AttitudeVM, PatternSummaryVM, RepRowVM, TeamOverviewVM } from './view-models.ts';

const HEATMAP_DAYS = 35;
const HEATMAP_ROWS = 24;
const ALPHA = 0.05;

export function salesReps(lk: Lookup) {
  return lk.data.reps.filter((r) => r.title === null || r.title === 'sales');
}

export function repRows(lk: Lookup, insights: Insights): RepRowVM[] {
  const perf = new Map(insights.mining.performance.map((p) => [p.rep, p]));
  const phi = new Map(insights.phi.reps.map((p) => [p.repId, p]));
  const top = new Set(insights.mining.groups.top);
  return salesReps(lk)
    .map((r) => ({
      id: r.id,
      name: r.name,
      team: r.team ?? '未分组',
      phi: phiVM(phi.get(r.id)),
      isTop: top.has(r.id),
      wonAmount: perf.get(r.id)?.wonAmount ?? 0,
      wonLeads: perf.get(r.id)?.wonLeads ?? 0,
      href: links.rep(r.id),
    }))
    .sort((a, b) => (b.phi?.score ?? -1) - (a.phi?.score ?? -1) || a.id.localeCompare(b.id));
}

function gapWords(h: number | null): string {
  return h === null ? '' : ` ${h} 小时内`;
}

/** "Before the lead was lost" is no advice; coaching speaks about stages a rep is trying to reach. */
const NOT_COACHABLE = new Set(['lost']);

function patternSentence(steps: string[], gap: number | null, top: number, rest: number): string {
  const [first, ...more] = steps;
  if (more.length > 0 && more.every((x) => x === first)) {
    return `优秀组 ${pct(top)} 的线索${gap === null ? '' : `在${gapWords(gap)}`}出现 ${steps.length} 次「${stepLabel(first)}」，其他人只有 ${pct(rest)}。`;
  }
  const chain = more.map((x) => `「${stepLabel(x)}」`).join('再');
  return `优秀组 ${pct(top)} 的线索在「${stepLabel(first)}」之后${gapWords(gap)}出现${chain}，其他人只有 ${pct(rest)}。`;
}

/** One plain sentence per significant difference, the strongest first. */
export function patternSentences(m: MiningResult, limit = 6): PatternSummaryVM[] {
  // One sentence per behaviour (its largest gap), so the list shows different habits rather than one habit many times.
  const best = new Map<string, MiningResult['beforeStage'][number]>();
  for (const r of m.beforeStage) {
    if (r.qValue === null || r.qValue >= ALPHA || r.top === null || r.rest === null || r.top <= r.rest || NOT_COACHABLE.has(r.stage)) continue;
    const cur = best.get(r.behavior);
    if (!cur || r.top - r.rest > cur.top! - cur.rest!) best.set(r.behavior, r);
  }
  const before = [...best.values()]
    .sort((a, b) => (b.top! - b.rest!) - (a.top! - a.rest!))
    .slice(0, 3)
    .map((r) => ({
      sentence: `在「${stageLabel(r.stage)}」之前，优秀组平均每条线索做 ${num(r.top, 1)} 次「${behaviorLabel(r.behavior)}」，其他人只有 ${num(r.rest, 1)} 次${r.customerType ? `（${r.customerType}客户）` : ''}。`,
      topSupport: r.top!,
      restSupport: r.rest!,
      qValue: r.qValue!,
    }));
  const pats = m.patterns
    .filter((p) => p.qValue < ALPHA && p.steps.length >= 2 && !p.steps.some((x) => NOT_COACHABLE.has(x)))
    .slice(0, limit - before.length)
    .map((p) => ({
      sentence: patternSentence(p.steps, p.maxGapHours, p.topSupport, p.restSupport),
      topSupport: p.topSupport,
      restSupport: p.restSupport,
      qValue: p.qValue,
    }));
  return [...before, ...pats];
}

export function stepLabel(s: string): string {
  const b = behaviorLabel(s);
  return b !== s ? b : stageLabel(s);
}

function attitude(lk: Lookup): AttitudeVM {
  const last = shanghaiDay(new Date(lk.data.asOf.getTime() - 1));
  const days = Array.from({ length: HEATMAP_DAYS }, (_, i) => addDays(last, i - HEATMAP_DAYS + 1));
  const index = new Map(days.map((d, i) => [d, i]));
  const scores = dailyScores(lk.data.attitude as never);
  const flags = redFlags(scores);
  const repOf = new Map<string, string>();
  for (const a of lk.data.attitude) repOf.set(a.customerId, a.repId);
  const leadOf = new Map<string, string>();
  for (const l of lk.data.leads) if (l.customerId) leadOf.set(l.customerId, l.id);
  const rows = new Map<string, AttitudeVM['rows'][number]>();
  for (const s of scores) {
    const j = index.get(s.day);
    if (j === undefined) continue;
    if (!rows.has(s.customerId)) {
      const c = lk.customer(s.customerId);
      const lead = leadOf.get(s.customerId);
      rows.set(s.customerId, {
        customerId: s.customerId,
        customerName: c.name.replace(/有限公司$/, ''),
        customerType: c.customerType ?? '',
        repName: lk.repName(repOf.get(s.customerId) ?? null),
        scores: days.map(() => null),
        redRuns: [],
        leadHref: lead ? links.lead(lead) : null,
      });
    }
    rows.get(s.customerId)!.scores[j] = s.score;
  }
  for (const f of flags) {
    const row = rows.get(f.customerId);
    if (!row) continue;
    const idx = f.days.map((d) => index.get(d)).filter((i): i is number => i !== undefined);
    if (idx.length > 0) row.redRuns.push({ from: Math.min(...idx), to: Math.max(...idx) });
  }
  const minScore = (r: AttitudeVM['rows'][number]) => Math.min(...r.scores.map((s) => s ?? 9));
  const sorted = [...rows.values()].sort(
    (a, b) => Number(b.redRuns.length > 0) - Number(a.redRuns.length > 0) || minScore(a) - minScore(b) || a.customerName.localeCompare(b.customerName),
  );
  return { days, rows: sorted.slice(0, HEATMAP_ROWS), hiddenRows: Math.max(0, sorted.length - HEATMAP_ROWS) };
}

export function buildTeamOverview(lk: Lookup, insights: Insights): TeamOverviewVM {
  const data = lk.data;
  const standards = resolveDwellStandards(data.dwellStandards);
  const rows = funnel(
    data.leads.map((l) => l.history.map((h) => ({ stage: h.stage as StageId, at: h.at }))),
    standards,
    data.asOf,
  );
  const followUps = openFollowUps(data.tasks, lk);
  const teamSize = new Map<string, number>();
  for (const r of salesReps(lk)) teamSize.set(r.team ?? '未分组', (teamSize.get(r.team ?? '未分组') ?? 0) + 1);
  return {
    meta: { ...lk.meta, notes: [...lk.meta.notes, ...(data.transcriptNotes ?? [])] },
    tenantPhi: phiVM(insights.phi.tenant),
    teams: insights.phi.teams.map((t) => ({ team: t.teamId ?? '未分组', phi: phiVM(t), reps: teamSize.get(t.teamId ?? '未分组') ?? 0 })),
    reps: repRows(lk, insights),
    topGroup: insights.mining.groups.top.map((id) => lk.repName(id)),
    funnel: rows
      .filter((r) => r.stage !== 'lost')
      .map((r) => ({ stage: r.stage, label: stageLabel(r.stage), leads: r.entered, current: r.current, medianDwellHours: r.medianDwellHours, standardHours: r.standardHours, overdue: r.overdue })),
    lostLeads: rows.find((r) => r.stage === 'lost')?.entered ?? 0,
    attitude: attitude(lk),
    followUps: { open: followUps.filter((f) => f.status === 'open').length, overdue: followUps.filter((f) => f.status === 'overdue').length, items: followUps },
    patterns: patternSentences(insights.mining),
    miningNote: insights.mining.groupsTooSmall,
    counts: {
      recordings: data.recordings.length,
      leads: data.leads.length,
      customers: data.customers.length,
      audioRecordings: data.recordings.filter((r) => r.kind === 'audio').length,
    },
  };
}

