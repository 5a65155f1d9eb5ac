import { leadOnTime, type DwellStandards, type StageEvent } from './dwell.ts';
import { shanghaiDay } from '../core/time.ts';

const HOUR = 3_600_000;

export const PHI_WEIGHTS = { stageOnTime: 0.4, collaborationOnTime: 0.3, touchpointTrace: 0.3 } as const;
/** Collaboration (legal/finance) events count as on time when done within this many hours. */
export const COLLABORATION_LIMIT_HOURS = 48;

export type PhiLevel = 'healthy' | 'sub_healthy' | 'at_risk';
export const PHI_LEVEL_LABELS: Record<PhiLevel, string> = { healthy: '健康', sub_healthy: '亚健康', at_risk: '风险' };

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
}

export interface PhiComponent {
  /** 0..1, or null when the period has nothing to measure. */
  rate: number | null;
  numerator: number;
  denominator: number;
}
export interface PhiScore {
  /** 0..100 rounded to 0.1, or null when no component has data. */
  phi: number | null;
  level: PhiLevel | null;
  levelLabel: string | null;
  components: { stageOnTime: PhiComponent; collaborationOnTime: PhiComponent; touchpointTrace: PhiComponent };
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

/**
 * PHI = 100 × (0.4 × stage on-time + 0.3 × collaboration on-time + 0.3 × touchpoint trace). A component with no
 * data in the period (no collaboration event, say) is shown as null and the remaining weights are rescaled, so a
 * team is neither punished nor rewarded for work it had no occasion to do.
 */
export function scoreFromCounts(c: Counts): PhiScore {
  const components = {
    stageOnTime: component(c.stage),
    collaborationOnTime: component(c.collab),
    touchpointTrace: component(c.touch),
  };
  let weighted = 0;
  let weights = 0;
  for (const key of Object.keys(PHI_WEIGHTS) as Array<keyof typeof PHI_WEIGHTS>) {
    const rate = components[key].rate;
    if (rate === null) continue;
    weighted += PHI_WEIGHTS[key] * rate;
    weights += PHI_WEIGHTS[key];
  }
  if (weights === 0) return { phi: null, level: null, levelLabel: null, components };
  const phi = Math.round((1000 * weighted) / weights) / 10;
  const level = phiLevel(phi);
  return { phi, level, levelLabel: PHI_LEVEL_LABELS[level], components };
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
    tenant: scoreFromCounts(tenant),
    teams: [...teams.entries()]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([teamId, c]) => ({ teamId, ...scoreFromCounts(c) })),
    reps: [...reps.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([repId, r]) => ({ repId, teamId: r.teamId, ...scoreFromCounts(r.c) })),
  };
}
