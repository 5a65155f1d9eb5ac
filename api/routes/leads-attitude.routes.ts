import '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvalidInputError, ForbiddenError } from '../../core/errors.ts';
import { attitudeHeatMap, importDailyReport, recordAttitude } from '../../leads/service/attitude.service.ts';
import { assertRepOwnsCustomer } from '../authorization.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { CrmId, Day, errors } from '../schemas.ts';
import { leadDeps } from './leads-deps.ts';

const EXCEL_LIMIT_BYTES = 5 * 1024 * 1024;

/** Customer attitude from reps' daily reports (JSON or 销售日报 Excel) and the heat map with red flags. */
const attitude: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/attitude-reports',
    {
      schema: {
        tags: ['attitude'],
        summary: '提交销售日报中的客户态度（1–5 分） / submit daily attitude scores',
        body: Type.Object({
          reports: Type.Array(
            Type.Object({
              day: Day,
              repId: Type.Optional(CrmId),
              customerId: CrmId,
              customerName: Type.Optional(Type.String({ maxLength: 200 })),
              score: Type.Integer({ minimum: 1, maximum: 5 }),
              progress: Type.Optional(Type.String({ maxLength: 2000 })),
              interactions: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            }),
            { minItems: 1, maxItems: 1000 },
          ),
        }),
        response: errors(400, 401, 403),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const reports = req.body.reports.map((r) => {
        if (p.role === 'rep') {
          if (r.repId && r.repId !== p.repExternalId) throw new ForbiddenError('forbidden', '销售密钥只能提交自己的日报 / a rep key reports only for itself');
          return { ...r, repId: p.repExternalId! };
        }
        if (!r.repId) throw new InvalidInputError('validation_error', '缺少 repId / repId is required');
        return { ...r, repId: r.repId };
      });
      // A rep scores only its own customers (a lead or a visit with them, or a customer new to the tenant).
      await assertRepOwnsCustomer(ctx.repos, p, reports.map((r) => r.customerId));
      const out = await recordAttitude(leadDeps(ctx, req), p.tenantId, reports);
      return reply.status(201).send(out);
    },
  );

  app.post(
    '/v1/attitude-reports/import',
    {
      schema: {
        tags: ['attitude'],
        summary: '导入销售日报 Excel（.xlsx） / import a 销售日报 workbook',
        description: '表头需含：日期、销售、客户（或客户名称）、客户态度；可选：关键进展、互动次数。错误行单独列出，不影响其他行。',
        consumes: ['multipart/form-data'],
        response: errors(400, 401, 403, 413, 415),
      },
    },
    async (req) => {
      const file = await req.file({ limits: { fileSize: EXCEL_LIMIT_BYTES, files: 1 } });
      if (!file) throw new InvalidInputError('missing_file', '缺少文件 / the multipart body has no file');
      const buffer = await file.toBuffer();
      return importDailyReport(leadDeps(ctx, req), principalOf(req).tenantId, buffer);
    },
  );

  app.get(
    '/v1/attitude/heatmap',
    {
      schema: {
        tags: ['attitude'],
        summary: '客户情绪趋势热力图与红色预警（连续 3 天 ≤ 2 分） / attitude heat map and red flags',
        querystring: Type.Object({ from: Day, to: Day, team: Type.Optional(Type.String({ maxLength: 128 })) }),
        response: errors(400, 401, 403),
      },
    },
    async (req) => attitudeHeatMap(leadDeps(ctx, req), principalOf(req).tenantId, req.query),
  );
};

export default attitude;
