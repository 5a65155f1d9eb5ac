import '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { InvalidInputError, ForbiddenError, NotFoundError, ConflictError, DependencyUnavailableError } from '../../core/errors.ts';
import { type RecordingView } from '../../db/repositories/recordings.repository.ts';
import { isUuid } from '../../core/ids.ts';
import { RECORDING_STATUSES } from '../../db/schema.ts';
import { registerRecording, storeBody, type StoredBody } from '../../ingest/intake.ts';
import { loadLexicon } from '../../lexicons/index.ts';
import { queuePorts } from '../../workers/ports.ts';
import type { AppContext } from '../context.ts';
import { assertRepOwnsLead } from '../authorization.ts';
import { fileNameOf, limitedFile } from '../multipart-guard.ts';
import { principalOf, recordingScope } from '../plugins/auth.ts';
import { CrmId, errors, iso, StringEnum, type RecordingDto } from '../schemas.ts';

export function toRecordingDto(r: RecordingView): RecordingDto {
  return {
    id: r.id,
    repId: r.repExternalId,
    leadId: r.leadExternalId,
    customerId: r.customerExternalId,
    recordedAt: iso(r.recordedAt),
    originalName: r.originalName,
    byteSize: r.byteSize,
    sha256: r.sha256,
    kind: r.kind,
    durationSec: r.durationSec,
    status: r.status,
    stageTimes: {
      queuedAt: iso(r.queuedAt),
      normalizingAt: iso(r.normalizingAt),
      transcribingAt: iso(r.transcribingAt),
      analyzingAt: iso(r.analyzingAt),
      analyzedAt: iso(r.analyzedAt),
      failedAt: iso(r.failedAt),
    },
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : null,
    createdAt: r.createdAt.toISOString(),
  };
}

const CRM_ID_RE = /^[^\u0000-\u001f]{1,128}$/;
const IdParams = Type.Object({ id: Type.String() });
const UPLOAD_FIELDS = ['repId', 'leadId', 'customerId', 'recordedAt'] as const;
type UploadFields = Partial<Record<(typeof UPLOAD_FIELDS)[number], string>>;

function crmField(fields: UploadFields, name: keyof UploadFields): string | null {
  const v = fields[name]?.trim();
  if (!v) return null;
  if (!CRM_ID_RE.test(v)) throw new InvalidInputError('validation_error', `${name} 格式不对 / ${name} must be 1–128 printable characters`);
  return v;
}

/** Visits happen in this century; anything outside is a typo (or an attack on the date columns), not a visit. */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const LATEST = Date.parse('2100-01-01T00:00:00Z');

function parseRecordedAt(v: string | undefined): Date | null {
  if (!v) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || d.getTime() < EARLIEST || d.getTime() >= LATEST) {
    throw new InvalidInputError('invalid_recorded_at', 'recordedAt 须为 2000–2099 年内的 ISO 8601 时间 / recordedAt must be an ISO 8601 time between 2000 and 2099');
  }
  return d;
}

