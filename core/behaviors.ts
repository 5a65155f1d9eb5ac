/** The eight rep behaviours the analysis detects: ids and their Chinese names. */
export const BEHAVIOR_IDS = [
  'needs_probe',
  'use_case_probe',
  'value_restate',
  'objection_handling',
  'quote',
  'schedule_offer',
  'commitment',
  'close_attempt',
] as const;
export type BehaviorId = (typeof BEHAVIOR_IDS)[number];

export const BEHAVIOR_LABELS: Record<BehaviorId, string> = {
  needs_probe: '需求探询',
  use_case_probe: '应用场景深挖',
  value_restate: '价值重述',
  objection_handling: '异议处理',
  quote: '报价',
  schedule_offer: '主动提供排产/交期计划',
  commitment: '承诺',
  close_attempt: '促成',
};
