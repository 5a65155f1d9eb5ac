import { InvalidInputError } from '../core/errors.ts';
import { PIPELINE_STAGES, isStageId, type StageId } from '../core/stages.ts';

const HOUR = 3_600_000;

/** Standard dwell per open stage, in hours. won/lost are terminal and have none. */
export type DwellStandards = Record<Exclude<StageId, 'won' | 'lost'>, number>;

/**
 * Defaults drawn from the article's figures for SME B2B sales: a new lead should be qualified within 2 days,
 * needs confirmed within a week, a sent proposal read within 3 days (it cites 5.2 → 1.7 days), negotiation within
 * 10 days and legal review within 5 days (7.6 → 2.3 days cited).
 */
export const DEFAULT_DWELL_HOURS: DwellStandards = {
  new_lead: 48,
  needs_confirmed: 7 * 24,
  proposal_sent: 3 * 24,
  proposal_read: 5 * 24,
  price_negotiation: 10 * 24,
  legal_review: 5 * 24,
};

/** Merges a tenant's overrides over the defaults, refusing unknown stages and non-positive hours. */
export function resolveDwellStandards(overrides: Partial<Record<string, number>> | null | undefined): DwellStandards {
  const out: DwellStandards = { ...DEFAULT_DWELL_HOURS };
  for (const [stage, hours] of Object.entries(overrides ?? {})) {
    if (!isStageId(stage) || !(stage in DEFAULT_DWELL_HOURS)) {
      throw new InvalidInputError('invalid_dwell_standard', `未知或无标准时长的阶段：${stage} / unknown stage for a dwell standard`);
    }
    if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
      throw new InvalidInputError('invalid_dwell_standard', `阶段 ${stage} 的标准时长必须是正数（小时） / hours must be positive`);
    }
    out[stage as keyof DwellStandards] = hours;
  }
  return out;
}

export interface StageEvent {
  stage: StageId;
  at: Date;
}

export interface StageDwell {
  stage: StageId;
  enteredAt: Date;
  /** null while the lead is still in the stage. */
  leftAt: Date | null;
  dwellHours: number;
  standardHours: number | null;
  overdue: boolean;
  /** Hours past the standard (0 when within it). */
  overdueHours: number;
}

/**
 * Each stage visit of a lead with its dwell, measured to `asOf` for the current stage. Events may come in any
 * order; they are sorted by time. Terminal stages have no standard and are never overdue.
 */
export function computeDwells(events: StageEvent[], standards: DwellStandards, asOf: Date): StageDwell[] {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  return sorted.map((ev, i) => {
    const next = sorted[i + 1];
    const leftAt = next ? next.at : null;
    const end = leftAt ?? asOf;
    const dwellHours = Math.max(0, (end.getTime() - ev.at.getTime()) / HOUR);
    const standardHours = ev.stage in standards ? standards[ev.stage as keyof DwellStandards] : null;
    const over = standardHours === null ? 0 : Math.max(0, dwellHours - standardHours);
    return { stage: ev.stage, enteredAt: ev.at, leftAt, dwellHours, standardHours, overdue: over > 0, overdueHours: over };
  });
}

/** When the current (last) stage will pass its standard, or null for terminal stages. For scheduling alerts. */
export function stageDueAt(current: StageEvent, standards: DwellStandards): Date | null {
  if (!(current.stage in standards)) return null;
  return new Date(current.at.getTime() + standards[current.stage as keyof DwellStandards] * HOUR);
}

/**
 * Whether a lead stayed within the standard in every open-stage visit that overlaps [from, to) — the numerator of PHI's
 * stage on-time rate. Returns null when no visit overlaps the window (the lead does not count in that period).
 */
export function leadOnTime(events: StageEvent[], standards: DwellStandards, window: { from: Date; to: Date }, asOf: Date): boolean | null {
  const end = asOf < window.to ? asOf : window.to;
  const visits = computeDwells(events, standards, end).filter(
    (d) => d.standardHours !== null && d.enteredAt < window.to && (d.leftAt === null || d.leftAt >= window.from) && d.enteredAt <= end,
  );
  if (visits.length === 0) return null;
  return visits.every((d) => !d.overdue);
}

export interface FunnelRow {
  stage: StageId;
  /** Leads that ever entered the stage. */
  entered: number;
  /** Leads currently in it. */
  current: number;
  /** Mean and median dwell in hours over completed and ongoing visits. */
  meanDwellHours: number | null;
  medianDwellHours: number | null;
  overdue: number;
  standardHours: number | null;
}

/** Funnel with dwell statistics per stage over many leads (the 线索转化漏斗 of the health dashboard). */
export function funnel(leads: StageEvent[][], standards: DwellStandards, asOf: Date): FunnelRow[] {
  const rows = new Map<StageId, { entered: Set<number>; current: number; dwell: number[]; overdue: number }>();
  for (const s of [...PIPELINE_STAGES, 'lost' as const]) rows.set(s, { entered: new Set(), current: 0, dwell: [], overdue: 0 });
  leads.forEach((events, li) => {
    const dwells = computeDwells(events, standards, asOf);
    dwells.forEach((d, i) => {
      const row = rows.get(d.stage)!;
      row.entered.add(li);
      if (d.standardHours !== null) row.dwell.push(d.dwellHours);
      if (d.overdue) row.overdue++;
      if (i === dwells.length - 1) row.current++;
    });
  });
  return [...rows.entries()].map(([stage, r]) => {
    const sorted = [...r.dwell].sort((a, b) => a - b);
    const n = sorted.length;
    const median = n === 0 ? null : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return {
      stage,
      entered: r.entered.size,
      current: r.current,
      meanDwellHours: n === 0 ? null : sorted.reduce((a, b) => a + b, 0) / n,
      medianDwellHours: median,
      overdue: r.overdue,
      standardHours: stage in standards ? standards[stage as keyof DwellStandards] : null,
    };
  });
}
