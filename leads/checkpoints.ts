import { AppError } from '../core/errors.ts';
import { assertTransition, stagesCrossed } from './stages.ts';
import { STAGE_LABELS, type StageId } from '../core/stages.ts';

/** Kinds of evidence a rep can attach to a lead. */
export const ATTACHMENT_KINDS = [
  'read_receipt_screenshot',
  'email_read_receipt',
  'business_license',
  'authorization_letter',
  'technical_agreement',
  'other',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_LABELS: Record<AttachmentKind, string> = {
  read_receipt_screenshot: '客户阅读回执截图',
  email_read_receipt: '邮件已读回执',
  business_license: '营业执照',
  authorization_letter: '授权书',
  technical_agreement: '技术协议',
  other: '其他附件',
};

export function isAttachmentKind(s: unknown): s is AttachmentKind {
  return typeof s === 'string' && (ATTACHMENT_KINDS as readonly string[]).includes(s);
}

/** One requirement of a checkpoint: satisfied by any attachment whose kind is in `anyOf`. */
export interface Requirement {
  id: string;
  label: string;
  anyOf: AttachmentKind[];
}

/** Stage → what entering it requires. Stages not listed have no checkpoint. */
export const CHECKPOINTS: Partial<Record<StageId, Requirement[]>> = {
  proposal_read: [
    {
      id: 'proposal_read_evidence',
      label: '方案已阅凭证（客户阅读回执截图或邮件已读回执）',
      anyOf: ['read_receipt_screenshot', 'email_read_receipt'],
    },
  ],
  legal_review: [
    { id: 'business_license', label: '营业执照', anyOf: ['business_license'] },
    { id: 'authorization_letter', label: '授权书', anyOf: ['authorization_letter'] },
    { id: 'technical_agreement', label: '技术协议', anyOf: ['technical_agreement'] },
  ],
};

export interface MissingRequirement {
  stage: StageId;
  requirement: string;
  label: string;
  acceptedKinds: AttachmentKind[];
}

/** A stage move blocked by missing evidence: 422 in the API, with every missing item listed. */
export class CheckpointError extends AppError {
  readonly kind = 'checkpoint';
  readonly missing: MissingRequirement[];
  constructor(to: StageId, missing: MissingRequirement[]) {
    const list = missing.map((m) => m.label).join('、');
    super(
      'checkpoint_failed',
      `进入「${STAGE_LABELS[to]}」前缺少：${list}。请先上传后再变更阶段 / missing evidence for ${to}: ${missing
        .map((m) => m.requirement)
        .join(', ')}`,
    );
    this.missing = missing;
  }
}

/** Which requirements of the stages crossed by from → to are not met by the lead's attachments. */
export function missingRequirements(from: StageId, to: StageId, attachmentKinds: Iterable<AttachmentKind>): MissingRequirement[] {
  const have = new Set(attachmentKinds);
  const missing: MissingRequirement[] = [];
  for (const stage of stagesCrossed(from, to)) {
    for (const req of CHECKPOINTS[stage] ?? []) {
      if (!req.anyOf.some((k) => have.has(k))) {
        missing.push({ stage, requirement: req.id, label: req.label, acceptedKinds: req.anyOf });
      }
    }
  }
  return missing;
}

/**
 * The whole gate a stage change passes: a legal move (InvalidTransitionError otherwise) whose crossed checkpoints
 * are all satisfied (CheckpointError listing everything missing otherwise).
 */
export function checkStageChange(from: StageId, to: StageId, attachmentKinds: Iterable<AttachmentKind>): void {
  assertTransition(from, to);
  const missing = missingRequirements(from, to, attachmentKinds);
  if (missing.length > 0) throw new CheckpointError(to, missing);
}
