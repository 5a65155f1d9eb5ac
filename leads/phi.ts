import { leadOnTime, type DwellStandards, type StageEvent } from './dwell.ts';
import { shanghaiDay } from '../core/time.ts';

const HOUR = 3_600_000;

export const PHI_WEIGHTS = { stageOnTime: 0.4, collaborationOnTime: 0.3, touchpointTrace: 0.3 } as const;
/** Collaboration (legal/finance) events count as on time when done within this many hours. */
export const COLLABORATION_LIMIT_HOURS = 48;

export type PhiComponentKey = keyof typeof PHI_WEIGHTS;
export const PHI_COMPONENT_KEYS = Object.keys(PHI_WEIGHTS) as PhiComponentKey[];
export const PHI_COMPONENT_LABELS: Record<PhiComponentKey, string> = {
  stageOnTime: '阶段达标率',
  collaborationOnTime: '协同准时率',
  touchpointTrace: '触点留痕率',
};
/** What each component counts, for "3/4 条线索". */
const COMPONENT_UNITS: Record<PhiComponentKey, string> = { stageOnTime: '条线索', collaborationOnTime: '项协同任务', touchpointTrace: '次互动' };
/**
 * A score needs components carrying at least this share of the weight, i.e. two of the three. One component alone
 * (a rep whose only data is stage on-time) would be reported as the whole index: a rep with no collaboration and no
 * touchpoint data scored 100 健康 that way while their follow-ups were overdue.
 */
export const PHI_MIN_WEIGHT = 0.6;

export type PhiLevel = 'healthy' | 'sub_healthy' | 'at_risk';
export const PHI_LEVEL_LABELS: Record<PhiLevel, string> = { healthy: '健康', sub_healthy: '亚健康', at_risk: '风险' };
/** Why a score is withheld: nothing to measure at all, or fewer components than PHI_MIN_WEIGHT asks. */
export type PhiWithheld = 'no_data' | 'too_little_data';
export const PHI_WITHHELD_LABELS: Record<PhiWithheld, string> = { no_data: '无数据', too_little_data: '数据不足' };
/** Whose counts a score is computed from: one rep's, or a team's or the tenant's counts added up (never averaged). */
export type PhiScope = 'rep' | 'team' | 'tenant';

export interface PhiLead {
  leadId: string;
  repId: string;
  teamId: string | null;
  history: StageEvent[];
}
export interface PhiCollaborationTask {
  repId: string;
  teamId: string | null;
  createdAt: Date;
  doneAt: Date | null;
}
/** One rep × customer × day: interactions the rep reported and those with a system record (recording, attachment…). */
export interface PhiTouchpoint {
  repId: string;
  teamId: string | null;
  customerId: string;
  day: string;
  reported: number;
  recorded: number;
}
export interface PhiInput {
  leads: PhiLead[];
  collaborationTasks: PhiCollaborationTask[];
  touchpoints: PhiTouchpoint[];
  standards: DwellStandards;
  window: { from: Date; to: Date };
  asOf: Date;
  /** 'team' when the input holds one team only, so its top-level score says it pools that team's counts. */
  overall?: 'tenant' | 'team';
}

export interface PhiComponent {
  /** 0..1, or null when the period has nothing to measure. */
  rate: number | null;
  numerator: number;
  denominator: number;
}
export interface PhiBasis {
  /** Components with data in the period: the score is computed from these. */
  components: PhiComponentKey[];
  /** Their share of the full weight: 1 with all three, 0.7 without collaboration events, and so on. */
  weight: number;
  /** 'rep': the rep's own counts; 'team' / 'tenant': every rep's counts added up, not an average of rep scores. */
  scope: PhiScope;
  /** What the score is based on, or why there is none, in one Chinese sentence (pages, CLI and API say the same). */
  text: string;
}
export interface PhiScore {
  /** 0..100 rounded to 0.1, or null when withheld (see `withheld`). */
  phi: number | null;
  level: PhiLevel | null;
  levelLabel: string | null;
  /** Why there is no score, or null when there is one. */
  withheld: PhiWithheld | null;
  components: { stageOnTime: PhiComponent; collaborationOnTime: PhiComponent; touchpointTrace: PhiComponent };
  basis: PhiBasis;
}
export interface PhiReport {
  window: { from: string; to: string };
  asOf: string;
  tenant: PhiScore;
  teams: Array<PhiScore & { teamId: string | null }>;
  reps: Array<PhiScore & { repId: string; teamId: string | null }>;
}

