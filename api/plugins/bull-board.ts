import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Queue dashboard for admins at /admin/queues (auth and the admin-only rule come from the auth plugin). */
export default async function bullBoard(app: FastifyInstance, opts: { ctx: AppContext }) {
  const queues = opts.ctx.queue.allQueues?.() ?? [];
  if (!queues.length) return;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/admin/queues');
  // @bull-board/fastify pins an older @bull-board/api patch release than the one installed; the adapter is the same.
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as never });
  // Admins only: the authorization matrix (api/authorization.ts) covers every route under /admin/queues.
  await app.register(async (scope) => scope.register(serverAdapter.registerPlugin()), { prefix: '/admin/queues' });
}
