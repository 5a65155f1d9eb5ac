import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';
import auth from './plugins/auth.ts';
import bullBoard from './plugins/bull-board.ts';
import docs from './plugins/docs.ts';
import errors from './plugins/errors.ts';
import { registerRoutes } from './routes/index.ts';
import { SHARED_SCHEMAS } from './schemas.ts';

export interface BuildAppOptions {
  /** pino options or false; tests pass false. */
  logger?: boolean | object;
}

/** The Fastify app in the fastify/demo shape: external plugins, app plugins, then routes by URL path. */
export async function buildApp(ctx: AppContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: ctx.config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true } },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(errors);
  await app.register(multipart, { limits: { fileSize: ctx.config.UPLOAD_LIMIT_BYTES, files: 1 } });
  await app.register(docs);
  await app.register(auth, { ctx });
  await app.register(bullBoard, { ctx });
  await registerRoutes(app, ctx);
  return app;
}
