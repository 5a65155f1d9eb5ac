import { describe, expect, it } from 'vitest';
import { DEFAULT_DWELL_HOURS, computeDwells, funnel, leadOnTime, resolveDwellStandards, stageDueAt, type StageEvent } from './dwell.ts';

const t = (iso: string) => new Date(iso);
const ev = (stage: StageEvent['stage'], iso: string): StageEvent => ({ stage, at: t(iso) });

describe('dwell times', () => {
  const history = [
    ev('needs_confirmed', '2026-11-03T00:00:00Z'),
    ev('new_lead', '2026-11-01T00:00:00Z'),
    ev('proposal_sent', '2026-11-12T00:00:00Z'),
  ];

  it('measures each visit, the current one up to asOf, in any input order', () => {
    const d = computeDwells(history, DEFAULT_DWELL_HOURS, t('2026-11-16T06:00:00Z'));
    expect(d.map((x) => [x.stage, x.dwellHours, x.standardHours, x.overdue, x.overdueHours])).toEqual([
      ['new_lead', 48, 48, false, 0],
      ['needs_confirmed', 216, 168, true, 48],
      ['proposal_sent', 102, 72, true, 30],
    ]);
    expect(d[2].leftAt).toBeNull();
  });

  it('uses tenant overrides and rejects bad ones', () => {
    const s = resolveDwellStandards({ needs_confirmed: 240 });
    expect(s.needs_confirmed).toBe(240);
    expect(s.new_lead).toBe(48);
    expect(computeDwells(history, s, t('2026-11-13T00:00:00Z')).map((x) => x.overdue)).toEqual([false, false, false]);
    expect(() => resolveDwellStandards({ won: 5 })).toThrow(/invalid|未知/);
    expect(() => resolveDwellStandards({ new_lead: 0 })).toThrow(/正数/);
  });

  it('says when the current stage passes its standard', () => {
    expect(stageDueAt(ev('proposal_sent', '2026-11-12T00:00:00Z'), DEFAULT_DWELL_HOURS)?.toISOString()).toBe('2026-11-15T00:00:00.000Z');
    expect(stageDueAt(ev('won', '2026-11-12T00:00:00Z'), DEFAULT_DWELL_HOURS)).toBeNull();
  });

  it('judges a lead on time only over visits overlapping the window', () => {
    const asOf = t('2026-12-31T00:00:00Z');
    // needs_confirmed ran 216 h (over 168) and ended 11-12: late in early November, on time from 11-13 on.
    expect(leadOnTime(history, DEFAULT_DWELL_HOURS, { from: t('2026-11-01T00:00:00Z'), to: t('2026-11-10T00:00:00Z') }, asOf)).toBe(false);
    const late = { from: t('2026-11-13T00:00:00Z'), to: t('2026-11-14T00:00:00Z') };
    expect(leadOnTime(history, DEFAULT_DWELL_HOURS, late, asOf)).toBe(true);
    expect(leadOnTime(history, DEFAULT_DWELL_HOURS, { from: t('2026-10-01T00:00:00Z'), to: t('2026-10-30T00:00:00Z') }, asOf)).toBeNull();
  });

  it('builds the funnel with dwell statistics', () => {
    const asOf = t('2026-11-16T06:00:00Z');
    const other = [ev('new_lead', '2026-11-10T00:00:00Z'), ev('lost', '2026-11-15T00:00:00Z')];
    const rows = funnel([history, other], DEFAULT_DWELL_HOURS, asOf);
    const row = (s: string) => rows.find((r) => r.stage === s)!;
    expect(row('new_lead')).toMatchObject({ entered: 2, current: 0, meanDwellHours: 84, medianDwellHours: 84, overdue: 1 });
    expect(row('needs_confirmed')).toMatchObject({ entered: 1, overdue: 1, meanDwellHours: 216 });
    expect(row('proposal_sent')).toMatchObject({ entered: 1, current: 1 });
    expect(row('lost')).toMatchObject({ entered: 1, current: 1, meanDwellHours: null });
    expect(row('won')).toMatchObject({ entered: 0 });
  });
});
