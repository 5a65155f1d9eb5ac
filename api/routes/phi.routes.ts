import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { funnelReport, phiReport } from '../../leads/service/phi.service.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from '../plugins/auth.ts';
import { Day, errors } from '../schemas.ts';
import { leadDeps } from './leads-deps.ts';

const Component = Type.Object({ rate: Type.Union([Type.Number(), Type.Null()]), numerator: Type.Number(), denominator: Type.Number() });
const Score = {
  phi: Type.Union([Type.Number(), Type.Null()]),
  level: Type.Union([Type.String(), Type.Null()]),
  levelLabel: Type.Union([Type.String(), Type.Null()]),
  withheld: Type.Union([Type.Literal('no_data'), Type.Literal('too_little_data'), Type.Null()], {
    description: '不计分的原因：no_data 无数据；too_little_data 少于两项有数据（数据不足）。phi 与 level 此时为 null / why phi is null',
  }),
  components: Type.Object({ stageOnTime: Component, collaborationOnTime: Component, touchpointTrace: Component }),
  basis: Type.Object({
    components: Type.Array(Type.String(), { description: '有数据、参与计分的分项 / components the score is computed from' }),
    weight: Type.Number({ description: '这些分项的权重之和（三项齐全为 1） / their share of the full weight' }),
    scope: Type.String({ description: 'rep：本人计数；team / tenant：各人计数之和（不是分数平均） / rep, or counts pooled over reps' }),
    text: Type.String({ description: '计分依据（中文） / what the score is based on, in Chinese' }),
  }),
};

/** Process Health Index and the stage funnel with dwell times. */
const phi: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/phi',
    {
      schema: {
        tags: ['phi'],
        summary: '过程健康度指数 PHI（按销售、团队、全公司） / Process Health Index',
        description:
          'PHI = 100 × (0.4 × 线索阶段达标率 + 0.3 × 跨部门协同准时率 + 0.3 × 客户触点留痕率)；≥85 健康，70–84 亚健康，<70 风险。某项本期无数据时不计入、权重按比例分给其余项；少于两项有数据时不计分（withheld）。团队与全公司按各人计数之和计算，不是各人分数的平均。默认最近 30 天。',
        querystring: Type.Object({ team: Type.Optional(Type.String({ maxLength: 128 })), from: Type.Optional(Day), to: Type.Optional(Day) }),
        response: {
          200: Type.Object({
            team: Type.Union([Type.String(), Type.Null()]),
            window: Type.Object({ from: Type.String(), to: Type.String() }),
            asOf: Type.String(),
            tenant: Type.Object(Score),
            teams: Type.Array(Type.Object({ teamId: Type.Union([Type.String(), Type.Null()]), ...Score })),
            reps: Type.Array(Type.Object({ repId: Type.String(), teamId: Type.Union([Type.String(), Type.Null()]), ...Score })),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (req) => phiReport(leadDeps(ctx, req), principalOf(req).tenantId, req.query),
  );

  app.get(
    '/v1/funnel',
    {
      schema: {
        tags: ['phi'],
        summary: '线索转化漏斗与各阶段停留时长 / stage funnel with dwell times',
        querystring: Type.Object({ team: Type.Optional(Type.String({ maxLength: 128 })) }),
        response: errors(401, 403),
      },
    },
    async (req) => funnelReport(leadDeps(ctx, req), principalOf(req).tenantId, req.query),
  );
};

export default phi;
