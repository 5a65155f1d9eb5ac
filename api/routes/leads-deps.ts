import type { FastifyRequest } from 'fastify';
import type { LeadDeps } from '../../leads/service/deps.ts';
import { queuePorts } from '../../workers/ports.ts';
import type { AppContext } from '../context.ts';

/** The leads services' dependencies from the API context, logging through the request's logger. */
export function leadDeps(ctx: AppContext, req: FastifyRequest): LeadDeps {
  const { scheduler, events } = queuePorts(ctx.repos, ctx.queue);
  return { repos: ctx.repos, config: ctx.config, log: req.log, scheduler, events };
}
