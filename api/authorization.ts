import type { FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError, type AppError } from '../core/errors.ts';
import { isUuid } from '../core/ids.ts';
import type { Principal } from '../db/repositories/api-keys.repository.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { Role } from '../db/schema.ts';

/**
 * The authorization matrix: for every protected route, which roles may call it and, for rep keys, what the rep must
 * own. It is the only place a route's access is decided (api/plugins/auth.ts applies it to every route and refuses
 * to start when a protected route is missing from it); docs/security.md prints it, and api/authorization.test.ts
 * calls every route with every role.
 *
 * `rep` says how a rep key is confined:
 * - `scoped`: the queries themselves return only the rep's own rows (recordings, tasks);
 * - `own-lead` / `own-task`: the `:id` in the path must be the rep's own lead / task (else 404, as if absent);
 * - `successor`: the rep's own hand-overs, i.e. the rep in `:id` handed over to this rep;
 * - `own-fields`: ids in the body (upload `repId`/`leadId`, attitude `repId`/`customerId`) must be the rep's own,
 *   checked by the route through `assertRepOwnsLead` / `assertRepOwnsCustomer` below (a multipart body is only read
 *   inside the handler).
 */
export type RepConfinement = 'scoped' | 'own-lead' | 'own-task' | 'successor' | 'own-fields';

export interface AccessRule {
  roles: readonly Role[];
  rep?: RepConfinement;
}

const ADMIN = ['admin'] as const;
const READ = ['admin', 'trainer', 'integration'] as const;
const WRITE = ['admin', 'integration'] as const;
const rep = (roles: readonly Role[], confinement: RepConfinement): AccessRule => ({ roles: [...roles, 'rep'], rep: confinement });

export const AUTHORIZATION: Record<string, AccessRule> = {
  // recordings
  'POST /v1/recordings': rep(WRITE, 'own-fields'),
  'GET /v1/recordings': rep(READ, 'scoped'),
  'GET /v1/recordings/:id': rep(READ, 'scoped'),
  'GET /v1/recordings/:id/analysis': rep(READ, 'scoped'),
  'GET /v1/recordings/:id/audio': rep(READ, 'scoped'),
  'GET /v1/recordings/:id/transcript': rep(READ, 'scoped'),
  'GET /v1/recordings/:id/transcript/original': { roles: ADMIN },
  'DELETE /v1/recordings/:id': { roles: WRITE },
  'POST /v1/recordings/:id/reprocess': { roles: ['admin', 'trainer', 'integration'] },
  'POST /v1/recordings/reanalyze': { roles: ['admin', 'trainer'] },
  // CRM objects
  'GET /v1/reps': { roles: READ },
  'POST /v1/reps': { roles: WRITE },
  'GET /v1/reps/:externalId': { roles: READ },
  'PUT /v1/reps/:externalId': { roles: WRITE },
  'DELETE /v1/reps/:externalId': { roles: WRITE },
  'GET /v1/customers': { roles: READ },
  'POST /v1/customers': { roles: WRITE },
  'GET /v1/customers/:externalId': { roles: READ },
  'PUT /v1/customers/:externalId': { roles: WRITE },
  'DELETE /v1/customers/:externalId': { roles: WRITE },
  'GET /v1/leads': { roles: READ },
  'POST /v1/leads': { roles: WRITE },
  'GET /v1/leads/:externalId': { roles: READ },
  'PUT /v1/leads/:externalId': { roles: WRITE },
  'DELETE /v1/leads/:externalId': { roles: WRITE },
  // lead stages: a trainer reads and coaches, it does not move deals (also not through a proposal)
  'GET /v1/leads/:id/stage': rep(READ, 'own-lead'),
  'POST /v1/leads/:id/stage': rep(WRITE, 'own-lead'),
  'POST /v1/leads/:id/attachments': rep(WRITE, 'own-lead'),
  'POST /v1/leads/:id/proposals/:proposalId/confirm': rep(WRITE, 'own-lead'),
  'POST /v1/leads/:id/proposals/:proposalId/reject': rep(WRITE, 'own-lead'),
  'GET /v1/lead-settings': { roles: ADMIN },
  'PUT /v1/lead-settings': { roles: ADMIN },
  // follow-ups
  'GET /v1/follow-ups': rep(READ, 'scoped'),
  'POST /v1/follow-ups/:id/done': rep(WRITE, 'own-task'),
  'POST /v1/follow-ups/:id/cancel': { roles: WRITE },
  'PATCH /v1/follow-ups/:id': rep(WRITE, 'own-task'),
  'PUT /v1/reps/:id/notify-handles': { roles: WRITE },
  // attitude
  'POST /v1/attitude-reports': rep(WRITE, 'own-fields'),
  'POST /v1/attitude-reports/import': { roles: WRITE },
  'GET /v1/attitude-reports/imports/:id': { roles: WRITE },
  'GET /v1/attitude/heatmap': { roles: READ },
  // health, hand-over
  'GET /v1/phi': { roles: READ },
  'GET /v1/funnel': { roles: READ },
  'POST /v1/reps/:id/departure': { roles: WRITE },
  'GET /v1/reps/:id/handover': rep(READ, 'successor'),
  'PUT /v1/customers/:id/contacts': { roles: WRITE },
  // mining
  'POST /v1/mining/runs': { roles: ['admin', 'trainer'] },
  'GET /v1/mining/runs/:id': { roles: READ },
  'GET /v1/mining/latest': { roles: READ },
  // integration
  'POST /v1/webhooks': { roles: WRITE },
  'GET /v1/webhooks': { roles: WRITE },
  'GET /v1/webhooks/:id/deliveries': { roles: WRITE },
  'DELETE /v1/webhooks/:id': { roles: WRITE },
  // privacy and operations
  'GET /v1/retention': { roles: ADMIN },
  'PUT /v1/retention': { roles: ADMIN },
  'GET /v1/audit': { roles: ADMIN },
  // report pages (browsers sign in with a session; see api/routes/reports.routes.ts)
  'GET /reports': { roles: READ },
  'GET /reports/:page': { roles: READ },
  'GET /reports/files/:file': { roles: READ },
  // queue dashboard
  'ALL /admin/queues*': { roles: ADMIN },
};

