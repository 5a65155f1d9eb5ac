import { describe, expect, it } from 'vitest';
import { DEFAULT_DWELL_HOURS, type StageEvent } from './dwell.ts';
import { computePhi, formatPhi, phiLevel, type PhiCollaborationTask, type PhiLead, type PhiTouchpoint } from './phi.ts';

const H = 3_600_000;
const base = Date.parse('2026-11-02T00:00:00Z');
const at = (hours: number) => new Date(base + hours * H);
const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
const asOf = new Date('2026-11-30T00:00:00Z');

/** A lead that spent `hours` in new_lead, then moved on and stayed within the standard (or was won). */
function lead(id: string, repId: string, teamId: string, newLeadHours: number): PhiLead {
  const history: StageEvent[] = [
    { stage: 'new_lead', at: at(0) },
    { stage: 'needs_confirmed', at: at(newLeadHours) },
    { stage: 'won', at: at(newLeadHours + 24) },
  ];
  return { leadId: id, repId, teamId, history };
}
const collab = (repId: string, teamId: string, doneAfterHours: number | null, createdHours = 0): PhiCollaborationTask => ({
  repId,
  teamId,
  createdAt: at(createdHours),
  doneAt: doneAfterHours === null ? null : at(createdHours + doneAfterHours),
});
const touch = (repId: string, teamId: string, customerId: string, day: string, reported: number, recorded: number): PhiTouchpoint => ({
  repId,
  teamId,
  customerId,
  day,
  reported,
  recorded,
});

describe('Process Health Index on planted data', () => {
  const leads: PhiLead[] = [
    // rep A: 3 of 4 leads within the 48 h new_lead standard.
    lead('A1', 'A', 'T1', 10),
    lead('A2', 'A', 'T1', 48),
    lead('A3', 'A', 'T1', 30),
    lead('A4', 'A', 'T1', 49),
    // rep B: 2 of 2.
    lead('B1', 'B', 'T1', 5),
    lead('B2', 'B', 'T1', 20),
    // rep C: 0 of 1.
    lead('C1', 'C', 'T2', 100),
    // outside the window: ignored although late.
    { leadId: 'old', repId: 'A', teamId: 'T1', history: [{ stage: 'new_lead', at: new Date('2026-09-01T00:00:00Z') }, { stage: 'lost', at: new Date('2026-10-01T00:00:00Z') }] },
  ];
  const tasks = [
    collab('A', 'T1', 47),
    collab('A', 'T1', 50),
    collab('B', 'T1', 10),
    // open, created 24 h before asOf: not decided yet, not counted.
    { repId: 'B', teamId: 'T1', createdAt: new Date(asOf.getTime() - 24 * H), doneAt: null },
    // open for 60 h at asOf: counted as late.
    { repId: 'B', teamId: 'T1', createdAt: new Date(asOf.getTime() - 60 * H), doneAt: null },
    // created before the window: ignored.
    { repId: 'C', teamId: 'T2', createdAt: new Date('2026-10-20T00:00:00Z'), doneAt: new Date('2026-10-29T00:00:00Z') },
  ];
  const touchpoints = [
    touch('A', 'T1', 'c1', '2026-11-03', 6, 5),
    touch('A', 'T1', 'c2', '2026-11-04', 4, 3),
    touch('B', 'T1', 'c3', '2026-11-05', 5, 5),
    // extra recordings on one day cannot cover missing ones elsewhere: min(3, 1) = 1 of 1.
    touch('B', 'T1', 'c4', '2026-11-06', 1, 3),
    touch('C', 'T2', 'c5', '2026-11-07', 4, 3),
    touch('C', 'T2', 'c5', '2026-10-31', 9, 0),
  ];
  const report = computePhi({ leads, collaborationTasks: tasks, touchpoints, standards: DEFAULT_DWELL_HOURS, window, asOf });
  const rep = (id: string) => report.reps.find((r) => r.repId === id)!;

  it('scores each rep from its components', () => {
    // A: 100 × (0.4 × 3/4 + 0.3 × 1/2 + 0.3 × 8/10) = 69.0
    expect(rep('A').components.stageOnTime).toEqual({ rate: 0.75, numerator: 3, denominator: 4 });
    expect(rep('A').components.collaborationOnTime).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(rep('A').components.touchpointTrace).toEqual({ rate: 0.8, numerator: 8, denominator: 10 });
    expect(rep('A').phi).toBe(69);
    expect(rep('A').level).toBe('at_risk');
    // B: stage 2/2, collab 1/2 (one 60 h open task), touch 6/6 → 100 × (0.4 + 0.15 + 0.3) = 85.0
    expect(rep('B').components.collaborationOnTime).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(rep('B').components.touchpointTrace).toEqual({ rate: 1, numerator: 6, denominator: 6 });
    expect(rep('B').phi).toBe(85);
    expect(rep('B').level).toBe('healthy');
    expect(rep('B').levelLabel).toBe('健康');
    // C: stage 0/1, no collaboration → weights rescaled: (0.4 × 0 + 0.3 × 0.75) / 0.7 = 32.1
    expect(rep('C').components.collaborationOnTime.rate).toBeNull();
    expect(rep('C').phi).toBe(32.1);
  });

  it('aggregates teams and the tenant from the counts, not by averaging scores', () => {
    const t1 = report.teams.find((t) => t.teamId === 'T1')!;
    // stage 5/6, collab 2/4, touch 14/16 → 100 × (0.4 × 5/6 + 0.3 × 0.5 + 0.3 × 0.875) = 74.6
    expect(t1.components.stageOnTime).toEqual({ rate: 5 / 6, numerator: 5, denominator: 6 });
    expect(t1.phi).toBe(74.6);
    expect(t1.level).toBe('sub_healthy');
    // tenant: stage 5/7, collab 2/4, touch 17/20 → 28.571 + 15 + 25.5 = 69.1
    expect(report.tenant.components.touchpointTrace).toEqual({ rate: 0.85, numerator: 17, denominator: 20 });
    expect(report.tenant.phi).toBe(69.1);
    expect(report.tenant.level).toBe('at_risk');
  });

  it('cuts levels at 85 and 70', () => {
    expect([phiLevel(85), phiLevel(84.9), phiLevel(70), phiLevel(69.9)]).toEqual(['healthy', 'sub_healthy', 'sub_healthy', 'at_risk']);
  });

  it('has no score for an empty period', () => {
    const empty = computePhi({ leads: [], collaborationTasks: [], touchpoints: [], standards: DEFAULT_DWELL_HOURS, window, asOf });
    expect(empty.tenant.phi).toBeNull();
    expect(empty.tenant.withheld).toBe('no_data');
    expect(empty.reps).toEqual([]);
  });
});