export function phiLevel(phi: number): PhiLevel {
  if (phi >= 85) return 'healthy';
  if (phi >= 70) return 'sub_healthy';
  return 'at_risk';
}

interface Counts {
  stage: [number, number];
  collab: [number, number];
  touch: [number, number];
}
const zero = (): Counts => ({ stage: [0, 0], collab: [0, 0], touch: [0, 0] });

function component([num, den]: [number, number]): PhiComponent {
  return { rate: den === 0 ? null : num / den, numerator: num, denominator: den };
}

/** "PHI 66.1" everywhere: the pages, the CLI and the demo summary print a score through this. */
export function formatPhi(phi: number | null): string {
  return phi === null ? '—' : phi.toFixed(1);
}

/** A component's rate as the pages and the CLI print it: "86%", or "—" when it had no data. */
export function formatPhiRate(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? '—' : `${Math.round(rate * 100)}%`;
}

/** "6/7 条线索": what a component's rate counts, or null when it had no data. */
export function formatPhiCount(key: PhiComponentKey, c: PhiComponent): string | null {
  return c.denominator === 0 ? null : `${c.numerator}/${c.denominator} ${COMPONENT_UNITS[key]}`;
}

function componentText(key: PhiComponentKey, c: PhiComponent): string {
  return `${PHI_COMPONENT_LABELS[key]} ${formatPhiCount(key, c)}`;
}

const SCOPE_TEXT: Record<PhiScope, string> = {
  rep: '',
  team: '按全队各人计数之和计算（不是各人分数的平均）：',
  tenant: '按全公司各人计数之和计算（不是各人分数的平均）：',
};

function basisText(components: PhiScore['components'], present: PhiComponentKey[], scope: PhiScope, withheld: PhiWithheld | null): string {
  const absent = PHI_COMPONENT_KEYS.filter((k) => !present.includes(k)).map((k) => PHI_COMPONENT_LABELS[k]);
  const used = present.map((k) => componentText(k, components[k])).join('、');
  if (withheld === 'no_data') return '本期没有可计算的数据，不计分';
  if (withheld === 'too_little_data') {
    return `数据不足，不计分：只有${used}，至少需要两项有数据（${absent.join('、')}本期无数据）`;
  }
  const rest = absent.length ? `；${absent.join('、')}本期无数据，不计入，其权重按比例分给其余两项` : '';
  return `${SCOPE_TEXT[scope]}基于${used}${rest}`;
}

/**
 * PHI = 100 × (0.4 × stage on-time + 0.3 × collaboration on-time + 0.3 × touchpoint trace). A component with no
 * data in the period (no collaboration event, say) is shown as null and the remaining weights are rescaled, so a
 * rep is neither punished nor rewarded for work they had no occasion to do; but with fewer than two components
 * (PHI_MIN_WEIGHT) the score is withheld, since one rate alone is not the index.
 */
