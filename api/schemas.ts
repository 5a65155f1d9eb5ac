import { Type, type Static } from 'typebox';
import { LEAD_STAGES, RECORDING_STATUSES, type LeadStage, type RecordingStatus } from '../db/schema.ts';

/** A string enum that keeps its literal type (a Union over a mapped array loses it). */
export const StringEnum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** A field a PUT may leave out (unchanged) or set to null (cleared). */
export const OptionalNullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Optional(Nullable(t));

/** A calendar day, YYYY-MM-DD, in Beijing time. */
export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（北京时间）' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String() }),
    requestId: Type.String(),
  },
  { $id: 'ErrorResponse', description: '所有错误的统一格式 / every error has this shape' },
);

/** The error responses a route declares, so they appear in OpenAPI. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));
}

export const CrmId = Type.String({ minLength: 1, maxLength: 128, description: 'CRM 自己的 id / your CRM id' });

export const RecordingSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    repId: Type.String(),
    leadId: Nullable(Type.String()),
    customerId: Nullable(Type.String()),
    recordedAt: Nullable(Type.String({ format: 'date-time' })),
    originalName: Type.String(),
    byteSize: Type.Number(),
    sha256: Type.String(),
    kind: Nullable(Type.Union([Type.Literal('audio'), Type.Literal('transcript')])),
    durationSec: Nullable(Type.Number()),
    status: StringEnum<RecordingStatus>(RECORDING_STATUSES),
    stageTimes: Type.Object({
      queuedAt: Nullable(Type.String()),
      normalizingAt: Nullable(Type.String()),
      transcribingAt: Nullable(Type.String()),
      analyzingAt: Nullable(Type.String()),
      analyzedAt: Nullable(Type.String()),
      failedAt: Nullable(Type.String()),
    }),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    createdAt: Type.String(),
  },
  { $id: 'Recording' },
);
export type RecordingDto = Static<typeof RecordingSchema>;

export const RepSchema = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    team: Nullable(Type.String()),
    title: Nullable(Type.String()),
    supervisorId: Nullable(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Rep' },
);

export const CustomerSchema = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    industry: Nullable(Type.String()),
    customerType: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Customer' },
);

export const StageSchema = StringEnum<LeadStage>(LEAD_STAGES);

export const LeadSchema = Type.Object(
  {
    id: Type.String(),
    title: Nullable(Type.String()),
    customerId: Nullable(Type.String()),
    ownerRepId: Nullable(Type.String()),
    stage: StageSchema,
    stageEnteredAt: Type.String(),
    amount: Nullable(Type.Number()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Lead' },
);

export const WebhookSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    events: Type.Array(Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String(),
  },
  { $id: 'Webhook' },
);

export const SHARED_SCHEMAS = [ErrorResponse, RecordingSchema, RepSchema, CustomerSchema, LeadSchema, WebhookSchema];

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
