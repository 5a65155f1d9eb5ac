import { Type } from 'typebox';
import type { CustomerInput, CustomerRow } from '../../db/repositories/customers.repository.ts';
import type { AppContext } from '../context.ts';
import { CustomerSchema, OptionalNullable as Opt } from '../schemas.ts';
import { eraseRecordings } from '../../ingest/erasure.ts';
import { crmEntityRoutes } from './crm-entity.ts';
import { auditTo } from './audit.ts';

export function customersRoutes(ctx: AppContext) {
  const { customers } = ctx.repos;
  return crmEntityRoutes<CustomerRow, CustomerInput>({
    plural: 'customers',
    label: '客户',
    notFoundCode: 'customer_not_found',
    existsCode: 'customer_exists',
    dtoRef: 'Customer',
    dto: CustomerSchema,
    input: Type.Object({
      name: Opt(Type.String({ maxLength: 200 })),
      industry: Opt(Type.String({ maxLength: 200 })),
      customerType: Opt(Type.String({ maxLength: 100, description: '客户类型，如 主机厂 / 经销商' })),
    }),
    listQuery: Type.Object({ customerType: Type.Optional(Type.String()) }),
    list: (tenantId, q) => customers.list(tenantId, { customerType: q.customerType }),
    get: (tenantId, id) => customers.getByExternalId(tenantId, id),
    upsert: async (tenantId, id, input) => {
      const { customer, created } = await customers.upsert(tenantId, id, input);
      return { row: customer, created };
    },
    delete: (tenantId, id) => customers.delete(tenantId, id),
    erasure: {
      hasCode: 'customer_has_data',
      hasData: async (tenantId, row) => (await ctx.repos.recordings.forErasure(tenantId, { customerId: row.id })).length > 0,
      erase: (tenantId, row) => eraseRecordings(ctx, tenantId, { customerId: row.id }),
    },
    toDto: (c) => ({
      id: c.externalId,
      name: c.name,
      industry: c.industry,
      customerType: c.customerType,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    }),
  }, auditTo(ctx));
}