export function scoreFromCounts(c: Counts, scope: PhiScope = 'rep'): PhiScore {
  const components = {
    stageOnTime: component(c.stage),
    collaborationOnTime: component(c.collab),
    touchpointTrace: component(c.touch),
  };
  const present = PHI_COMPONENT_KEYS.filter((k) => components[k].rate !== null);
  const weights = present.reduce((a, k) => a + PHI_WEIGHTS[k], 0);
  const weighted = present.reduce((a, k) => a + PHI_WEIGHTS[k] * (components[k].rate as number), 0);
  // The epsilon keeps 0.3 + 0.3 (0.6000000000000001 or 0.6) on the right side of the line.
  const withheld: PhiWithheld | null = present.length === 0 ? 'no_data' : weights < PHI_MIN_WEIGHT - 1e-9 ? 'too_little_data' : null;
  const basis = { components: present, weight: Math.round(weights * 10) / 10, scope, text: basisText(components, present, scope, withheld) };
  if (withheld) return { phi: null, level: null, levelLabel: null, withheld, components, basis };
  const phi = Math.round((1000 * weighted) / weights) / 10;
  const level = phiLevel(phi);
  return { phi, level, levelLabel: PHI_LEVEL_LABELS[level], withheld: null, components, basis };
}

/** Whether a collaboration task counts, and if so whether it was on time; open tasks younger than 48 h are undecided. */
function collaborationOutcome(t: PhiCollaborationTask, asOf: Date): boolean | null {
  const limit = t.createdAt.getTime() + COLLABORATION_LIMIT_HOURS * HOUR;
  if (t.doneAt) return t.doneAt.getTime() <= limit;
  return asOf.getTime() > limit ? false : null;
}

/**
 * The Process Health Index for one period, per rep, per team and for the tenant, with every component's numerator
 * and denominator. Leads count when a stage visit overlaps the window; collaboration tasks when created in it;
 * touchpoints when their day falls in it (traced = min(recorded, reported) per rep × customer × day, so extra
 * recordings cannot hide unrecorded visits elsewhere).
 */
export function computePhi(input: PhiInput): PhiReport {
  const { window, asOf } = input;
  const reps = new Map<string, { teamId: string | null; c: Counts }>();
  const teams = new Map<string | null, Counts>();
  const tenant = zero();
  const bump = (repId: string, teamId: string | null, key: keyof Counts, ok: boolean) => {
    if (!reps.has(repId)) reps.set(repId, { teamId, c: zero() });
    if (!teams.has(teamId)) teams.set(teamId, zero());
    for (const c of [reps.get(repId)!.c, teams.get(teamId)!, tenant]) {
      c[key][1] += 1;
      if (ok) c[key][0] += 1;
    }
  };
  const bumpBy = (repId: string, teamId: string | null, num: number, den: number) => {
    if (!reps.has(repId)) reps.set(repId, { teamId, c: zero() });
    if (!teams.has(teamId)) teams.set(teamId, zero());
    for (const c of [reps.get(repId)!.c, teams.get(teamId)!, tenant]) {
      c.touch[0] += num;
      c.touch[1] += den;
    }
  };

  for (const lead of input.leads) {
    const ok = leadOnTime(lead.history, input.standards, window, asOf);
    if (ok !== null) bump(lead.repId, lead.teamId, 'stage', ok);
  }
  for (const t of input.collaborationTasks) {
    if (t.createdAt < window.from || t.createdAt >= window.to) continue;
    const ok = collaborationOutcome(t, asOf);
    if (ok !== null) bump(t.repId, t.teamId, 'collab', ok);
  }
  const fromDay = shanghaiDay(window.from);
  const toDay = shanghaiDay(new Date(window.to.getTime() - 1));
  for (const tp of input.touchpoints) {
    if (tp.day < fromDay || tp.day > toDay || tp.reported <= 0) continue;
    bumpBy(tp.repId, tp.teamId, Math.min(tp.recorded, tp.reported), tp.reported);
  }

  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    asOf: asOf.toISOString(),
    tenant: scoreFromCounts(tenant, input.overall ?? 'tenant'),
    teams: [...teams.entries()]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([teamId, c]) => ({ teamId, ...scoreFromCounts(c, 'team') })),
    reps: [...reps.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([repId, r]) => ({ repId, teamId: r.teamId, ...scoreFromCounts(r.c) })),
  };
}
