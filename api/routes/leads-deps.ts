import type { FastifyRequest } from 'fastify';
import type { LeadDeps } from '../../leads/service/deps.ts';
import type { AppContext } from '../context.ts';

/** The leads services' dependencies from the API context, logging through the request's logger. */
export function leadDeps(ctx: AppContext, req: FastifyRequest): LeadDeps {
  return { repos: ctx.repos, queue: ctx.queue, config: ctx.config, log: req.log };
}
