import { randomUUID } from 'node:crypto';
import http from 'node:http';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { AppContext } from './context.ts';
import auth from './plugins/auth.ts';
import bullBoard from './plugins/bull-board.ts';
import docs from './plugins/docs.ts';
import errors from './plugins/errors.ts';
import securityHeaders from './plugins/security-headers.ts';
import { registerRoutes } from './routes/index.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** TRUST_PROXY as Fastify takes it: true/false, a hop count, or a comma-separated list of proxy addresses. */
function trustProxy(v: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return (_address, hop) => hop < Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

export interface BuildAppOptions {
  /** pino options or false; tests pass false. */
  logger?: boolean | object;
}

/** The Fastify app in the fastify/demo shape: external plugins, app plugins, then routes by URL path. */
export async function buildApp(ctx: AppContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    logger: opts.logger ?? { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    // The caller's x-request-id is echoed and logged, so only a plain token is taken over; anything else gets ours.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    },
    trustProxy: trustProxy(config.TRUST_PROXY),
    // A slow body (one byte every few seconds) must not hold a connection: a limit between bytes and for the whole request.
    serverFactory: ((handler: http.RequestListener) =>
      http.createServer(
        {
          requestTimeout: config.REQUEST_TIMEOUT_MS,
          headersTimeout: Math.min(30_000, config.REQUEST_TIMEOUT_MS),
          // Node checks the request timeout on this interval; a coarse one would let slow bodies live 30 s longer.
          connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.REQUEST_TIMEOUT_MS / 4))),
        },
        handler,
      )) as FastifyServerFactory,
    connectionTimeout: config.IDLE_TIMEOUT_MS,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true } },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(errors);
  await app.register(securityHeaders);
  await app.register(multipart, { limits: { fileSize: config.UPLOAD_LIMIT_BYTES, files: 1 } });
  await app.register(docs);
  await app.register(auth, { ctx });
  await app.register(bullBoard, { ctx });
  await registerRoutes(app, ctx);
  return app;
}
