import { Type } from 'typebox';
import type { RepInput, RepView } from '../../db/repositories/reps.repository.ts';
import type { AppContext } from '../context.ts';
import { CrmId, OptionalNullable as Opt, RepSchema } from '../schemas.ts';
import { eraseRecordings } from '../../ingest/erasure.ts';
import { crmEntityRoutes } from './crm-entity.ts';
import { auditTo } from './audit.ts';

export function repsRoutes(ctx: AppContext) {
  const { reps } = ctx.repos;
  return crmEntityRoutes<RepView, RepInput>({
    plural: 'reps',
    label: '销售',
    notFoundCode: 'rep_not_found',
    existsCode: 'rep_exists',
    dtoRef: 'Rep',
    dto: RepSchema,
    input: Type.Object({
      name: Opt(Type.String({ maxLength: 200 })),
      team: Opt(Type.String({ maxLength: 200 })),
      title: Opt(Type.String({ maxLength: 200, description: 'e.g. sales, legal, legal_lead, manager' })),
      supervisorId: Opt(CrmId),
      status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])),
    }),
    listQuery: Type.Object({ team: Type.Optional(Type.String()) }),
    list: (tenantId, q) => reps.list(tenantId, { team: q.team }),
    get: (tenantId, id) => reps.getByExternalId(tenantId, id),
    upsert: async (tenantId, id, input) => {
      const { supervisorId, ...rest } = input as RepInput & { supervisorId?: string | null };
      const { rep, created } = await reps.upsert(tenantId, id, { ...rest, supervisorExternalId: supervisorId });
      return { row: rep, created };
    },
    delete: (tenantId, id) => reps.delete(tenantId, id),
    erasure: {
      hasCode: 'rep_has_data',
      hasData: async (tenantId, row) => (await ctx.repos.recordings.forErasure(tenantId, { repId: row.id })).length > 0,
      erase: (tenantId, row) => eraseRecordings(ctx, tenantId, { repId: row.id }),
    },
    toDto: (r) => ({
      id: r.externalId,
      name: r.name,
      team: r.team,
      title: r.title,
      supervisorId: r.supervisorExternalId,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }),
  }, auditTo(ctx));
}
