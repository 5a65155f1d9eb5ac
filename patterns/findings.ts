import type { CoachingTemplates } from '../lexicons/coaching/load.ts';
import { groupMeans } from './before-stage.ts';
import { MIN_REP_LEADS, type Column } from './columns.ts';
import { findingText, formatP } from './finding-text.ts';
import {
  binomial,
  groupPermutationTest,
  groupTestMinP,
  observedGroupZ,
  observedRankZ,
  rankPermutationTest,
  rankTestMinP,
  type PermutationOptions,
  type RepColumns,
} from './permutation.ts';
import type { RepLayout } from './rep-layout.ts';
import { stabilityOf } from './stability.ts';
import { averageRanks, benjaminiHochberg, spearman } from './stats.ts';
import type { Finding, FindingTest, MiningInference } from './types.ts';

export interface InferenceOptions {
  alpha: number;
  permutations: PermutationOptions;
  labels: CoachingTemplates['labels'];
}

export interface Inferred {
  findings: Finding[];
  /** The column behind each finding's figure (same order), for coaching evidence. */
  figures: Column[];
  inference: MiningInference;
}

const STATUS_ORDER: Record<Finding['status'], number> = { established: 0, significant: 1, descriptive: 2 };

/**
 * The declared family: one finding per behaviour before a stage, and one per behaviour sequence; each finding is
 * tested twice with reps as the unit — top group against the rest by relabelling, and rank correlation with
 * performance over all reps — and Benjamini–Hochberg runs over every test in the family. A kind of test joins the
 * family only if its smallest reachable p-value could make a finding significant on its own (≤ alpha / findings),
 * which depends on the group sizes only, never on the data; otherwise its differences are descriptive.
 */
export function inferFindings(layout: RepLayout, columns: Column[], o: InferenceOptions): Inferred {
  const R = layout.reps.length;
  const k = layout.topCount;
  const keys: string[] = [];
  const members = new Map<string, number[]>();
  columns.forEach((c, v) => {
    if (!members.has(c.findingKey)) {
      members.set(c.findingKey, []);
      keys.push(c.findingKey);
    }
    members.get(c.findingKey)!.push(v);
  });
  const F = keys.length;
  const { group, rank } = matrices(layout, columns, keys);
  const threshold = F ? o.alpha / F : 0;
  const groupMin = k > 0 && k < R ? groupTestMinP(R, k, o.permutations) : 1;
  const rankMin = R >= 3 ? rankTestMinP(R, o.permutations) : 1;
  const groupIn = F > 0 && groupMin <= threshold;
  const rankIn = F > 0 && rankMin <= threshold;
  const g = groupIn ? groupPermutationTest(group, k, o.permutations) : null;
  const r = rankIn ? rankPermutationTest(rank, layout.perfScore, o.permutations) : null;
  // Observed statistics are reported for both kinds; p and q only for the kinds in the family.
  const gz = g?.z ?? observedGroupZ(group, k);
  const rz = r?.z ?? observedRankZ(rank, layout.perfScore);

  const pList = [...(g ? Array.from(g.pValue) : []), ...(r ? Array.from(r.pValue) : [])];
  const q = benjaminiHochberg(pList);
  const qGroup = (f: number) => (g ? q[f] : null);
  const qRank = (f: number) => (r ? q[(g ? F : 0) + f] : null);

  const out: Array<{ finding: Finding; figure: Column; strength: number }> = keys.map((key, f) => {
    const cols = members.get(key)!;
    const tests = {
      group: test(cols, gz, g ? g.pValue[f] : null, qGroup(f)),
      rank: test(cols, rz, r ? r.pValue[f] : null, qRank(f)),
    };
    const [gq, rq] = [tests.group.qValue, tests.rank.qValue];
    const decidedBy: Finding['decidedBy'] = rq !== null && (gq === null || rq < gq) ? 'rank' : gq !== null ? 'group' : null;
    const best = (decidedBy === 'rank' ? rq : gq) ?? 1;
    const significant = best < o.alpha;
    const z = significant && decidedBy === 'rank' ? rz : gz;
    const figureIndex = representative(cols, z, columns, k);
    const figure = columns[figureIndex];
    const m = groupMeans(figure.shown, figure.leads, k);
    const rho = spearman(figure.tested, layout.perfScore);
    const stability = significant ? stabilityOf(figure, layout, decidedBy!) : null;
    const status: Finding['status'] = !significant ? 'descriptive' : stability!.halvesHold && stability!.leaveOneOutHolds ? 'established' : 'significant';
    // Ahead both in the figure shown and in the statistic that decided (for sequences that one is progress-adjusted).
    const ahead = m.top !== null && m.rest !== null && m.top > m.rest && z[figureIndex] > 0;
    const base = {
      id: key,
      kind: figure.kind,
      behaviors: figure.behaviors,
      stage: figure.stage,
      steps: figure.steps,
      maxGapHours: figure.gap === null || figure.gap === Infinity ? null : figure.gap,
      customerType: figure.customerType,
      unit: figure.kind === 'before_stage' ? ('count' as const) : ('share' as const),
      ...m,
      status,
      qValue: best,
      decidedBy,
    };
    const finding: Finding = {
      ...base,
      rho,
      tests,
      stability,
      coachable: status === 'established' && ahead,
      perRep: perRep(layout, figure),
      variants: cols.map((v) => variant(columns[v], k)),
      text: findingText(base, o.labels),
    };
    return { finding, figure, strength: tests.group.statistic };
  });
  out.sort(
    (a, b) =>
      STATUS_ORDER[a.finding.status] - STATUS_ORDER[b.finding.status] ||
      a.finding.qValue - b.finding.qValue ||
      b.strength - a.strength ||
      (a.finding.id < b.finding.id ? -1 : 1),
  );
  return {
    findings: out.map((x) => x.finding),
    figures: out.map((x) => x.figure),
    inference: {
      unit: 'rep',
      alpha: o.alpha,
      reps: { top: k, rest: R - k },
      leads: leadsByGroup(layout),
      minRepLeads: MIN_REP_LEADS,
      family: { findings: F, hypotheses: pList.length },
      group: { relabellings: g?.draws ?? 0, exhaustive: g?.exhaustive ?? false, minPValue: groupMin, inFamily: groupIn },
      rank: { permutations: r?.draws ?? 0, minPValue: rankMin, inFamily: rankIn },
      seed: o.permutations.seed,
      note: note(k, R, F, groupIn, rankIn, groupMin, threshold),
    },
  };
}

