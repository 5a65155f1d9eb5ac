import { STEP_IDS } from './events.ts';
import { patternKey, type MinedPattern, type SequenceResult } from './sequences.ts';
import { benjaminiHochberg, fisherExact } from './stats.ts';
import type { PatternRow } from './types.ts';

export interface ReportedPattern extends PatternRow {
  codes: number[];
  /** Hours; Infinity when unbounded or one-step. */
  gap: number;
}

/**
 * Tests every mined pattern (Fisher's exact, BH over all of them), keeps q < alpha, then reports each difference
 * once: a pattern is dropped when a shorter pattern inside it — a contiguous run of its steps with the same gap
 * (any subsequence for the unbounded gap, where containment implies support) — or the same steps with a tighter
 * gap has exactly the same supports in both groups.
 */
export function reportPatterns(
  mined: SequenceResult,
  gaps: number[],
  nTop: number,
  nRest: number,
  alpha: number,
): { rows: ReportedPattern[]; tested: number } {
  const list = mined.patterns;
  const p = list.map((m) => fisherExact(m.top, nTop - m.top, m.rest, nRest - m.rest));
  const q = benjaminiHochberg(p);
  const same = (m: MinedPattern, codes: number[], gapIndex: number) => {
    const i = mined.index.get(patternKey(codes, codes.length === 1 ? -1 : gapIndex));
    return i !== undefined && list[i].top === m.top && list[i].rest === m.rest;
  };
  const rows: ReportedPattern[] = [];
  for (let i = 0; i < list.length; i++) {
    if (!(q[i] < alpha)) continue;
    const m = list[i];
    if (isRedundant(m, gaps, same)) continue;
    const gap = m.gapIndex < 0 ? Infinity : gaps[m.gapIndex];
    const topSupport = nTop ? m.top / nTop : 0;
    const restSupport = nRest ? m.rest / nRest : 0;
    rows.push({
      steps: m.codes.map((c) => STEP_IDS[c]),
      maxGapHours: gap === Infinity ? null : gap,
      topSupport,
      restSupport,
      supportingTop: m.top,
      supportingRest: m.rest,
      pValue: p[i],
      qValue: q[i],
      effectSize: topSupport - restSupport,
      codes: m.codes,
      gap,
    });
  }
  rows.sort(
    (a, b) =>
      Math.abs(b.effectSize) - Math.abs(a.effectSize) ||
      // Mirror-image tables give the same p-value up to rounding; treat those as ties.
      (Math.abs(a.pValue - b.pValue) > 1e-9 * Math.max(a.pValue, b.pValue) ? a.pValue - b.pValue : 0) ||
      a.steps.length - b.steps.length ||
      a.gap - b.gap ||
      (a.steps.join() < b.steps.join() ? -1 : 1),
  );
  return { rows, tested: list.length };
}

function isRedundant(
  m: MinedPattern,
  gaps: number[],
  same: (m: MinedPattern, codes: number[], gapIndex: number) => boolean,
): boolean {
  const k = m.codes.length;
  if (k === 1) return false;
  const gap = gaps[m.gapIndex];
  for (let j = 0; j < gaps.length; j++) if (gaps[j] < gap && same(m, m.codes, j)) return true;
  if (gap === Infinity) {
    // Every proper, non-empty subsequence (bit masks over the steps).
    for (let mask = 1; mask < (1 << k) - 1; mask++) {
      const sub = m.codes.filter((_, i) => mask & (1 << i));
      if (same(m, sub, m.gapIndex)) return true;
    }
    return false;
  }
  for (let len = 1; len < k; len++) {
    for (let s = 0; s + len <= k; s++) if (same(m, m.codes.slice(s, s + len), m.gapIndex)) return true;
  }
  return false;
}
