/** The lead pipeline's stage ids and names: vocabulary every layer shares (the stage machine is leads/stages.ts). */
/** The seven pipeline stages in order; `lost` can be entered from any open stage. */
export const PIPELINE_STAGES = [
  'new_lead',
  'needs_confirmed',
  'proposal_sent',
  'proposal_read',
  'price_negotiation',
  'legal_review',
  'won',
] as const;
export const STAGE_IDS = [...PIPELINE_STAGES, 'lost'] as const;
export type StageId = (typeof STAGE_IDS)[number];

export const STAGE_LABELS: Record<StageId, string> = {
  new_lead: '新线索',
  needs_confirmed: '需求确认',
  proposal_sent: '方案提交',
  proposal_read: '方案已阅',
  price_negotiation: '价格谈判',
  legal_review: '法务初审中',
  won: '签约',
  lost: '流失',
};

export function isStageId(s: unknown): s is StageId {
  return typeof s === 'string' && (STAGE_IDS as readonly string[]).includes(s);
}

export function stageIndex(stage: StageId): number {
  return stage === 'lost' ? -1 : PIPELINE_STAGES.indexOf(stage);
}

export function isTerminal(stage: StageId): boolean {
  return stage === 'won' || stage === 'lost';
}
