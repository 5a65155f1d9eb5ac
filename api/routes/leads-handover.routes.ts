import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CATEGORY_IDS } from '../../core/categories.ts';
import { NotFoundError } from '../../core/errors.ts';
import { departRep, getHandover } from '../../leads/service/handover.service.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { CrmId, errors, StringEnum } from '../schemas.ts';
import { leadDeps } from './leads-deps.ts';

/** Rep departure with hand-over dossiers, and the customer decision-makers the dossiers list. */
const handover: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/reps/:id/departure',
    {
      schema: {
        tags: ['handover'],
        summary: '销售离职交接：生成客户交接档案与承接任务 / mark a rep departed and hand over their customers',
        params: Type.Object({ id: CrmId }),
        body: Type.Object({ successorId: CrmId }),
        response: errors(400, 401, 403, 404, 409),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const out = await departRep(leadDeps(ctx, req), p.tenantId, req.params.id, req.body.successorId, `${p.role}:${p.keyId.slice(0, 8)}`);
      // The departed rep's keys were revoked; this process must not keep serving them from its cache.
      if (out.revokedKeys.length) app.forgetPrincipals();
      return reply.status(out.created ? 201 : 200).send(out);
    },
  );

  app.get(
    '/v1/reps/:id/handover',
    {
      schema: { tags: ['handover'], summary: '查看交接档案 / the rep’s latest hand-over', params: Type.Object({ id: CrmId }), response: errors(401, 403, 404) },
    },
    async (req) => {
      const p = principalOf(req);
      // A rep key reads only hand-overs it is the successor of (the matrix's `successor`).
      return getHandover(leadDeps(ctx, req), p.tenantId, req.params.id);
    },
  );

  app.put(
    '/v1/customers/:id/contacts',
    {
      schema: {
        tags: ['handover'],
        summary: '设置客户决策人及其关注点 / set a customer’s decision-makers',
        params: Type.Object({ id: CrmId }),
        body: Type.Object({
          contacts: Type.Array(
            Type.Object({
              name: Type.String({ minLength: 1, maxLength: 100 }),
              role: Type.Optional(Type.String({ maxLength: 100 })),
              caresAbout: Type.Optional(Type.Array(StringEnum(CATEGORY_IDS), { maxItems: 12 })),
            }),
            { maxItems: 50 },
          ),
        }),
        response: errors(400, 401, 403, 404),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const customer = await ctx.repos.customers.getByExternalId(p.tenantId, req.params.id);
      if (!customer) throw new NotFoundError('customer_not_found', '客户 customer not found / 未找到');
      const contacts = req.body.contacts.map((c) => ({ name: c.name, role: c.role ?? null, caresAbout: [...new Set(c.caresAbout ?? [])] }));
      await ctx.repos.customers.saveContacts(p.tenantId, customer.id, contacts);
      return { customerId: req.params.id, contacts };
    },
  );
};

export default handover;