describe('PHI with missing components', () => {
  // D: two leads on time, nothing else (no collaboration, no daily reports). E: the same two leads plus touchpoints.
  const leads = [lead('D1', 'D', 'T3', 5), lead('D2', 'D', 'T3', 6), lead('E1', 'E', 'T3', 5), lead('E2', 'E', 'T3', 70)];
  const report = computePhi({
    leads,
    collaborationTasks: [],
    touchpoints: [touch('E', 'T3', 'c9', '2026-11-10', 4, 2)],
    standards: DEFAULT_DWELL_HOURS,
    window,
    asOf,
  });
  const rep = (id: string) => report.reps.find((r) => r.repId === id)!;

  it('withholds the score of a rep with one component only, so a perfect on-time rate alone is never 健康', () => {
    const d = rep('D');
    expect(d.components.stageOnTime.rate).toBe(1);
    expect(d.phi).toBeNull();
    expect(d.level).toBeNull();
    expect(d.levelLabel).toBeNull();
    expect(d.withheld).toBe('too_little_data');
    expect(d.basis.components).toEqual(['stageOnTime']);
    expect(d.basis.weight).toBe(0.4);
    expect(d.basis.text).toBe('数据不足，不计分：只有阶段达标率 2/2 条线索，至少需要两项有数据（协同准时率、触点留痕率本期无数据）');
  });

  it('scores two components and says which ones, and that the third had no data', () => {
    const e = rep('E');
    // (0.4 × 1/2 + 0.3 × 2/4) / 0.7 = 50.0
    expect(e.phi).toBe(50);
    expect(e.withheld).toBeNull();
    expect(e.basis.components).toEqual(['stageOnTime', 'touchpointTrace']);
    expect(e.basis.weight).toBe(0.7);
    expect(e.basis.text).toBe('基于阶段达标率 1/2 条线索、触点留痕率 2/4 次互动；协同准时率本期无数据，不计入，其权重按比例分给其余两项');
  });

  it('scores a team from its reps\' pooled counts and says so', () => {
    const t3 = report.teams.find((t) => t.teamId === 'T3')!;
    // stage 3/4, touch 2/4: (0.4 × 0.75 + 0.3 × 0.5) / 0.7 = 64.3; D's withheld score does not enter an average.
    expect(t3.components.stageOnTime).toEqual({ rate: 0.75, numerator: 3, denominator: 4 });
    expect(t3.phi).toBe(64.3);
    expect(t3.basis.scope).toBe('team');
    expect(t3.basis.text).toMatch(/^按全队各人计数之和计算（不是各人分数的平均）：基于阶段达标率 3\/4 条线索、触点留痕率 2\/4 次互动/);
    expect(report.tenant.basis.text).toMatch(/^按全公司各人计数之和计算/);
  });

  it('prints a score with one decimal everywhere', () => {
    expect([formatPhi(15), formatPhi(66.1), formatPhi(null)]).toEqual(['15.0', '66.1', '—']);
  });
});
