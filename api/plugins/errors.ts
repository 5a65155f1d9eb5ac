import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorCode } from '../../core/error-codes.ts';
import { AppError, isAppError, type ErrorKind } from '../../core/errors.ts';
import { CheckpointError, type MissingRequirement } from '../../leads/checkpoints.ts';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; missing?: MissingRequirement[] };
  requestId: string;
}

/** The one place an error's kind becomes an HTTP status. */
const STATUS: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  // The request was well-formed but its content cannot be processed (not audio, a damaged file).
  unsupported_media: 422,
  // A stage move that lacks evidence: the body lists what is missing.
  checkpoint: 422,
  configuration: 500,
  dependency_unavailable: 503,
};

/** Codes whose HTTP meaning is more specific than their kind's. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = { range_not_satisfiable: 416 };

export function statusOf(err: AppError): number {
  return STATUS_BY_CODE[err.code] ?? STATUS[err.kind];
}

const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03']);

/** Maps any error to a status and `{ error: { code, message } }`; 5xx answers never leak internals. */
function toHttp(err: FastifyError & { cause?: unknown }): { status: number; error: ErrorBody['error'] } {
  if (isAppError(err)) {
    const error: ErrorBody['error'] = { code: err.code, message: err.message };
    if (err instanceof CheckpointError) error.missing = err.missing;
    return { status: statusOf(err), error };
  }
  const multipart = multipartError(err);
  if (multipart) return { status: 400, error: multipart };
  if (err.code === 'FST_REQ_FILE_TOO_LARGE' || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
    return { status: 413, error: { code: 'file_too_large', message: '文件超过上传上限 / the upload exceeds the size limit' } };
  }
  if (err.validation) return { status: 400, error: { code: 'validation_error', message: err.message } };
  if (err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return { status: 415, error: { code: 'not_multipart', message: '请以 multipart/form-data 上传 / send multipart/form-data' } };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, error: { code: 'bad_request', message: err.message } };
  }
  const code = String(err.code ?? (err.cause as { code?: string } | undefined)?.code ?? '');
  if (DB_DOWN_CODES.has(code)) {
    return { status: 503, error: { code: 'database_unavailable', message: '数据库暂不可用，请稍后重试 / database unavailable, retry later' } };
  }
  return { status: 500, error: { code: 'internal_error', message: '服务器内部错误 / internal server error' } };
}

/**
 * Malformed multipart bodies surface as busboy's plain Errors or @fastify/multipart's limit errors; each gets a code
 * that says what to fix instead of a 500 or a misleading file_too_large.
 */
function multipartError(err: FastifyError): ErrorBody['error'] | null {
  if (err.code === 'FST_FILES_LIMIT') return { code: 'too_many_files', message: '一次只能上传一个文件 / send one file per request' };
  if (err.code === 'FST_FIELDS_LIMIT' || err.code === 'FST_PARTS_LIMIT') {
    return { code: 'too_many_fields', message: '表单字段过多 / too many form fields: send only the documented ones' };
  }
  if (err.statusCode) return null;
  if (/boundary not found/i.test(err.message)) {
    return { code: 'multipart_boundary_missing', message: 'Content-Type 缺少 boundary / multipart/form-data needs a boundary parameter' };
  }
  if (/unexpected end of (form|multipart)|malformed part header|part terminated early/i.test(err.message)) {
    return { code: 'multipart_truncated', message: '上传内容不完整，请重新上传 / the multipart body ended early: upload it again' };
  }
  return null;
}

/**
 * For hooks that run inside plugins with their own error handler (bull-board): answer directly in our shape instead
 * of throwing into a handler we do not control.
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const body: ErrorBody = { error: { code: err.code, message: err.message }, requestId: String(req.id) };
  return reply.status(statusOf(err)).send(body);
}

export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, error } = toHttp(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: error.code }, error.message);
    const body: ErrorBody = { error, requestId: String(req.id) };
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = {
      error: { code: 'route_not_found', message: `没有这个接口 / no route ${req.method} ${req.url.split('?')[0]}` },
      requestId: String(req.id),
    };
    return reply.status(404).send(body);
  });
});
