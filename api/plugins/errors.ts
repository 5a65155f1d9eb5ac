import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isAppError, type AppError } from '../../core/errors.ts';

export interface ErrorBody {
  error: { code: string; message: string };
  requestId: string;
}

const DB_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P03']);

/** Maps any error to `{ error: { code, message }, requestId }`; 5xx answers never leak internals. */
function toHttp(err: FastifyError & { cause?: unknown }): { status: number; code: string; message: string } {
  if (isAppError(err)) return { status: err.status, code: err.code, message: err.message };
  if (err.code === 'FST_REQ_FILE_TOO_LARGE' || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
    return { status: 413, code: 'file_too_large', message: '文件超过上传上限 / the upload exceeds the size limit' };
  }
  if (err.validation) return { status: 400, code: 'validation_error', message: err.message };
  if (err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return { status: 415, code: 'not_multipart', message: '请以 multipart/form-data 上传 / send multipart/form-data' };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, code: 'bad_request', message: err.message };
  }
  const code = String(err.code ?? (err.cause as { code?: string } | undefined)?.code ?? '');
  if (DB_DOWN_CODES.has(code)) {
    return { status: 503, code: 'database_unavailable', message: '数据库暂不可用，请稍后重试 / database unavailable, retry later' };
  }
  return { status: 500, code: 'internal_error', message: '服务器内部错误 / internal server error' };
}

/**
 * For hooks that run inside plugins with their own error handler (bull-board): answer directly in our shape instead
 * of throwing into a handler we do not control.
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const body: ErrorBody = { error: { code: err.code, message: err.message }, requestId: String(req.id) };
  return reply.status(err.status).send(body);
}

export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, code, message } = toHttp(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code }, message);
    const body: ErrorBody = { error: { code, message }, requestId: String(req.id) };
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
