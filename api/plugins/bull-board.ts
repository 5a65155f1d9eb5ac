import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../../core/errors.ts';
import type { AppContext } from '../context.ts';
import { sendError } from './errors.ts';

/** Queue dashboard for admins at /admin/queues (auth runs in the onRequest hook of the auth plugin). */
export default async function bullBoard(app: FastifyInstance, opts: { ctx: AppContext }) {
  const queues = opts.ctx.queue.allQueues?.() ?? [];
  if (!queues.length) return;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/admin/queues');
  // @bull-board/fastify pins an older @bull-board/api patch release than the one installed; the adapter is the same.
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as never });
  await app.register(
    async (scope) => {
      scope.addHook('preHandler', async (req, reply) => {
        if (req.principal?.role !== 'admin') return sendError(req, reply, new ForbiddenError('forbidden', '仅管理员可查看队列 / admins only'));
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: '/admin/queues' },
  );
}
