import { ConflictError } from '../core/errors.ts';
import { STAGE_LABELS, isTerminal, stageIndex, PIPELINE_STAGES, type StageId } from '../core/stages.ts';

/** A move that the stage machine does not allow at all (as opposed to a checkpoint that lacks evidence). */
export class InvalidTransitionError extends ConflictError {
  readonly from: StageId;
  readonly to: StageId;
  constructor(from: StageId, to: StageId, why: string) {
    super('invalid_stage_transition', `不能从「${STAGE_LABELS[from]}」变更到「${STAGE_LABELS[to]}」：${why} / cannot move ${from} → ${to}`);
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
