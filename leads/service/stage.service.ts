import { Readable } from 'node:stream';
import { InvalidInputError, NotFoundError, ConflictError } from '../../core/errors.ts';
import type { LeadView } from '../../db/repositories/leads.repository.ts';
import { newStorageKey, type Storage } from '../../ingest/storage.ts';
import { ATTACHMENT_LABELS, checkStageChange, isAttachmentKind, missingRequirements, type AttachmentKind } from '../checkpoints.ts';
import { computeDwells, stageDueAt } from '../dwell.ts';
import { legalReviewTask } from '../followups.ts';
import { proposalStatus } from '../proposals.ts';
import { stageChangedNotification } from '../messages.ts';
import { PIPELINE_STAGES, STAGE_LABELS, isTerminal, stageIndex, type StageId } from '../../core/stages.ts';
import { timingFrom, type LeadDeps } from './deps.ts';
import { standardsFor } from './dwell-standards.service.ts';
import { saveTasks } from './followups.service.ts';
import { notify } from './notify.service.ts';
import { scheduleStageOverdue } from './stage-overdue.service.ts';

export async function loadLead(deps: LeadDeps, tenantId: string, externalId: string): Promise<LeadView> {
  const lead = await deps.repos.leads.getByExternalId(tenantId, externalId);
  if (!lead) throw new NotFoundError('lead_not_found', '线索 lead not found / 未找到');
  return lead;
}

