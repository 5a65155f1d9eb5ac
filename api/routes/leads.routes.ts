import { Type } from 'typebox';
import type { LeadInput, LeadView } from '../../db/repositories/leads.repository.ts';
import { LEAD_STAGES, type LeadStage } from '../../db/schema.ts';
import { proposalStatus } from '../../leads/proposals.ts';
import type { AppContext } from '../context.ts';
import { CrmId, iso, LeadSchema, OptionalNullable as Opt, StageSchema, StringEnum } from '../schemas.ts';
import { crmEntityRoutes } from './crm-entity.ts';
import { auditTo } from './audit.ts';

/**
 * Lead CRUD for the CRM. Stage moves (with checkpoints) are the leads module's routes; here a lead's detail shows
 * its stage history and the stage signals its conversations produced.
 */
export function leadsRoutes(ctx: AppContext) {
  const { leads } = ctx.repos;
  return crmEntityRoutes<LeadView, LeadInput>({
    plural: 'leads',
    label: '线索',
    notFoundCode: 'lead_not_found',
    existsCode: 'lead_exists',
    dtoRef: 'Lead',
    dto: LeadSchema,
    input: Type.Object({
      title: Opt(Type.String({ maxLength: 300 })),
      customerId: Opt(CrmId),
      ownerRepId: Opt(CrmId),
      amount: Opt(Type.Number({ minimum: 0 })),
    }),
    listQuery: Type.Object({ stage: Type.Optional(StringEnum(LEAD_STAGES)) }),
    list: (tenantId, q) => leads.list(tenantId, { stage: q.stage as LeadStage | undefined }),
    get: (tenantId, id) => leads.getByExternalId(tenantId, id),
    upsert: async (tenantId, id, input) => {
      const { customerId, ownerRepId, ...rest } = input as LeadInput & { customerId?: string | null; ownerRepId?: string | null };
      const { lead, created } = await leads.upsert(tenantId, id, {
        ...rest,
        customerExternalId: customerId,
        ownerRepExternalId: ownerRepId,
      });
      return { row: lead, created };
    },
    delete: (tenantId, id) => leads.delete(tenantId, id),
    detail: {
      schema: Type.Object({
        history: Type.Array(
          Type.Object({ from: Type.Union([StageSchema, Type.Null()]), to: StageSchema, at: Type.String(), actor: Type.Union([Type.String(), Type.Null()]) }),
        ),
        signals: Type.Array(
          Type.Object({ stage: StageSchema, recordingId: Type.String(), segment: Type.Integer(), evidence: Type.String(), reason: Type.String() }),
        ),
        // Leads module: the signals as proposals a person confirms or rejects (POST …/proposals/:id/confirm).
        proposals: Type.Array(
          Type.Object({
            id: Type.String(),
            to: StageSchema,
            status: Type.String(),
            reason: Type.String(),
            evidence: Type.String(),
            recordingId: Type.String(),
            segment: Type.Integer(),
          }),
        ),
      }),
      load: async (tenantId, lead) => {
        const [events, signals, proposals] = await Promise.all([
          leads.stageEvents(tenantId, lead.id),
          leads.stageSignals(tenantId, lead.id),
          ctx.repos.leadEvidence.proposals(tenantId, lead.id),
        ]);
        return {
          proposals: proposals.map((p) => ({
            id: p.id,
            to: p.stage,
            status: proposalStatus(lead.stage, p.stage, p.decision),
            reason: p.reason,
            evidence: p.evidence,
            recordingId: p.recordingId,
            segment: p.segmentIndex,
          })),
          history: events.map((e) => ({ from: e.fromStage, to: e.toStage, at: iso(e.at)!, actor: e.actor })),
          signals: signals.map((s) => ({ stage: s.stage, recordingId: s.recordingId, segment: s.segmentIndex, evidence: s.evidence, reason: s.reason })),
        };
      },
    },
    toDto: (l) => ({
      id: l.externalId,
      title: l.title,
      customerId: l.customerExternalId,
      ownerRepId: l.ownerRepExternalId,
      stage: l.stage,
      stageEnteredAt: l.stageEnteredAt.toISOString(),
      amount: l.amount,
      createdAt: l.createdAt.toISOString(),
      updatedAt: l.updatedAt.toISOString(),
    }),
  }, auditTo(ctx));
}
