import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { eraseRecordings } from '../../ingest/erasure.ts';
import { actorOf } from '../authorization.ts';
import type { AppContext } from '../context.ts';
import { principalOf, recordingScope } from '../plugins/auth.ts';
import { errors, Nullable } from '../schemas.ts';

const IdParams = Type.Object({ id: Type.String() });
const Days = Nullable(Type.Integer({ minimum: 1, maximum: 36_500 }));

/**
 * Personal data: transcripts as everyone reads them (redacted) and as only an admin may, on request and audited;
 * erasure of a recording; the tenant's retention setting; the audit log.
 */
const privacy: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { repos } = ctx;

  app.get(
    '/v1/recordings/:id/transcript',
    {
      schema: {
        tags: ['privacy'],
        summary: '转写文本（已隐去身份证号、手机号、银行卡号、邮箱）/ the transcript, personal data redacted',
        params: IdParams,
        response: { ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const rec = await repos.recordings.getById(recordingScope(req), req.params.id);
      const t = rec && (await repos.results.getTranscript(rec.tenantId, rec.id));
      if (!t) throw new NotFoundError('recording_not_found', '录音或转写 recording or transcript not found / 未找到');
      return { recordingId: rec.id, source: t.source, redactions: t.redactions, segments: t.segments };
    },
  );

  app.get(
    '/v1/recordings/:id/transcript/original',
    {
      schema: {
        tags: ['privacy'],
        summary: '未隐去个人信息的原始转写（仅管理员，每次读取记入审计日志）/ the unredacted transcript: admins only, audited',
        params: IdParams,
        response: { ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const rec = await repos.recordings.getById({ tenantId: p.tenantId }, req.params.id);
      if (!rec) throw new NotFoundError('recording_not_found', '录音 recording not found / 未找到');
      const original = await repos.results.originalSegments(p.tenantId, rec.id);
      if (!original) throw new NotFoundError('no_original', '该录音没有被隐去的内容 / nothing was redacted in this recording');
      // Written before the answer: a read that cannot be audited does not happen.
      await repos.audit.record({ tenantId: p.tenantId, actor: actorOf(p), action: 'pii.read_original', targetType: 'recording', targetId: rec.id, detail: { requestId: req.id } });
      return { recordingId: rec.id, segments: original };
    },
  );

  app.delete(
    '/v1/recordings/:id',
    {
      schema: {
        tags: ['privacy'],
        summary: '删除录音及其转写、分析、行为事件、跟进任务与文件 / erase a recording with everything derived from it',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const out = await eraseRecordings(ctx, p.tenantId, { ids: [req.params.id] });
      if (!out.recordings) throw new NotFoundError('recording_not_found', '录音 recording not found / 未找到');
      await repos.audit.record({ tenantId: p.tenantId, actor: actorOf(p), action: 'recording.erase', targetType: 'recording', targetId: req.params.id, detail: out });
      return reply.status(204).send(null);
    },
  );

  const Retention = Type.Object({
    audioDays: Type.Optional(Days),
    transcriptDays: Type.Optional(Days),
  });
  const view = (r: { audioDays: number | null; transcriptDays: number | null } | undefined) => ({ audioDays: r?.audioDays ?? null, transcriptDays: r?.transcriptDays ?? null });

  app.get(
    '/v1/retention',
    { schema: { tags: ['privacy'], summary: '保存期限 / how long recordings are kept (null = forever)', response: { 200: Retention, ...errors(401, 403) } } },
    async (req) => view(await repos.tenants.retention(principalOf(req).tenantId)),
  );

  app.put(
    '/v1/retention',
    {
      schema: {
        tags: ['privacy'],
        summary: '设置保存期限（每日任务执行）/ set retention, enforced by a daily job',
        description: 'audioDays: 录音文件在拜访后保留的天数；transcriptDays: 整条录音（转写、分析、派生任务）保留的天数。null 为永久。',
        body: Retention,
        response: { 200: Retention, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const current = view(await repos.tenants.retention(p.tenantId));
      const next = { audioDays: req.body.audioDays === undefined ? current.audioDays : req.body.audioDays, transcriptDays: req.body.transcriptDays === undefined ? current.transcriptDays : req.body.transcriptDays };
      if (next.audioDays && next.transcriptDays && next.transcriptDays < next.audioDays) {
        throw new InvalidInputError('invalid_retention', 'transcriptDays 不能短于 audioDays（删除录音时音频一并删除）/ transcriptDays must not be shorter than audioDays');
      }
      const saved = await repos.tenants.saveRetention(p.tenantId, next);
      await repos.audit.record({ tenantId: p.tenantId, actor: actorOf(p), action: 'retention.set', targetType: 'tenant', targetId: p.tenantId, detail: next });
      return view(saved);
    },
  );

  app.get(
    '/v1/audit',
    {
      schema: {
        tags: ['privacy'],
        summary: '审计日志：谁读取了原始个人信息、谁删除了什么 / who read personal data and who erased what',
        querystring: Type.Object({
          action: Type.Optional(Type.String({ maxLength: 64 })),
          before: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const rows = await repos.audit.list(principalOf(req).tenantId, {
        limit: req.query.limit ?? 100,
        before: req.query.before ? new Date(req.query.before) : undefined,
        action: req.query.action,
      });
      return { items: rows.map((r) => ({ at: r.at.toISOString(), actor: r.actor, action: r.action, target: { type: r.targetType, id: r.targetId }, detail: r.detail })) };
    },
  );
};

export default privacy;