/** Everything a lead page shows: stage, dwell against the standard, history, proposals, evidence, open tasks. */
export async function leadStagePage(deps: LeadDeps, tenantId: string, externalId: string, now = new Date()) {
  const lead = await loadLead(deps, tenantId, externalId);
  const [events, proposals, attachments, tasks, standards] = await Promise.all([
    deps.repos.leads.stageEvents(tenantId, lead.id),
    deps.repos.leadEvidence.proposals(tenantId, lead.id),
    deps.repos.leadEvidence.attachments(tenantId, lead.id),
    deps.repos.followUps.list(tenantId, { leadId: lead.id }),
    standardsFor(deps, tenantId),
  ]);
  const dwells = computeDwells(events.map((e) => ({ stage: e.toStage, at: e.at })), standards, now);
  const current = dwells[dwells.length - 1];
  const kinds = attachments.map((a) => a.kind as AttachmentKind);
  const next = isTerminal(lead.stage) ? null : PIPELINE_STAGES[stageIndex(lead.stage) + 1] ?? null;
  const stageDue = stageDueAt({ stage: lead.stage, at: lead.stageEnteredAt }, standards);
  return {
    id: lead.externalId,
    stage: lead.stage,
    stageLabel: STAGE_LABELS[lead.stage],
    stageEnteredAt: lead.stageEnteredAt.toISOString(),
    stageDueAt: stageDue ? stageDue.toISOString() : null,
    overdue: current?.overdue ?? false,
    nextStage: next,
    missingForNext: next ? missingRequirements(lead.stage, next, kinds).map((m) => ({ requirement: m.requirement, label: m.label, acceptedKinds: m.acceptedKinds })) : [],
    history: events.map((e, i) => ({
      from: e.fromStage,
      to: e.toStage,
      at: e.at.toISOString(),
      actor: e.actor,
      dwellHours: round1(dwells[i]?.dwellHours ?? 0),
      standardHours: dwells[i]?.standardHours ?? null,
      overdue: dwells[i]?.overdue ?? false,
    })),
    proposals: proposals.map((p) => ({
      id: p.id,
      to: p.stage,
      toLabel: STAGE_LABELS[p.stage],
      reason: p.reason,
      recordingId: p.recordingId,
      segment: p.segmentIndex,
      evidence: p.evidence,
      status: proposalStatus(lead.stage, p.stage, p.decision),
      decidedBy: p.decidedBy,
      decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null,
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      kind: a.kind,
      kindLabel: isAttachmentKind(a.kind) ? ATTACHMENT_LABELS[a.kind] : a.kind,
      fileName: a.originalName,
      byteSize: a.byteSize,
      uploadedBy: a.uploadedBy,
      createdAt: a.createdAt.toISOString(),
    })),
    tasks: tasks.map((t) => ({ id: t.id, kind: t.kind, title: t.title, status: t.status, dueAt: t.dueAt ? t.dueAt.toISOString() : null })),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The one way a lead changes stage (API, proposal confirmation, CLI): the machine's rules and checkpoints
 * (CheckpointError → 422), the event, a legal-review task when entering 法务初审中, and a stage_changed notification.
 */
export async function changeStage(
  deps: LeadDeps,
  tenantId: string,
  externalId: string,
  to: StageId,
  meta: { actor?: string | null; at?: Date; amount?: number | null; note?: string | null } = {},
) {
  const lead = await loadLead(deps, tenantId, externalId);
  const attachments = await deps.repos.leadEvidence.attachments(tenantId, lead.id);
  checkStageChange(lead.stage, to, attachments.map((a) => a.kind as AttachmentKind));
  const at = meta.at ?? new Date();
  const event = await deps.repos.leads.moveStage(tenantId, lead.id, to, { ...meta, at });
  if (to === 'legal_review') {
    const customer = lead.customerId ? await deps.repos.customers.getById(tenantId, lead.customerId) : undefined;
    const plan = legalReviewTask(
      { leadId: lead.externalId, repId: lead.ownerRepExternalId ?? '', customerId: lead.customerExternalId, customerName: customer?.name ?? null },
      at,
      timingFrom(deps.config),
    );
    await saveTasks(deps, tenantId, [{ plan, ids: { repId: null, leadId: lead.id, customerId: lead.customerId } }]);
  }
  await scheduleStageOverdue(deps, tenantId, lead.id);
  await notify(deps, tenantId, stageChangedNotification({ leadId: lead.externalId, repId: lead.ownerRepExternalId ?? '' }, lead.stage, to, meta.actor ?? null));
  return { from: lead.stage, to, at: event.at.toISOString() };
}

/** A person confirms a proposal (the stage change runs through every checkpoint) or rejects it. */
export async function decideProposal(
  deps: LeadDeps,
  tenantId: string,
  externalId: string,
  proposalId: string,
  decision: 'confirmed' | 'rejected',
  actor: string | null,
) {
  const lead = await loadLead(deps, tenantId, externalId);
  const proposal = (await deps.repos.leadEvidence.proposals(tenantId, lead.id)).find((p) => p.id === proposalId);
  if (!proposal) throw new NotFoundError('proposal_not_found', '阶段建议 proposal not found / 未找到');
  if (proposal.decision) throw new ConflictError('proposal_decided', `该建议已处理（${proposal.decision}） / proposal already ${proposal.decision}`);
  if (decision === 'rejected') {
    await deps.repos.leadEvidence.decide(tenantId, proposal.id, 'rejected', actor);
    return { proposalId, decision, stage: lead.stage };
  }
  // Claim the decision first so two managers clicking at once move the lead once; release it if the move fails.
  if (!(await deps.repos.leadEvidence.decide(tenantId, proposal.id, 'confirmed', actor))) {
    throw new ConflictError('proposal_decided', '该建议已处理 / proposal already decided');
  }
  try {
    const moved = await changeStage(deps, tenantId, externalId, proposal.stage, { actor, note: `确认对话建议：${proposal.reason}` });
    return { proposalId, decision, stage: moved.to };
  } catch (err) {
    await deps.repos.leadEvidence.undoDecision(tenantId, proposal.id);
    throw err;
  }
}

/** Stores an evidence file for a lead (streamed, size-limited) under a generated key; the name is kept as data. */
export async function addAttachment(
  deps: LeadDeps & { storage: Storage },
  tenantId: string,
  externalId: string,
  input: { kind: string; fileName: string; contentType: string | null; body: Readable; uploadedBy: string | null },
) {
  if (!isAttachmentKind(input.kind)) {
    throw new InvalidInputError('invalid_attachment_kind', `附件类型无效：${input.kind}；可选 ${Object.keys(ATTACHMENT_LABELS).join(', ')} / unknown attachment kind`);
  }
  const lead = await loadLead(deps, tenantId, externalId);
  const key = newStorageKey(tenantId, '.bin');
  const { byteSize, sha256 } = await deps.storage.put(key, input.body, { maxBytes: deps.config.ATTACHMENT_LIMIT_BYTES });
  if (byteSize === 0) {
    await deps.storage.delete(key);
    throw new InvalidInputError('empty_file', '附件为空 / the attachment is empty');
  }
  try {
    const row = await deps.repos.leadEvidence.addAttachment({
      tenantId,
      leadId: lead.id,
      kind: input.kind,
      originalName: input.fileName.slice(0, 255),
      contentType: input.contentType,
      byteSize,
      sha256,
      storageKey: key,
      uploadedBy: input.uploadedBy,
    });
    return { id: row.id, kind: row.kind, kindLabel: ATTACHMENT_LABELS[input.kind], fileName: row.originalName, byteSize, sha256, createdAt: row.createdAt.toISOString() };
  } catch (err) {
    // No file without its row.
    await deps.storage.delete(key);
    throw err;
  }
}
