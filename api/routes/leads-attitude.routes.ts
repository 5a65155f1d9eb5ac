import '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DependencyUnavailableError, ForbiddenError, InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import type { ImportRow } from '../../db/repositories/imports.repository.ts';
import { storeBody } from '../../ingest/intake.ts';
import { zipEntries } from '../../ingest/zip-inspect.ts';
import { attitudeHeatMap, MAX_REPORTED_ERRORS, recordAttitude } from '../../leads/service/attitude.service.ts';
import { actorOf, assertRepOwnsCustomer } from '../authorization.ts';
import { fileNameOf, limitedFile } from '../multipart-guard.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { CrmId, Day, errors } from '../schemas.ts';
import { leadDeps } from './leads-deps.ts';

const ImportDto = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'queued | running | done | failed' }),
  rows: Type.Object({ read: Type.Integer(), imported: Type.Integer(), failed: Type.Integer() }),
  errors: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String(), message: Type.String() }), { description: `the first ${MAX_REPORTED_ERRORS} bad rows` }),
  errorsTruncated: Type.Boolean(),
  redFlags: Type.Integer({ description: '新出现的红色预警数 / red flags raised (see /v1/attitude/heatmap)' }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

/** A summary, never an echo of the workbook: counts, the first bad rows by number and code. */
function importDto(i: ImportRow) {
  return {
    id: i.id,
    status: i.status,
    rows: { read: i.rowsRead, imported: i.rowsImported, failed: i.rowsFailed },
    errors: i.errors,
    errorsTruncated: i.rowsFailed > i.errors.length,
    redFlags: i.redFlags,
    error: i.errorCode ? { code: i.errorCode, message: i.errorMessage ?? '' } : null,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt?.toISOString() ?? null,
  };
}

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
        summary: '导入销售日报 Excel（.xlsx），后台处理 / import a 销售日报 workbook (queued)',
        description:
          '表头需含：日期、销售、客户（或客户名称）、客户态度；可选：关键进展、互动次数。202 返回导入任务，进度与结果见 ' +
          'GET /v1/attitude-reports/imports/{id}（错误行单独列出，不影响其他行）。超过 EXCEL_LIMIT_BYTES 或解压后超过 ' +
          'EXCEL_MAX_UNCOMPRESSED_BYTES 的工作簿在上传时即被拒绝（413）。',
        consumes: ['multipart/form-data'],
        response: { 202: ImportDto, ...errors(400, 401, 403, 413, 415, 503) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const { config, storage, repos } = ctx;
      const part = await req.file({ limits: { fileSize: config.EXCEL_LIMIT_BYTES, files: 1, fields: 5 } });
      if (!part) throw new InvalidInputError('missing_file', '缺少文件 / the multipart body has no file');
      fileNameOf(part, 'report.xlsx');
      const stored = await storeBody(storage, p.tenantId, limitedFile(part, config.EXCEL_LIMIT_BYTES), config.EXCEL_LIMIT_BYTES);
      try {
        // Judged from the archive's own directory before anything is inflated; the job checks the real sizes.
        await zipEntries(await storage.localPath(stored.storageKey), { maxUncompressedBytes: config.EXCEL_MAX_UNCOMPRESSED_BYTES });
        const imp = await repos.imports.create({ tenantId: p.tenantId, storageKey: stored.storageKey, byteSize: stored.byteSize, createdBy: actorOf(p) });
        try {
          await ctx.queue.enqueue('attitude-import', { importId: imp.id });
        } catch (err) {
          await repos.imports.finish(imp.id, { status: 'failed', code: 'queue_unavailable', message: '任务队列不可用 / queue unavailable' });
          throw new DependencyUnavailableError('queue_unavailable', '任务队列暂不可用，请稍后重试 / the job queue is unavailable, retry later', { cause: err });
        }
        return reply.status(202).send(importDto(imp));
      } catch (err) {
        await storage.delete(stored.storageKey);
        throw err;
      }
    },
  );

  app.get(
    '/v1/attitude-reports/imports/:id',
    {
      schema: {
        tags: ['attitude'],
        summary: '销售日报导入进度与结果 / progress and summary of a workbook import',
        params: Type.Object({ id: Type.String() }),
        response: { 200: ImportDto, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const imp = isUuid(req.params.id) ? await ctx.repos.imports.getById(principalOf(req).tenantId, req.params.id) : undefined;
      if (!imp) throw new NotFoundError('import_not_found', '导入任务 import not found / 未找到');
      return importDto(imp);
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
