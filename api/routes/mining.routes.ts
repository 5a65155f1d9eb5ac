import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ErrorCode } from '../../core/error-codes.ts';
import { NotFoundError, DependencyUnavailableError } from '../../core/errors.ts';
import type { MiningRunRow } from '../../db/repositories/mining.repository.ts';
import { MINING_RUN_STATUSES, type MiningRunStatus } from '../../db/schema.ts';
import { MINING_DEFAULTS } from '../../patterns/mine.ts';
import { MINING_RESULT_VERSION } from '../../patterns/types.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { errors, Nullable, StringEnum } from '../schemas.ts';

// Rows the API passes on from patterns/types.ts; `additionalProperties` keeps fields the miner adds later.
const open = { additionalProperties: true };

const repsAndLeads = {
  repsTop: Type.Integer({ description: '优秀组中有该数字的销售人数 / top-group reps behind the figure' }),
  repsRest: Type.Integer(),
  leadsTop: Type.Integer({ description: '这些销售的相关线索数 / their leads behind the figure' }),
  leadsRest: Type.Integer(),
};

const BeforeStageRow = Type.Object(
  {
    behavior: Type.String(),
    stage: Type.String(),
    customerType: Nullable(Type.String()),
    top: Nullable(Type.Number({ description: '优秀组各销售「到达该阶段的线索在此前平均做几次」的平均 / mean over top reps of each rep’s mean count' })),
    rest: Nullable(Type.Number()),
    ...repsAndLeads,
    findingId: Nullable(Type.String()),
  },
  open,
);

const PatternRow = Type.Object(
  {
    steps: Type.Array(Type.String()),
    maxGapHours: Nullable(Type.Number()),
    topSupport: Nullable(Type.Number({ description: '优秀组各销售（到达首个阶段的线索中）出现该序列的比例的平均 / mean over top reps of each rep’s share' })),
    restSupport: Nullable(Type.Number()),
    ...repsAndLeads,
    supportingTop: Type.Integer(),
    supportingRest: Type.Integer(),
    findingId: Type.String(),
  },
  open,
);

const FindingTest = Type.Object({
  statistic: Type.Number(),
  pValue: Nullable(Type.Number({ description: '以销售为单位的置换检验；该检验不在检验族中时为 null / permutation test over reps' })),
  qValue: Nullable(Type.Number({ description: 'Benjamini–Hochberg；该检验不在检验族中时为 null / null when not in the family' })),
});

const Finding = Type.Object(
  {
    id: Type.String(),
    kind: StringEnum(['before_stage', 'sequence'] as const),
    behaviors: Type.Array(Type.String()),
    stage: Nullable(Type.String()),
    steps: Nullable(Type.Array(Type.String())),
    maxGapHours: Nullable(Type.Number()),
    customerType: Nullable(Type.String()),
    unit: StringEnum(['count', 'share'] as const),
    top: Nullable(Type.Number()),
    rest: Nullable(Type.Number()),
    ...repsAndLeads,
    rho: Nullable(Type.Number({ description: '各销售数字与业绩排名的 Spearman 相关 / Spearman with performance' })),
    tests: Type.Object({ group: FindingTest, rank: FindingTest }),
    qValue: Type.Number(),
    decidedBy: Nullable(StringEnum(['group', 'rank'] as const)),
    status: StringEnum(['established', 'significant', 'descriptive'] as const, '已确认 / 显著但不稳定 / 仅供参考'),
    stability: Nullable(Type.Object({}, open)),
    coachable: Type.Boolean(),
    perRep: Type.Array(Type.Object({ rep: Type.String(), value: Type.Number(), leads: Type.Integer() })),
    variants: Type.Array(Type.Object({}, open)),
    text: Type.Object(
      {
        sentence: Type.String(),
        top: Type.String(),
        rest: Type.String(),
        scope: Type.String(),
        basis: Type.String(),
        status: Type.String(),
        test: Nullable(Type.String()),
      },
      { ...open, description: '报告页面与命令行显示的同一句话 / the words every surface shows' },
    ),
  },
  open,
);

const Inference = Type.Object(
  {
    unit: Type.Literal('rep'),
    alpha: Type.Number(),
    reps: Type.Object({ top: Type.Integer(), rest: Type.Integer() }),
    leads: Type.Object({ top: Type.Integer(), rest: Type.Integer() }),
    minRepLeads: Type.Integer(),
    family: Type.Object({ findings: Type.Integer(), hypotheses: Type.Integer() }),
    group: Type.Object({ relabellings: Type.Integer(), exhaustive: Type.Boolean(), minPValue: Type.Number(), inFamily: Type.Boolean() }),
    rank: Type.Object({ permutations: Type.Integer(), minPValue: Type.Number(), inFamily: Type.Boolean() }),
    seed: Type.Integer(),
    note: Nullable(Type.String({ description: '数据不足以得出显著结论时的说明 / why the data cannot support significant findings' })),
  },
  open,
);

const Suggestion = Type.Object(
  {
    behavior: Type.String(),
    kind: Type.String(),
    stage: Nullable(Type.String()),
    steps: Nullable(Type.Array(Type.String())),
    maxGapHours: Nullable(Type.Number()),
    customerType: Nullable(Type.String()),
    customerRole: Nullable(Type.String()),
    findingId: Type.String(),
    yours: Type.Number(),
    yourLeads: Type.Integer(),
    top: Type.Number(),
    qValue: Type.Number(),
    message: Type.String(),
    tips: Type.Array(Type.String()),
    templateId: Type.String(),
    evidence: Type.Object({}, { ...open, description: '录音中缺失该行为的时刻与相关线索 / recordings and leads where it was missing' }),
  },
  open,
);

