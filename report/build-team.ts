import { dailyScores, redFlags } from '../leads/attitude.ts';
import { funnel, resolveDwellStandards } from '../leads/dwell.ts';
import type { StageId } from '../core/stages.ts';
import { addDays, shanghaiDay } from '../core/time.ts';
import type { Finding, MiningResult } from '../patterns/types.ts';
import { openFollowUps, phiVM, type Lookup } from './build-common.ts';
import type { Insights } from './compute.ts';
import { behaviorLabel, stageLabel } from './labels.ts';
import { links } from './links.ts';
import type { AttitudeVM, FindingVM, MiningVM, RepRowVM, TeamOverviewVM } from './view-models.ts';

const HEATMAP_DAYS = 35;
const HEATMAP_ROWS = 24;

export function salesReps(lk: Lookup) {
  return lk.data.reps.filter((r) => r.title === null || r.title === 'sales');
}

export function repRows(lk: Lookup, insights: Insights): RepRowVM[] {
  const perf = new Map(insights.mining.performance.map((p) => [p.rep, p]));
  const phi = new Map(insights.phi.reps.map((p) => [p.repId, p]));
  const top = new Set(insights.mining.groups.top);
  const overdue = new Map<string, number>();
  for (const f of openFollowUps(lk.data.tasks, lk)) if (f.status === 'overdue' && f.repId) overdue.set(f.repId, (overdue.get(f.repId) ?? 0) + 1);
  return salesReps(lk)
    .map((r) => ({
      id: r.id,
      name: r.name,
      team: r.team ?? '未分组',
      phi: phiVM(phi.get(r.id)),
      isTop: top.has(r.id),
      wonAmount: perf.get(r.id)?.wonAmount ?? 0,
      wonLeads: perf.get(r.id)?.wonLeads ?? 0,
      overdueFollowUps: overdue.get(r.id) ?? 0,
      href: links.rep(r.id),
    }))
    .sort((a, b) => (b.phi?.score ?? -1) - (a.phi?.score ?? -1) || a.id.localeCompare(b.id));
}

/** The team page lists at most this many findings; every one of them is also on each rep page. */
const MAX_FINDINGS = 8;
/** When nothing can be significant (small team), the largest differences are still shown, marked as descriptive. */
const MAX_DESCRIPTIVE = 5;

/**
 * The mining section both pages show, built only from the miner's findings: established and significant ones, or,
 * when the team is too small for any significance, the largest differences marked as descriptive. Sentences, figures
 * and their formatting come from the miner, so the CLI, the API and both pages say the same thing.
 */
export function miningSection(m: MiningResult): { vm: MiningVM; shown: Finding[] } {
  const significant = m.findings.filter((f) => f.status !== 'descriptive');
  const inf = m.inference;
  const powerless = !inf.group.inFamily || m.groupsTooSmall !== null;
  const descriptiveOnly = significant.length === 0 && powerless && m.findings.length > 0;
  const shown = descriptiveOnly
    ? [...m.findings].sort((a, b) => b.tests.group.statistic - a.tests.group.statistic).slice(0, MAX_DESCRIPTIVE)
    : significant.slice(0, MAX_FINDINGS);
  const method =
    `以销售本人为单位比较：优秀组 ${inf.reps.top} 人、其他 ${inf.reps.rest} 人，每人的数字至少基于 ${inf.minRepLeads} 条线索。` +
    '「显著」指随机重新指定优秀组时很少出现这么大的差异（多重比较校正后 q < 0.05）；「已确认」指前后两段时间、去掉任何一位销售后都仍成立，只有已确认的差异用于辅导。';
  return {
    vm: { method, note: m.groupsTooSmall ?? inf.note, descriptiveOnly, findings: shown.map(findingVM) },
    shown,
  };
}

export function findingVM(f: Finding): FindingVM {
  return {
    id: f.id,
    status: f.status,
    statusLabel: f.text.status,
    sentence: f.text.sentence,
    basis: f.text.basis,
    test: f.text.test,
    folded: f.variants.length - 1,
  };
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
    mining: miningSection(insights.mining).vm,
    counts: {
      recordings: data.recordings.length,
      leads: data.leads.length,
      customers: data.customers.length,
      audioRecordings: data.recordings.filter((r) => r.kind === 'audio').length,
    },
  };
}