/** The rule for a route (`method`, Fastify's url pattern), or undefined when the matrix does not list it. */
export function ruleFor(method: string, url: string): AccessRule | undefined {
  const exact = AUTHORIZATION[`${method} ${url}`];
  if (exact) return exact;
  for (const [key, rule] of Object.entries(AUTHORIZATION)) {
    const [m, pattern] = key.split(' ');
    if (m === 'ALL' && pattern.endsWith('*') && url.startsWith(pattern.slice(0, -1))) return rule;
  }
  return undefined;
}

const leadNotFound = () => new NotFoundError('lead_not_found', '线索 lead not found / 未找到');
const taskNotFound = () => new NotFoundError('task_not_found', '任务 task not found / 未找到');
const handoverNotFound = () => new NotFoundError('handover_not_found', '交接记录 hand-over not found / 未找到');

/**
 * Applies a rule to a request: null when allowed, else the error to answer with. A rep reaching what it does not
 * own gets the same 404 as for something that does not exist, so ids of other reps' leads and tasks stay unknown.
 */
export async function check(rule: AccessRule, p: Principal, req: FastifyRequest, repos: Repositories): Promise<AppError | null> {
  if (!rule.roles.includes(p.role)) {
    return new ForbiddenError('forbidden', `此操作需要角色 ${rule.roles.join('/')} / this needs role ${rule.roles.join(' or ')}`);
  }
  if (p.role !== 'rep') return null;
  const id = (req.params as { id?: string }).id ?? '';
  switch (rule.rep) {
    case 'own-lead': {
      const lead = await repos.leads.getByExternalId(p.tenantId, id);
      return lead && lead.ownerRepId === p.repId ? null : leadNotFound();
    }
    case 'own-task': {
      const task = isUuid(id) ? await repos.followUps.getById(p.tenantId, id) : undefined;
      return task && task.assigneeRepId === p.repId ? null : taskNotFound();
    }
    case 'successor': {
      const from = await repos.reps.getByExternalId(p.tenantId, id);
      const handover = from && (await repos.handovers.latestForRep(p.tenantId, from.id));
      return handover && handover.toRepId === p.repId ? null : handoverNotFound();
    }
    default:
      return null;
  }
}

/** `own-fields`: a rep may file under a lead only if it is the rep's own (or new: then the rep becomes its owner). */
export async function assertRepOwnsLead(repos: Repositories, p: Principal, leadExternalId: string | null): Promise<void> {
  if (p.role !== 'rep' || !leadExternalId) return;
  const lead = await repos.leads.getByExternalId(p.tenantId, leadExternalId);
  if (lead && lead.ownerRepId !== p.repId) {
    throw new ForbiddenError('not_owner', `线索 ${leadExternalId} 不是您负责的线索 / lead ${leadExternalId} belongs to another rep`);
  }
}

/** `own-fields`: a rep scores only customers it has a lead with or visited (or a new one). */
export async function assertRepOwnsCustomer(repos: Repositories, p: Principal, customerExternalIds: string[]): Promise<void> {
  if (p.role !== 'rep' || !customerExternalIds.length) return;
  const own = new Set((await repos.customers.listOfRep(p.tenantId, p.repId!)).map((c) => c.externalId));
  for (const id of new Set(customerExternalIds)) {
    if (own.has(id)) continue;
    if (await repos.customers.getByExternalId(p.tenantId, id)) {
      throw new ForbiddenError('not_owner', `客户 ${id} 不是您的客户 / customer ${id} is not one of yours`);
    }
  }
}

/** Principals shown in audit rows and stage histories. */
export function actorOf(p: Principal): string {
  return `${p.role}:${p.keyId.slice(0, 8)}`;
}
