import '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { InvalidInputError } from '../../core/errors.ts';
import { ATTACHMENT_KINDS } from '../../leads/checkpoints.ts';
import { addAttachment, changeStage, decideProposal, leadStagePage, loadLead } from '../../leads/service/stage.service.ts';
import { STAGE_IDS, type StageId } from '../../core/stages.ts';
import type { AppContext } from '../context.ts';
import { fileNameOf, limitedFile } from '../multipart-guard.ts';
import { principalOf } from '../plugins/auth.ts';
import { CrmId, errors, StringEnum } from '../schemas.ts';
import { leadDeps } from './leads-deps.ts';

const Params = Type.Object({ id: CrmId });
const tags = ['leads-stage'];

const CheckpointFailed = Type.Object({
  error: Type.Object({
    code: Type.Literal('checkpoint_failed'),
    message: Type.String(),
    missing: Type.Array(
      Type.Object({ stage: Type.String(), requirement: Type.String(), label: Type.String(), acceptedKinds: Type.Array(Type.String()) }),
    ),
  }),
  requestId: Type.String(),
});

/**
 * Lead stage routes of the leads module: the stage page (history with dwell, proposals, evidence, tasks), stage
 * changes through the checkpoints (422 listing what is missing), evidence uploads and proposal decisions.
 * Rep keys act only on their own leads (the authorization matrix's `own-lead`).
 */
const leadsStage: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const deps = (req: FastifyRequest) => leadDeps(ctx, req);
  const actorOf = (req: FastifyRequest) => {
    const p = principalOf(req);
    return p.repExternalId ?? `${p.role}:${p.keyId.slice(0, 8)}`;
  };

  app.get(
    '/v1/leads/:id/stage',
    {
      schema: { tags, summary: '线索阶段页：阶段、停留时长、历史、对话建议、凭证、任务 / lead stage page', params: Params, ...errorsOnly(401, 403, 404) },
    },
    async (req) => {
      return leadStagePage(deps(req), principalOf(req).tenantId, req.params.id);
    },
  );

  app.post(
    '/v1/leads/:id/stage',
    {
      schema: {
        tags,
        summary: '变更线索阶段（含卡点校验） / move a lead to a stage',
        description: '方案已阅需阅读回执凭证；法务初审中需营业执照、授权书、技术协议。缺少时返回 422 并列出缺少项。',
        params: Params,
        body: Type.Object({
          to: StringEnum(STAGE_IDS),
          at: Type.Optional(Type.String({ format: 'date-time' })),
          amount: Type.Optional(Type.Number({ minimum: 0 })),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: {
          200: Type.Object({ from: Type.String(), to: Type.String(), at: Type.String() }),
          422: CheckpointFailed,
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const at = req.body.at ? new Date(req.body.at) : undefined;
      if (at && at.getTime() > Date.now() + 5 * 60_000) throw new InvalidInputError('validation_error', '阶段变更时间不能在未来 / at must not be in the future');
      return changeStage(deps(req), principalOf(req).tenantId, req.params.id, req.body.to as StageId, {
          actor: actorOf(req),
          at,
          amount: req.body.amount ?? null,
          note: req.body.note ?? null,
        });
    },
  );

  app.post(
    '/v1/leads/:id/attachments',
    {
      schema: {
        tags,
        summary: '上传线索凭证附件 / upload evidence for a lead',
        description: `multipart/form-data: 字段 kind（${ATTACHMENT_KINDS.join(' | ')}）须在 file 之前，或用查询参数 ?kind=。`,
        consumes: ['multipart/form-data'],
        params: Params,
        querystring: Type.Object({ kind: Type.Optional(StringEnum(ATTACHMENT_KINDS)) }),
        ...errorsOnly(400, 401, 403, 404, 413, 415),
      },
    },
    async (req, reply) => {
      await loadLead(deps(req), principalOf(req).tenantId, req.params.id);
      let kind = req.query.kind as string | undefined;
      let saved = null;
      for await (const part of req.parts({ limits: { fileSize: ctx.config.ATTACHMENT_LIMIT_BYTES, files: 1, fields: 5, fieldSize: 200 } })) {
        if (part.type === 'field') {
          if (part.fieldname === 'kind') kind = String(part.value);
          continue;
        }
        if (!kind) {
          part.file.resume();
          throw new InvalidInputError('validation_error', '缺少附件类型 kind（须在文件之前） / kind must come before the file');
        }
        saved = await addAttachment({ ...deps(req), storage: ctx.storage }, principalOf(req).tenantId, req.params.id, {
          kind,
          fileName: fileNameOf(part, 'attachment'),
          contentType: part.mimetype || null,
          // Over the limit the stream fails, so no truncated copy is stored and none counts for a checkpoint.
          body: limitedFile(part, ctx.config.ATTACHMENT_LIMIT_BYTES),
          uploadedBy: actorOf(req),
        });
      }
      if (!saved) throw new InvalidInputError('missing_file', '缺少文件字段 file / the multipart body has no file');
      return reply.status(201).send(saved);
    },
  );

  for (const decision of ['confirm', 'reject'] as const) {
    app.post(
      `/v1/leads/:id/proposals/:proposalId/${decision}`,
      {
        schema: {
          tags,
          summary: decision === 'confirm' ? '确认对话阶段建议（执行阶段变更） / confirm a stage proposal' : '驳回对话阶段建议 / reject a stage proposal',
          params: Type.Object({ id: CrmId, proposalId: Type.String({ format: 'uuid' }) }),
          response: {
            200: Type.Object({ proposalId: Type.String(), decision: Type.String(), stage: Type.String() }),
            422: CheckpointFailed,
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (req, reply) => {
        return decideProposal(deps(req), principalOf(req).tenantId, req.params.id, req.params.proposalId, decision === 'confirm' ? 'confirmed' : 'rejected', actorOf(req));
      },
    );
  }
};

/** Error responses only: the 2xx body is documented in the summary and left unschematised (it is rich and nested). */
function errorsOnly(...statuses: number[]) {
  return { response: errors(...statuses) };
}

export default leadsStage;
