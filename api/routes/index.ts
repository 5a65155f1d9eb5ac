import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { customersRoutes } from './customers.routes.ts';
import health from './health.routes.ts';
import { leadsRoutes } from './leads.routes.ts';
import recordings from './recordings.routes.ts';
import { repsRoutes } from './reps.routes.ts';
import webhooks from './webhooks.routes.ts';
import leadsAttitude from './leads-attitude.routes.ts';
import leadsFollowups from './leads-followups.routes.ts';
import leadsHandover from './leads-handover.routes.ts';
import leadsStage from './leads-stage.routes.ts';
import phi from './phi.routes.ts';
import reports from './reports.routes.ts';
import mining from './mining.routes.ts';
import privacy from './privacy.routes.ts';

/** Every route plugin, by URL path. Add a module's routes here (e.g. the leads module's stage routes). */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(health, { ctx });
  await app.register(recordings, { ctx });
  // Personal data: redacted and original transcripts, erasure, retention, the audit log.
  await app.register(privacy, { ctx });
  await app.register(repsRoutes(ctx));
  await app.register(customersRoutes(ctx));
  await app.register(leadsRoutes(ctx));
  await app.register(webhooks, { ctx });
  // Leads module (leads/): stages with checkpoints, follow-ups, attitude, PHI, hand-over.
  for (const plugin of [leadsStage, leadsFollowups, leadsAttitude, leadsHandover, phi]) await app.register(plugin, { ctx });
  // Coaching report pages (report/), HTML for trainers' browsers.
  await app.register(reports, { ctx });
  // Top-vs-rest mining runs (patterns/), queued as mine-tenant jobs.
  await app.register(mining, { ctx });
}
