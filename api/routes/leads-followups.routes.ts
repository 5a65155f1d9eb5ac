import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.ts';
import { resolveDwellStandards } from '../../leads/dwell.ts';
import { taskState } from '../../leads/followups.ts';
import { assertOutboundUrl, outboundPolicy } from '../../workers/outbound-http.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { CrmId, errors, iso } from '../schemas.ts';
import { rescheduleTask } from '../../leads/service/followups.service.ts';
import { leadDeps } from './leads-deps.ts';

/** Follow-up tasks (list, mark done) and the tenant's leads settings (dwell standards, robot URLs). */
const followups: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { repos } = ctx;

  app.get(
    '/v1/follow-ups',
    {
      schema: {
        tags: ['follow-ups'],
        summary: '跟进任务列表 / follow-up tasks',
        querystring: Type.Object({
          repId: Type.Optional(CrmId),
          leadId: Type.Optional(CrmId),
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('cancelled')])),
          kind: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: errors(401, 403),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query;
      // A CRM id we do not know matches no task (as in GET /v1/recordings).
      let assigneeRepId: string | undefined;
      if (p.role === 'rep') assigneeRepId = p.repId ?? undefined;
      else if (q.repId) {
        const rep = await repos.reps.getByExternalId(p.tenantId, q.repId);
        if (!rep) return { items: [] };
        assigneeRepId = rep.id;
      }
      let leadId: string | undefined;
      if (q.leadId) {
        const lead = await repos.leads.getByExternalId(p.tenantId, q.leadId);
        if (!lead) return { items: [] };
        leadId = lead.id;
      }
      const rows = await repos.followUps.list(p.tenantId, { assigneeRepId, leadId, status: q.status, kind: q.kind });
      const now = new Date();
      return {
        items: rows.map((t) => ({
          id: t.id,
          kind: t.kind,
          title: t.title,
          detail: t.detail,
          repId: t.assigneeExternalId,
          assigneeRole: t.assigneeRole,
          leadId: t.leadExternalId,
          customerId: t.customerExternalId,
          status: t.status,
          state: t.dueAt && t.escalateAt ? taskState({ dueAt: t.dueAt, escalateAt: t.escalateAt, doneAt: t.completedAt, cancelledAt: t.status === 'cancelled' ? t.updatedAt : null }, now) : t.status,
          dueAt: iso(t.dueAt),
          dueInferred: t.dueInferred,
          remindedAt: iso(t.remindedAt),
          escalatedAt: iso(t.escalatedAt),
          completedAt: iso(t.completedAt),
          createdAt: t.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/v1/follow-ups/:id/done',
    {
      schema: { tags: ['follow-ups'], summary: '标记任务完成 / mark a task done', params: Type.Object({ id: Type.String() }), response: errors(401, 403, 404) },
    },
    async (req) => {
      const p = principalOf(req);
      const task = await repos.followUps.getById(p.tenantId, req.params.id);
      if (!task) throw new NotFoundError('task_not_found', '任务 task not found / 未找到');
      const row = (await repos.followUps.setStatus(p.tenantId, task.id, 'done'))!;
      return { id: row.id, status: row.status, completedAt: iso(row.completedAt) };
    },
  );

  app.post(
    '/v1/follow-ups/:id/cancel',
    {
      schema: { tags: ['follow-ups'], summary: '取消任务（不再提醒和升级） / cancel a task', params: Type.Object({ id: Type.String() }), response: errors(401, 403, 404) },
    },
    async (req) => {
      const p = principalOf(req);
      const task = await repos.followUps.getById(p.tenantId, req.params.id);
      if (!task) throw new NotFoundError('task_not_found', '任务 task not found / 未找到');
      const row = (await repos.followUps.setStatus(p.tenantId, task.id, 'cancelled'))!;
      return { id: row.id, status: row.status };
    },
  );

  app.patch(
    '/v1/follow-ups/:id',
    {
      schema: {
        tags: ['follow-ups'],
        summary: '任务改期（重新安排提醒与升级） / move a task’s due time',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ dueAt: Type.String({ format: 'date-time' }) }),
        response: errors(400, 401, 403, 404, 409),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const task = await repos.followUps.getById(p.tenantId, req.params.id);
      if (!task) throw new NotFoundError('task_not_found', '任务 task not found / 未找到');
      const row = await rescheduleTask(leadDeps(ctx, req), p.tenantId, task.id, new Date(req.body.dueAt));
      return { id: row.id, status: row.status, dueAt: iso(row.dueAt), escalateAt: iso(row.escalateAt) };
    },
  );

  app.put(
    '/v1/reps/:id/notify-handles',
    {
      schema: {
        tags: ['follow-ups'],
        summary: '设置群机器人 @ 提醒用的手机号 / 企业微信 / 钉钉 id / how robots @-mention this rep',
        params: Type.Object({ id: CrmId }),
        body: Type.Object({
          mobile: Type.Optional(Type.Union([Type.String({ pattern: '^\\+?[0-9]{5,20}$' }), Type.Null()])),
          wecomUserId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
          dingtalkUserId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
        }),
        response: errors(400, 401, 403, 404),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const rep = await repos.reps.getByExternalId(p.tenantId, req.params.id);
      if (!rep) throw new NotFoundError('rep_not_found', '销售 rep not found / 未找到');
      const values = { mobile: req.body.mobile ?? null, wecomUserId: req.body.wecomUserId ?? null, dingtalkUserId: req.body.dingtalkUserId ?? null };
      await repos.leadEvidence.saveHandles(p.tenantId, rep.id, values);
      return { repId: req.params.id, ...values };
    },
  );

  const Settings = Type.Object({
    dwellHours: Type.Optional(Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0 }))),
    wecomWebhookUrl: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    dingtalkWebhookUrl: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    dingtalkSecret: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    robotFormat: Type.Optional(Type.Union([Type.Literal('text'), Type.Literal('markdown')])),
  });
  const view = (s: Awaited<ReturnType<typeof repos.leadEvidence.settings>>) => ({
    dwellHours: resolveDwellStandards(s?.dwellHours),
    wecomWebhookUrl: s?.wecomWebhookUrl ?? null,
    dingtalkWebhookUrl: s?.dingtalkWebhookUrl ?? null,
    dingtalkSecretSet: !!s?.dingtalkSecret,
    robotFormat: s?.robotFormat ?? 'markdown',
  });

  app.get(
    '/v1/lead-settings',
    { schema: { tags: ['follow-ups'], summary: '线索设置（标准停留时长、群机器人） / leads settings', response: errors(401, 403) } },
    async (req) => view(await repos.leadEvidence.settings(principalOf(req).tenantId)),
  );

  app.put(
    '/v1/lead-settings',
    {
      schema: { tags: ['follow-ups'], summary: '修改线索设置 / update leads settings', body: Settings, response: errors(400, 401, 403) },
    },
    async (req) => {
      const b = req.body;
      if (b.dwellHours) resolveDwellStandards(b.dwellHours);
      for (const key of ['wecomWebhookUrl', 'dingtalkWebhookUrl'] as const) {
        const v = b[key];
        // The same address policy as webhooks: a robot URL is a tenant-chosen address the worker will POST to.
        if (v) await assertOutboundUrl(v, outboundPolicy(ctx.config));
      }
      const saved = await repos.leadEvidence.saveSettings(principalOf(req).tenantId, b);
      return view(saved);
    },
  );
};

export default followups;