const recordings: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { repos, storage, config } = ctx;

  const load = async (req: FastifyRequest, id: string) => {
    const rec = await repos.recordings.getById(recordingScope(req), id);
    if (!rec) throw new NotFoundError('recording_not_found', '录音 recording not found / 未找到');
    return rec;
  };

  app.post(
    '/v1/recordings',
    {
      schema: {
        tags: ['recordings'],
        summary: '上传录音或文字稿 / upload a recording or transcript',
        description:
          'multipart/form-data: `file` (audio, or a .txt/.srt/.vtt/.json transcript) and fields `repId` (required ' +
          'except for rep keys), `leadId`, `customerId`, `recordedAt` (ISO 8601). Unknown CRM ids are created. ' +
          '202 = queued; 200 = the same file was already uploaded for this rep (the existing recording).',
        consumes: ['multipart/form-data'],
        // Documents the form for OpenAPI; the parts are read as a stream below, not validated as a parsed body.
        body: Type.Object({
          file: Type.String({ format: 'binary', description: '录音或文字稿 / audio or a .txt/.srt/.vtt/.json transcript' }),
          repId: Type.Optional(CrmId),
          leadId: Type.Optional(CrmId),
          customerId: Type.Optional(CrmId),
          recordedAt: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: Type.Ref('Recording'), 202: Type.Ref('Recording'), ...errors(400, 401, 403, 408, 413, 415, 503) },
      },
      validatorCompiler: () => () => true,
    },
    async (req, reply) => {
      const principal = principalOf(req);
      const fields: UploadFields = {};
      let stored: StoredBody | null = null;
      let fileName = 'upload';
      let contentType: string | null = null;
      try {
        for await (const part of req.parts({ limits: { fileSize: config.UPLOAD_LIMIT_BYTES, files: 1, fields: 20, fieldSize: 4096 } })) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') {
              part.file.resume();
              throw new InvalidInputError('validation_error', '文件字段须命名为 file / the file field must be named "file"');
            }
            fileName = fileNameOf(part, 'upload');
            // Streamed straight to storage, hashed on the way: the upload is never held in memory.
            stored = await storeBody(storage, principal.tenantId, limitedFile(part, config.UPLOAD_LIMIT_BYTES), config.UPLOAD_LIMIT_BYTES);
            contentType = part.mimetype || null;
          } else if ((UPLOAD_FIELDS as readonly string[]).includes(part.fieldname)) {
            fields[part.fieldname as keyof UploadFields] = String(part.value);
          }
        }
        if (!stored) throw new InvalidInputError('missing_file', '缺少文件字段 file / the multipart body has no "file" part');

        let repExternalId = crmField(fields, 'repId');
        if (principal.role === 'rep') {
          if (repExternalId && repExternalId !== principal.repExternalId) {
            throw new ForbiddenError('forbidden', '销售密钥只能上传自己的录音 / a rep key uploads only its own recordings');
          }
          repExternalId = principal.repExternalId;
        }
        if (!repExternalId) throw new InvalidInputError('validation_error', '缺少 repId / repId is required');
        const leadExternalId = crmField(fields, 'leadId');
        // A rep files recordings only under its own leads: another rep's lead would get proposals and tasks from it.
        await assertRepOwnsLead(repos, principal, leadExternalId);
        const meta = {
          repExternalId,
          leadExternalId,
          customerExternalId: crmField(fields, 'customerId'),
          recordedAt: parseRecordedAt(fields.recordedAt),
          originalName: fileName,
          contentType,
        };
        const toRegister = stored;
        stored = null; // registerRecording owns the file from here (it cleans up on failure)
        const result = await registerRecording({ repos, storage, pipeline: queuePorts(repos, ctx.queue).pipeline }, toRegister, meta);
        const view = await repos.recordings.getById({ tenantId: principal.tenantId }, result.recording.id);
        return reply.status(result.duplicate ? 200 : 202).send(toRecordingDto(view!));
      } catch (err) {
        const leftover = stored as StoredBody | null;
        if (leftover) await storage.delete(leftover.storageKey);
        throw err;
      }
    },
  );

  app.get(
    '/v1/recordings',
    {
      schema: {
        tags: ['recordings'],
        summary: '录音列表 / list recordings (newest first)',
        querystring: Type.Object({
          repId: Type.Optional(CrmId),
          leadId: Type.Optional(CrmId),
          status: Type.Optional(StringEnum(RECORDING_STATUSES)),
          since: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page' })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('Recording')), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => {
      const scope = recordingScope(req);
      const q = req.query;
      const filter: Parameters<typeof repos.recordings.list>[1] = {};
      if (q.repId) {
        const rep = await repos.reps.getByExternalId(scope.tenantId, q.repId);
        if (!rep) return { items: [], nextCursor: null };
        filter.repId = rep.id;
      }
      if (q.leadId) {
        const lead = await repos.leads.getByExternalId(scope.tenantId, q.leadId);
        if (!lead) return { items: [], nextCursor: null };
        filter.leadId = lead.id;
      }
      if (q.status) filter.status = q.status;
      if (q.since) filter.since = new Date(q.since);
      if (q.cursor) filter.before = decodeCursor(q.cursor);
      const limit = q.limit ?? 50;
      const rows = await repos.recordings.list(scope, filter, limit);
      const last = rows.at(-1);
      return {
        items: rows.map(toRecordingDto),
        nextCursor: rows.length === limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },
  );

  app.get(
    '/v1/recordings/:id',
    {
      schema: {
        tags: ['recordings'],
        summary: '录音状态 / recording status, stage times and error',
        params: IdParams,
        response: { 200: Type.Ref('Recording'), ...errors(401, 403, 404) },
      },
    },
    async (req) => toRecordingDto(await load(req, req.params.id)),
  );

  app.get(
    '/v1/recordings/:id/analysis',
    {
      schema: {
        tags: ['recordings'],
        summary: '分析结果 / the analysis, in the `tingjian analyze --json` result shape',
        params: IdParams,
        response: {
          200: Type.Object(
            {
              file: Type.String(),
              status: Type.Literal('ok'),
              kind: Type.String(),
              lexiconVersion: Type.String(),
              durationSec: Type.Union([Type.Number(), Type.Null()]),
              segments: Type.Array(Type.Object({}, { additionalProperties: true })),
              tagCounts: Type.Object({}, { additionalProperties: true }),
              commitments: Type.Array(Type.Object({}, { additionalProperties: true })),
              metrics: Type.Object({}, { additionalProperties: true }),
            },
            { additionalProperties: true },
          ),
          ...errors(401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const row = await repos.results.analysisForScope(recordingScope(req), req.params.id);
      if (!row) throw new NotFoundError('recording_not_found', '录音 recording not found / 未找到');
      if (row.status !== 'analyzed' || !row.resultJson) {
        throw new ConflictError('not_analyzed', `录音尚未分析完成（当前状态 ${row.status}）/ not analyzed yet (status ${row.status})`);
      }
      // Stored as the FileResult JSON already; a string payload skips re-serialization (the schema documents it).
      return reply.type('application/json; charset=utf-8').send(row.resultJson as never);
    },
  );

  app.get(
    '/v1/recordings/:id/audio',
    {
      schema: {
        tags: ['recordings'],
        summary: '标准化音频 (16 kHz WAV) / normalized audio for playback; supports Range',
        params: IdParams,
        produces: ['audio/wav'],
        response: { ...errors(401, 403, 404, 416) },
      },
    },
    async (req, reply) => {
      const rec = await load(req, req.params.id);
      if (!rec.normalizedKey) {
        throw new NotFoundError('audio_not_available', '此录音没有可播放的音频（文字稿或尚未处理）/ no normalized audio for this recording');
      }
      const size = await storage.size(rec.normalizedKey);
      reply.header('accept-ranges', 'bytes').header('content-type', 'audio/wav');
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) return reply.header('content-length', size).send(storage.get(rec.normalizedKey));
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start > end || start >= size) {
        reply.header('content-range', `bytes */${size}`);
        throw new InvalidInputError('range_not_satisfiable', 'Range 超出文件大小 / range outside the file');
      }
      return reply
        .status(206)
        .header('content-range', `bytes ${start}-${end}/${size}`)
        .header('content-length', end - start + 1)
        .send(storage.get(rec.normalizedKey, { start, end }));
    },
  );

  app.post(
    '/v1/recordings/reanalyze',
    {
      schema: {
        tags: ['recordings'],
        summary: '词库更新后重新分析 / re-run analysis (not transcription) on recordings analyzed with an older lexicon',
        body: Type.Object({ all: Type.Optional(Type.Boolean({ default: false, description: 'every analyzed recording, not only stale ones' })) }),
        response: { 202: Type.Object({ queued: Type.Integer(), lexiconVersion: Type.String() }), ...errors(401, 403, 503) },
      },
    },
    async (req, reply) => {
      const { tenantId } = principalOf(req);
      const version = loadLexicon().version;
      const all = req.body?.all ?? false;
      // The count answers now; the reanalyze-tenant job walks and queues the recordings in pages.
      const queued = await repos.results.countStaleAnalyses(tenantId, version, all);
      try {
        if (queued) await ctx.queue.enqueue('reanalyze-tenant', { tenantId, lexiconVersion: version, all, requestedAt: Date.now() });
      } catch (err) {
        throw new DependencyUnavailableError('queue_unavailable', '任务队列暂不可用，请稍后重试 / the job queue is unavailable, retry later', { cause: err });
      }
      return reply.status(202).send({ queued, lexiconVersion: version });
    },
  );

  app.post(
    '/v1/recordings/:id/reprocess',
    {
      schema: {
        tags: ['recordings'],
        summary: '重新处理 / run the whole pipeline again (e.g. after a lexicon update)',
        params: IdParams,
        response: { 202: Type.Ref('Recording'), ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (req, reply) => {
      const scope = recordingScope(req);
      const existing = await repos.recordings.getById(scope, req.params.id);
      if (existing?.audioPurgedAt && existing.kind !== 'transcript') {
        throw new ConflictError('audio_purged', '录音文件已按保存期限删除，无法重新处理 / the audio was deleted under the retention setting: it cannot be reprocessed');
      }
      // requeue is scoped like load(): not visible to this key = no row = 404, in one query.
      const row = isUuid(req.params.id) ? await repos.recordings.requeue(scope, req.params.id) : undefined;
      if (!row) throw new NotFoundError('recording_not_found', '录音 recording not found / 未找到');
      try {
        await queuePorts(repos, ctx.queue).pipeline.start(row);
      } catch (err) {
        await repos.recordings.markFailed(row.id, 'queue_unavailable', '任务队列不可用，请稍后再次重新处理 / queue unavailable: reprocess again later');
        throw new DependencyUnavailableError('queue_unavailable', '任务队列暂不可用，请稍后重试 / the job queue is unavailable, retry later', { cause: err });
      }
      return reply.status(202).send(toRecordingDto((await repos.recordings.getById(scope, row.id))!));
    },
  );
};

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new InvalidInputError('validation_error', 'cursor 无效 / invalid cursor');
  }
  return { createdAt, id };
}

export default recordings;
