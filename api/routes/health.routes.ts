import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';

const Check = Type.Union([Type.Literal('ok'), Type.String()]);

async function check(fn: () => Promise<void>, ms = 2000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), ms)))]);
    return 'ok';
  } catch (err) {
    return `unavailable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process answers. /readyz: Postgres and Redis answer too (load balancers route on this). */
const health: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], security: [], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  const Ready = Type.Object({ status: Type.String(), checks: Type.Object({ postgres: Check, redis: Check }) });
  app.get(
    '/readyz',
    { schema: { tags: ['health'], security: [], response: { 200: Ready, 503: Ready } } },
    async (_req, reply) => {
      const [postgres, redis] = await Promise.all([check(() => ctx.dbHandle.ping()), check(() => ctx.queue.ping())]);
      const ok = postgres === 'ok' && redis === 'ok';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: { postgres, redis } });
    },
  );
};
export default health;
