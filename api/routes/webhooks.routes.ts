import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.ts';
import { ALL_EVENTS, WEBHOOK_EVENTS } from '../../core/events.ts';
import type { SubscriptionRow } from '../../db/repositories/webhooks.repository.ts';
import { isUuid } from '../../core/ids.ts';
import { assertOutboundUrl, outboundPolicy } from '../../workers/outbound-http.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { errors, WebhookSchema } from '../schemas.ts';


const toDto = (s: SubscriptionRow) => ({ id: s.id, url: s.url, events: s.events, active: s.active, createdAt: s.createdAt.toISOString() });
const IdParams = Type.Object({ id: Type.String() });

/** Subscriptions are tenant-scoped; each delivery is signed (see workers/webhook-signing.ts) and logged. */
const webhooks: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const repo = ctx.repos.webhooks;
  const find = async (tenantId: string, id: string) => {
    const sub = isUuid(id) ? await repo.getById(tenantId, id) : undefined;
    if (!sub) throw new NotFoundError('webhook_not_found', 'webhook not found / 未找到');
    return sub;
  };

  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: '订阅事件 / subscribe; the signing secret is shown only in this response',
        description:
          'Each delivery is a JSON POST with headers x-tingjian-event, x-tingjian-delivery, x-tingjian-timestamp and ' +
          'x-tingjian-signature = "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + rawBody)). Reject timestamps ' +
          'older than 5 minutes; dedupe by x-tingjian-delivery (delivery is at-least-once). The URL must resolve to ' +
          'public addresses only (loopback, link-local, metadata and multicast addresses are refused; intranet ranges ' +
          'need WEBHOOK_ALLOWED_CIDRS). Redirects are not followed.',
        body: Type.Object({
          url: Type.String({ format: 'uri', pattern: '^https?://' }),
          events: Type.Array(Type.String({ enum: [...WEBHOOK_EVENTS, ALL_EVENTS] }), { minItems: 1, default: [ALL_EVENTS] }),
        }),
        response: { 201: Type.Object({ ...WebhookSchema.properties, secret: Type.String() }), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      // Every address the host resolves to must be allowed now; the delivery job checks again on each attempt.
      await assertOutboundUrl(req.body.url, outboundPolicy(ctx.config));
      const sub = await repo.create(principalOf(req).tenantId, req.body.url, req.body.events);
      return reply.status(201).send({ ...toDto(sub), secret: sub.secret });
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: { tags: ['webhooks'], summary: '订阅列表 / list', response: { 200: Type.Object({ items: Type.Array(Type.Ref('Webhook')) }), ...errors(401, 403) } },
    },
    async (req) => ({ items: (await repo.list(principalOf(req).tenantId)).map(toDto) }),
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: '投递记录 / delivery log (newest first)',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                event: Type.String(),
                status: Type.String(),
                attempts: Type.Integer(),
                lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
                lastError: Type.Union([Type.String(), Type.Null()]),
                deliveredAt: Type.Union([Type.String(), Type.Null()]),
                createdAt: Type.String(),
              }),
            ),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (req) => {
      const tenantId = principalOf(req).tenantId;
      const sub = await find(tenantId, req.params.id);
      const rows = await repo.deliveries(tenantId, sub.id);
      return {
        items: rows.map((d) => ({
          id: d.id,
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          lastError: d.lastError,
          deliveredAt: d.deliveredAt?.toISOString() ?? null,
          createdAt: d.createdAt.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: { tags: ['webhooks'], summary: '取消订阅 / unsubscribe', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
    },
    async (req, reply) => {
      const id = req.params.id;
      if (!isUuid(id) || !(await repo.delete(principalOf(req).tenantId, id))) throw new NotFoundError('webhook_not_found', 'webhook not found / 未找到');
      return reply.status(204).send(null);
    },
  );
};
export default webhooks;