const MiningResultSchema = Type.Object(
  {
    resultVersion: Type.Literal(MINING_RESULT_VERSION),
    topShare: Type.Number(),
    groups: Type.Object({ top: Type.Array(Type.String()), rest: Type.Array(Type.String()) }),
    findings: Type.Array(Finding, { description: '检验过的发现，已确认的在前；各页面显示的就是这些数字 / tested findings, established first' }),
    inference: Inference,
    beforeStage: Type.Array(BeforeStageRow),
    patterns: Type.Array(PatternRow),
    coaching: Type.Array(Type.Object({ rep: Type.String(), suggestions: Type.Array(Suggestion) })),
    performance: Type.Array(
      Type.Object({ rep: Type.String(), wonAmount: Type.Number(), wonLeads: Type.Integer(), leads: Type.Integer() }),
    ),
    stats: Type.Object({}, open),
    coachingTemplatesVersion: Type.String(),
    groupsTooSmall: Nullable(Type.String()),
    malformed: Type.Array(Type.Object({ line: Type.Integer(), code: Type.String(), message: Type.String() })),
  },
  { ...open, description: '与 `tingjian mine --json` 的输出相同 / the same as `tingjian mine --json`' },
);

const MiningRun = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: StringEnum<MiningRunStatus>(MINING_RUN_STATUSES, 'queued → running → done | failed'),
  topShare: Type.Number(),
  createdAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  result: Nullable(MiningResultSchema),
});

/** A run stored by an older mining method is not shown as if it were current: its figures meant something else. */
const OUTDATED: { code: ErrorCode; message: string } = {
  code: 'mining_result_outdated',
  message: '该结果由旧版挖掘方法生成，请重新发起挖掘 / made by an older mining method: start a new run',
};

const toDto = (r: MiningRunRow) => {
  const current = r.result?.resultVersion === MINING_RESULT_VERSION;
  return {
    id: r.id,
    status: r.status,
    topShare: r.topShare,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : r.status === 'done' && !current ? OUTDATED : null,
    result: r.status === 'done' && current ? r.result : null,
  };
};

/** Top-vs-rest behaviour mining over the tenant's stored events, run as the queued mine-tenant job. */
const mining: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const repo = ctx.repos.mining;

  app.post(
    '/v1/mining/runs',
    {
      // An empty POST means "all defaults".
      preValidation: async (req) => {
        req.body ??= {};
      },
      schema: {
        tags: ['mining'],
        summary: '发起一次 优秀组与其余销售的行为差异挖掘 / start a top-vs-rest mining run',
        description:
          '在后台任务中挖掘本租户已存储的阶段与行为事件（与 `tingjian mine` 相同的定义），生成辅导建议。' +
          '用返回的 id 轮询 GET /v1/mining/runs/:id。topShare：优秀组占销售人数的比例，默认 0.1。',
        body: Type.Object({
          topShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: '(0, 1]，默认 0.1' })),
        }),
        response: {
          202: Type.Object({ id: Type.String({ format: 'uuid' }), status: StringEnum<MiningRunStatus>(MINING_RUN_STATUSES), topShare: Type.Number(), url: Type.String() }),
          ...errors(400, 401, 403, 503),
        },
      },
    },
    async (req, reply) => {
      const tenantId = principalOf(req).tenantId;
      const run = await repo.create(tenantId, req.body.topShare ?? MINING_DEFAULTS.topShare);
      try {
        await ctx.queue.enqueue('mine-tenant', { tenantId, runId: run.id });
      } catch (err) {
        await repo.fail(tenantId, run.id, 'queue_unavailable', '任务队列不可用，请稍后重新发起 / queue unavailable: start a new run later');
        throw new DependencyUnavailableError('queue_unavailable', '任务队列暂不可用，请稍后重试 / the job queue is unavailable, retry later', { cause: err });
      }
      return reply.status(202).send({ id: run.id, status: run.status, topShare: run.topShare, url: `/v1/mining/runs/${run.id}` });
    },
  );

  app.get(
    '/v1/mining/runs/:id',
    {
      schema: {
        tags: ['mining'],
        summary: '挖掘任务的状态与结果 / a mining run: status, and the result once done',
        params: Type.Object({ id: Type.String() }),
        response: { 200: MiningRun, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const run = await repo.getById(principalOf(req).tenantId, req.params.id);
      if (!run) throw new NotFoundError('mining_run_not_found', '挖掘任务 mining run not found / 未找到');
      return toDto(run);
    },
  );

  app.get(
    '/v1/mining/latest',
    {
      schema: {
        tags: ['mining'],
        summary: '最近一次完成的挖掘结果 / the newest finished mining run',
        response: { 200: MiningRun, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const run = await repo.latestDone(principalOf(req).tenantId);
      if (!run) {
        throw new NotFoundError('no_mining_run', '还没有完成的挖掘，请先 POST /v1/mining/runs / no finished mining run yet: start one first');
      }
      return toDto(run);
    },
  );
};

export default mining;
