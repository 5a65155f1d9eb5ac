import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TObject } from 'typebox';
import type { ErrorCode } from '../../core/error-codes.ts';
import { NotFoundError, ConflictError } from '../../core/errors.ts';
import { actorOf } from '../authorization.ts';
import { principalOf } from '../plugins/auth.ts';
import { CrmId, errors } from '../schemas.ts';

/**
 * CRUD over an entity the CRM owns (reps, customers, leads), addressed by the CRM's own string id within the
 * caller's tenant: another tenant's id simply is not found (404).
 */
export interface CrmEntitySpec<Row, Input> {
  /** URL segment and OpenAPI tag, e.g. 'reps'. */
  plural: string;
  label: string;
  notFoundCode: ErrorCode;
  existsCode: ErrorCode;
  dtoRef: string;
  /** The DTO schema itself, to extend it for the detail response. */
  dto: TObject;
  input: TObject;
  /** Extra fields on the single-item GET (e.g. a lead's stage history). */
  detail?: { schema: TObject; load: (tenantId: string, row: Row) => Promise<Record<string, unknown>> };
  listQuery?: TObject;
  list(tenantId: string, query: Record<string, string | undefined>): Promise<Row[]>;
  get(tenantId: string, externalId: string): Promise<Row | undefined>;
  upsert(tenantId: string, externalId: string, input: Input): Promise<{ row: Row; created: boolean }>;
  delete(tenantId: string, externalId: string): Promise<boolean>;
  toDto(row: Row): Record<string, unknown>;
  /**
   * People whose recordings we hold (reps, customers): a plain DELETE refuses while recordings exist, naming
   * `?erase=true`, which erases them (rows, transcripts, analyses, tasks, files) before the entity, audited.
   */
  erasure?: {
    hasCode: ErrorCode;
    hasData(tenantId: string, row: Row): Promise<boolean>;
    erase(tenantId: string, row: Row): Promise<Record<string, number>>;
  };
}

const Params = Type.Object({ externalId: CrmId });

type Audit = (tenantId: string, actor: string, action: string, targetId: string, detail: Record<string, number>) => Promise<void>;

export function crmEntityRoutes<Row, Input>(spec: CrmEntitySpec<Row, Input>, audit: Audit): FastifyPluginAsyncTypebox {
  const base = `/v1/${spec.plural}`;
  const tags = [spec.plural];
  const Dto = Type.Ref(spec.dtoRef);
  const CreateBody = Type.Object({ id: CrmId, ...spec.input.properties });

  return async (app) => {
    app.get(
      base,
      {
        schema: { tags, summary: `${spec.label}列表 / list`, querystring: spec.listQuery ?? Type.Object({}), response: { 200: Type.Object({ items: Type.Array(Dto) }), ...errors(401, 403) } },
      },
      async (req) => {
        const rows = await spec.list(principalOf(req).tenantId, req.query as Record<string, string | undefined>);
        return { items: rows.map(spec.toDto) };
      },
    );

    app.post(
      base,
      {
        schema: { tags, summary: `新建${spec.label} / create`, body: CreateBody, response: { 201: Dto, ...errors(400, 401, 403, 409) } },
      },
      async (req, reply) => {
        const { id, ...input } = req.body as { id: string } & Record<string, unknown>;
        const tenantId = principalOf(req).tenantId;
        if (await spec.get(tenantId, id)) {
          throw new ConflictError(spec.existsCode, `${spec.label} ${id} 已存在，用 PUT 更新 / already exists: use PUT`);
        }
        const { row } = await spec.upsert(tenantId, id, input as Input);
        return reply.status(201).send(spec.toDto(row));
      },
    );

    const DetailDto = spec.detail ? Type.Object({ ...spec.dto.properties, ...spec.detail.schema.properties }) : Dto;
    app.get(
      `${base}/:externalId`,
      {
        schema: { tags, summary: `${spec.label}详情 / get`, params: Params, response: { 200: DetailDto, ...errors(401, 403, 404) } },
      },
      async (req) => {
        const tenantId = principalOf(req).tenantId;
        const row = await spec.get(tenantId, req.params.externalId);
        if (!row) throw new NotFoundError(spec.notFoundCode, `${spec.label} not found / 未找到`);
        return { ...spec.toDto(row), ...(spec.detail ? await spec.detail.load(tenantId, row) : {}) };
      },
    );

    app.put(
      `${base}/:externalId`,
      {
        schema: {
          tags,
          summary: `创建或更新${spec.label} / create or update (idempotent sync from the CRM)`,
          params: Params,
          body: spec.input,
          response: { 200: Dto, 201: Dto, ...errors(400, 401, 403) },
        },
      },
      async (req, reply) => {
        const { row, created } = await spec.upsert(principalOf(req).tenantId, req.params.externalId, req.body as Input);
        return reply.status(created ? 201 : 200).send(spec.toDto(row));
      },
    );

    app.delete(
      `${base}/:externalId`,
      {
        schema: {
          tags,
          summary: spec.erasure ? `删除${spec.label}（有录音时需 ?erase=true 一并删除）/ delete; with recordings, ?erase=true erases them too` : `删除${spec.label} / delete`,
          params: Params,
          querystring: Type.Object({ erase: Type.Optional(Type.Boolean({ default: false })) }),
          response: { 204: Type.Null(), ...errors(401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const { externalId } = req.params;
        const notFound = () => new NotFoundError(spec.notFoundCode, `${spec.label} not found / 未找到`);
        if (spec.erasure) {
          const row = await spec.get(p.tenantId, externalId);
          if (!row) throw notFound();
          const erase = (req.query as { erase?: boolean }).erase === true;
          if (!erase && (await spec.erasure.hasData(p.tenantId, row))) {
            const route = `DELETE ${base}/${encodeURIComponent(externalId)}?erase=true`;
            throw new ConflictError(spec.erasure.hasCode, `${spec.label} ${externalId} 还有录音等数据；要连同这些数据一起删除，请用 ${route} / still has recordings: ${route} erases them with it`);
          }
          if (erase) {
            const erased = await spec.erasure.erase(p.tenantId, row);
            await audit(p.tenantId, actorOf(p), `${spec.plural.slice(0, -1)}.erase`, externalId, erased);
          }
        }
        if (!(await spec.delete(p.tenantId, externalId))) throw notFound();
        return reply.status(204).send(null);
      },
    );
  };
}
