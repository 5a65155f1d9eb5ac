import { describe, expect, it } from 'vitest';
import type { AnalyzedSegment } from '../analyze/types.ts';
import { proposeStages } from './proposals.ts';

const seg = (speaker: AnalyzedSegment['speaker'], text: string, extra: Partial<AnalyzedSegment> = {}): AnalyzedSegment => ({
  start: 1,
  end: 2,
  speaker,
  text,
  tags: [],
  behaviors: [],
  ...extra,
});

describe('stage proposals from a conversation', () => {
  const segments = [
    seg('rep', '王总您好，上周方案发给您了'),
    seg('customer', '方案我看了，整体可以'),
    seg('customer', '就是价格能不能再低一点？'),
    seg('rep', '我回去申请一下'),
  ];

  it('proposes forward moves with the first supporting segment as evidence, furthest first', () => {
    const p = proposeStages({ segments }, 'needs_confirmed');
    expect(p.map((x) => [x.to, x.evidence.segment])).toEqual([
      ['price_negotiation', 2],
      ['proposal_read', 1],
      ['proposal_sent', 0],
    ]);
    expect(p[1].evidence.text).toBe('方案我看了，整体可以');
    expect(p[1].reason).toContain('方案已阅');
  });

  it('proposes nothing at or behind the current stage, and nothing for closed leads', () => {
    expect(proposeStages({ segments }, 'price_negotiation')).toEqual([]);
    expect(proposeStages({ segments }, 'won')).toEqual([]);
  });

  it('proposes lost when the customer drops out, and ignores the rep saying the words', () => {
    expect(proposeStages({ segments: [seg('customer', '我们已经选了别家，不考虑了')] }, 'proposal_sent').map((x) => x.to)).toEqual(['lost']);
    expect(proposeStages({ segments: [seg('rep', '方案我看了')] }, 'proposal_sent')).toEqual([]);
  });
});