/** Rep-major matrices of the tested values, and of their centred ranks for the correlation test. */
function matrices(layout: RepLayout, columns: Column[], keys: string[]): { group: RepColumns; rank: RepColumns } {
  const R = layout.reps.length;
  const V = columns.length;
  const index = new Map(keys.map((key, f) => [key, f]));
  const value = new Float64Array(R * V);
  const has = new Float64Array(R * V);
  const ranked = new Float64Array(R * V);
  columns.forEach((c, v) => {
    const ranks = averageRanks(c.tested);
    let n = 0;
    let sum = 0;
    for (const x of ranks) if (!Number.isNaN(x)) (n++, (sum += x));
    for (let r = 0; r < R; r++) {
      if (Number.isNaN(c.tested[r])) continue;
      value[r * V + v] = c.tested[r];
      has[r * V + v] = 1;
      ranked[r * V + v] = ranks[r] - sum / n;
    }
  });
  const finding = Int32Array.from(columns, (c) => index.get(c.findingKey)!);
  const group = { reps: R, columns: V, value, has, finding, findings: keys.length };
  return { group, rank: { ...group, value: ranked } };
}

function test(cols: number[], z: Float64Array, pValue: number | null, qValue: number | null): FindingTest {
  return { statistic: Math.max(...cols.map((v) => Math.abs(z[v]))), pValue, qValue };
}

/**
 * The figure a finding is shown with: its variant with the largest standardized statistic. Exact ties (perfectly
 * separated groups give the same statistic for several variants) go to all customers over one type, then to the
 * larger difference, then to the first in canonical order (earlier stage, shorter pattern, tighter window).
 */
function representative(cols: number[], z: Float64Array, columns: Column[], top: number): number {
  const diff = (v: number) => {
    const m = groupMeans(columns[v].shown, columns[v].leads, top);
    return m.top === null || m.rest === null ? 0 : Math.abs(m.top - m.rest);
  };
  let best = cols[0];
  for (const v of cols.slice(1)) {
    const a = Math.abs(z[v]);
    const b = Math.abs(z[best]);
    if (a > b + 1e-9 * Math.max(1, b)) best = v;
    else if (Math.abs(a - b) <= 1e-9 * Math.max(1, b)) {
      const typeA = columns[v].customerType === null ? 0 : 1;
      const typeB = columns[best].customerType === null ? 0 : 1;
      if (typeA < typeB || (typeA === typeB && diff(v) > diff(best) + 1e-12)) best = v;
    }
  }
  return best;
}

function perRep(layout: RepLayout, c: Column): Finding['perRep'] {
  const out: Finding['perRep'] = [];
  c.shown.forEach((value, r) => {
    if (!Number.isNaN(value)) out.push({ rep: layout.reps[r], value, leads: c.leads[r] });
  });
  return out;
}

function variant(c: Column, top: number): Finding['variants'][number] {
  const m = groupMeans(c.shown, c.leads, top);
  return {
    stage: c.stage,
    steps: c.steps,
    maxGapHours: c.gap === null || c.gap === Infinity ? null : c.gap,
    customerType: c.customerType,
    top: m.top,
    rest: m.rest,
    repsTop: m.repsTop,
    repsRest: m.repsRest,
  };
}

function leadsByGroup(layout: RepLayout): { top: number; rest: number } {
  let top = 0;
  let rest = 0;
  layout.leads.forEach((n, r) => (r < layout.topCount ? (top += n) : (rest += n)));
  return { top, rest };
}

function note(k: number, R: number, F: number, groupIn: boolean, rankIn: boolean, groupMin: number, threshold: number): string | null {
  if (F === 0 || groupIn) return null;
  const ways = binomial(R, k);
  const why = `从 ${R} 人中选 ${k} 人作优秀组只有 ${ways} 种分法，任何差异的 p 值最小也只有 ${formatP(groupMin)}，而这 ${F} 项比较中任何一项要算显著需 p ≤ ${formatP(threshold)}`;
  if (!rankIn) return `优秀组只有 ${k} 人（共 ${R} 名销售）：以下差异仅供参考，不具统计意义（${why}）。不据此给出辅导建议。`;
  return (
    `优秀组只有 ${k} 人（共 ${R} 名销售）：优秀组与其他人的差异仅供参考，不具统计意义（${why}）。` +
    `只有与全部 ${R} 人业绩排名显著相关、且前后两段时间都成立的发现才会用于辅导。`
  );
}
