import type { AnalyzedSegment } from '../analyze/types.ts';
import type { BehaviorId } from '../core/behaviors.ts';
import type { CategoryId } from '../core/categories.ts';
import type { BehaviorMoment } from './types.ts';

/**
 * Where in a call a behaviour was due, so a coaching suggestion can link to the moment it was missing. A moment is
 * only "missing" when its trigger happened (the customer raised price, asked about delivery …) and the rep never
 * showed the behaviour in that call; a call without the trigger says nothing about the behaviour.
 */
const CUSTOMER_TRIGGERS: Partial<Record<BehaviorId, CategoryId[]>> = {
  use_case_probe: ['technical_spec', 'quality_concern', 'price_sensitivity', 'use_case'],
  objection_handling: ['price_sensitivity', 'competitor', 'quality_concern'],
  value_restate: ['price_sensitivity', 'competitor', 'quality_concern'],
  schedule_offer: ['delivery_time'],
  quote: ['price_sensitivity', 'budget'],
};

function trigger(segments: AnalyzedSegment[], behavior: BehaviorId): number | null {
  const cats = CUSTOMER_TRIGGERS[behavior];
  if (cats) {
    const i = segments.findIndex((s) => s.speaker !== 'rep' && s.tags.some((t) => cats.includes(t.category)));
    if (i >= 0) return i;
  }
  if (behavior === 'value_restate') {
    // The call after sending a proposal: asking "did you read it?" is where value should have been restated.
    const i = segments.findIndex((s) => s.speaker === 'rep' && s.text.includes('方案'));
    return i >= 0 ? i : null;
  }
  if (behavior === 'needs_probe') {
    const i = segments.findIndex((s) => s.speaker === 'customer');
    return i >= 0 ? i : null;
  }
  return null;
}

export function momentsOf(segments: AnalyzedSegment[]): BehaviorMoment[] {
  const moments: BehaviorMoment[] = [];
  const seen = new Set<BehaviorId>();
  segments.forEach((s, i) => {
    for (const b of s.behaviors) {
      if (seen.has(b)) continue;
      seen.add(b);
      moments.push({ behavior: b, status: 'present', segment: i, startSec: s.start, endSec: s.end, text: s.text });
    }
  });
  for (const b of Object.keys(CUSTOMER_TRIGGERS).concat('needs_probe') as BehaviorId[]) {
    if (seen.has(b)) continue;
    const i = trigger(segments, b);
    if (i === null) continue;
    const s = segments[i];
    moments.push({ behavior: b, status: 'missing', segment: i, startSec: s.start, endSec: s.end, text: s.text });
  }
  return moments;
}
