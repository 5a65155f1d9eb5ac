import { AppError } from '../core/errors.ts';

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

/** A move that the stage machine does not allow at all (as opposed to a checkpoint that lacks evidence). */
export class InvalidTransitionError extends AppError {
  readonly from: StageId;
  readonly to: StageId;
  constructor(from: StageId, to: StageId, why: string) {
    super('invalid_stage_transition', `不能从「${STAGE_LABELS[from]}」变更到「${STAGE_LABELS[to]}」：${why} / cannot move ${from} → ${to}`, 409);
    this.from = from;
    this.to = to;
  }
}

/**
 * Validates the shape of a move. Forward moves may skip stages (a CRM often learns late), but the checkpoints of
 * every stage crossed still apply (see requiredCheckpoints); moving back, moving out of won/lost and standing still
 * are refused so the history stays a forward-only record.
 */
export function assertTransition(from: StageId, to: StageId): void {
  if (isTerminal(from)) throw new InvalidTransitionError(from, to, '线索已结束 (lead is closed)');
  if (to === 'lost') return;
  if (from === to) throw new InvalidTransitionError(from, to, '已处于该阶段 (already in this stage)');
  if (stageIndex(to) < stageIndex(from)) throw new InvalidTransitionError(from, to, '阶段只能前进 (stages only move forward)');
}

/** The stages entered by a move, in order: for from=proposal_sent, to=legal_review → proposal_read … legal_review. */
export function stagesCrossed(from: StageId, to: StageId): StageId[] {
  if (to === 'lost') return ['lost'];
  return PIPELINE_STAGES.slice(stageIndex(from) + 1, stageIndex(to) + 1);
}
