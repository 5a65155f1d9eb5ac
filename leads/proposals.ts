import type { AnalyzedSegment, CallAnalysis } from '../analyze/types.ts';
import { STAGE_LABELS, isTerminal, stageIndex, type StageId } from '../core/stages.ts';

/** A stage move the conversation suggests; a person confirms or rejects it. */
export interface StageProposal {
  to: StageId;
  reason: string;
  evidence: { segment: number; speaker: AnalyzedSegment['speaker']; text: string; start: number | null; end: number | null };
}

interface Signal {
  to: StageId;
  reason: string;
  matches: (s: AnalyzedSegment) => boolean;
}

const has = (s: AnalyzedSegment, words: string[]) => words.some((w) => s.text.includes(w));

/**
 * Conversation signals per stage, checked on one segment at a time. Strong, explicit phrases only: a wrong
 * proposal costs a manager's click, a missed one costs nothing because reps move stages themselves.
 */
const SIGNALS: Signal[] = [
  {
    to: 'needs_confirmed',
    reason: '客户描述了具体需求或使用场景',
    matches: (s) => s.speaker === 'customer' && (s.tags.some((t) => t.category === 'use_case') || has(s, ['我们需要', '我们的需求', '主要用在', '要求是'])),
  },
  {
    to: 'proposal_sent',
    reason: '销售表示方案/报价单已发送',
    matches: (s) => s.speaker === 'rep' && has(s, ['方案发给您', '方案已经发', '方案发过去', '已发送方案', '报价单发给您', '报价单已经发', '方案发到您邮箱']),
  },
  {
    to: 'proposal_read',
    reason: '客户表示已看过方案',
    matches: (s) => s.speaker === 'customer' && has(s, ['方案看了', '方案我看了', '方案看过', '看过方案', '看了方案', '方案我们看了', '报价单看了']),
  },
  {
    to: 'price_negotiation',
    reason: '双方开始谈价格',
    matches: (s) =>
      (s.speaker === 'customer' && has(s, ['便宜点', '优惠', '折扣', '降价', '再低一点', '价格能不能', '太贵'])) ||
      (s.speaker === 'rep' && s.behaviors.includes('quote')),
  },
  {
    to: 'legal_review',
    reason: '客户提到合同审核/法务',
    matches: (s) => has(s, ['法务', '合同审核', '审合同', '合同条款', '走合同流程']),
  },
  {
    to: 'won',
    reason: '客户确认签约或下单',
    matches: (s) => s.speaker === 'customer' && has(s, ['签合同吧', '就这么定了', '可以签', '我们下单', '确定合作', '合同签了']),
  },
  {
    to: 'lost',
    reason: '客户表示不再考虑',
    matches: (s) => s.speaker === 'customer' && has(s, ['不考虑了', '已经选了别家', '选了别的供应商', '项目取消', '不做了', '不用了']),
  },
];

/**
 * Stage proposals for a lead currently in `current`, from one analysed call: at most one per target stage (its first
 * supporting segment as evidence), only moves forward or to lost, furthest stage first.
 */
export function proposeStages(analysis: Pick<CallAnalysis, 'segments'>, current: StageId): StageProposal[] {
  if (isTerminal(current)) return [];
  const out: StageProposal[] = [];
  for (const signal of SIGNALS) {
    if (signal.to !== 'lost' && stageIndex(signal.to) <= stageIndex(current)) continue;
    const i = analysis.segments.findIndex((s) => signal.matches(s));
    if (i < 0) continue;
    const seg = analysis.segments[i];
    out.push({
      to: signal.to,
      reason: `${signal.reason}（建议变更为「${STAGE_LABELS[signal.to]}」）`,
      evidence: { segment: i, speaker: seg.speaker, text: seg.text, start: seg.start, end: seg.end },
    });
  }
  return out.sort((a, b) => (b.to === 'lost' ? 99 : stageIndex(b.to)) - (a.to === 'lost' ? 99 : stageIndex(a.to)));
}

export type ProposalStatus = 'pending' | 'confirmed' | 'rejected' | 'superseded';

/** A stored proposal's status: a person's decision, else superseded once the lead has moved at or past it. */
export function proposalStatus(current: StageId, proposed: StageId, decision: 'confirmed' | 'rejected' | null): ProposalStatus {
  if (decision) return decision;
  if (isTerminal(current)) return 'superseded';
  return proposed !== 'lost' && stageIndex(proposed) <= stageIndex(current) ? 'superseded' : 'pending';
}
