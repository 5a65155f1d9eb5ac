/**
 * The one drizzle schema. Only repositories (db/repositories/) import it; everything else goes through them.
 * Every tenant-owned row carries tenant_id, and every repository query filters on it (tenant isolation).
 * Reps, customers and leads also carry the CRM's own string id (external_id), unique per tenant, which the API uses.
 */
import type { ErrorCode } from '../core/error-codes.ts';
import { STAGE_IDS, type StageId } from '../core/stages.ts';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CallMetrics, FileResultOk, Segment } from '../analyze/types.ts';
import type { CategoryId } from '../core/categories.ts';
import type { MiningResult } from '../patterns/types.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const ROLES = ['admin', 'trainer', 'rep', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export const reps = pgTable(
  'reps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    name: text('name'),
    team: text('team'),
    /** The supervisor is another rep of the same tenant (notified on 48 h overdue follow-ups). */
    supervisorId: uuid('supervisor_id'),
    /** A role inside the sales org (e.g. 'sales', 'legal', 'legal_lead', 'manager'); free text so tenants can extend. */
    title: text('title'),
    status: text('status', { enum: ['active', 'inactive'] }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('reps_tenant_external_uq').on(t.tenantId, t.externalId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    /** A rep key sees only this rep's recordings. */
    repId: uuid('rep_id').references(() => reps.id, { onDelete: 'cascade' }),
    /** sha256 of the key: keys are 32 random bytes, so a fast hash is enough and lets us look the key up by hash. */
    keyHash: text('key_hash').notNull().unique(),
    /** First characters of the key, shown in listings so a person can tell keys apart. */
    keyPrefix: text('key_prefix').notNull(),
    label: text('label'),
    createdAt: createdAt(),
    /** Written at most once a minute per key (api-keys.repository.ts), so an audit can see dormant keys. */
    lastUsedAt: ts('last_used_at'),
    /** A key past this instant no longer authenticates (null = no expiry). */
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId), index('api_keys_rep_idx').on(t.repId)],
);

/**
 * Browser sessions of the report pages: the cookie holds a random id, only its sha256 is stored. A session lives
 * no longer than its expiry, its key (revoking the key ends it) or a logout (the row is deleted).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    keyId: uuid('key_id').notNull().references(() => apiKeys.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_key_idx').on(t.keyId)],
);

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    name: text('name'),
    industry: text('industry'),
    /** e.g. 主机厂, 经销商: mining and coaching templates are keyed by it. */
    customerType: text('customer_type'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('customers_tenant_external_uq').on(t.tenantId, t.externalId)],
);

/** Stage ids are the domain's (leads/stages.ts): one list for the column, the API enum and the stage machine. */
export const LEAD_STAGES = STAGE_IDS;
export type LeadStage = StageId;

export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    title: text('title'),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    ownerRepId: uuid('owner_rep_id').references(() => reps.id, { onDelete: 'set null' }),
    stage: text('stage', { enum: LEAD_STAGES }).notNull().default('new_lead'),
    stageEnteredAt: ts('stage_entered_at').notNull().defaultNow(),
    /** Deal amount in yuan, set when won (mining ranks reps by it). */
    amount: doublePrecision('amount'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('leads_tenant_external_uq').on(t.tenantId, t.externalId),
    index('leads_owner_idx').on(t.tenantId, t.ownerRepId),
  ],
);

export const leadStageEvents = pgTable(
  'lead_stage_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage', { enum: LEAD_STAGES }),
    toStage: text('to_stage', { enum: LEAD_STAGES }).notNull(),
    at: ts('at').notNull().defaultNow(),
    /** Who moved it: an API key's rep, a person's name from the CRM, or 'system'. */
    actor: text('actor'),
    amount: doublePrecision('amount'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('lead_stage_events_lead_idx').on(t.tenantId, t.leadId, t.at)],
);

export const RECORDING_STATUSES = ['queued', 'normalizing', 'transcribing', 'analyzing', 'analyzed', 'failed'] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    repId: uuid('rep_id').notNull().references(() => reps.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    recordedAt: ts('recorded_at'),
    /** The uploader's file name, kept as data only: storage keys never derive from it. */
    originalName: text('original_name').notNull(),
    contentType: text('content_type'),
    sha256: text('sha256').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    storageKey: text('storage_key').notNull(),
    /** 'audio' or 'transcript', known after sniffing. */
    kind: text('kind', { enum: ['audio', 'transcript'] }),
    normalizedKey: text('normalized_key'),
    durationSec: doublePrecision('duration_sec'),
    status: text('status', { enum: RECORDING_STATUSES }).notNull().default('queued'),
    /** Bumped by reprocess so queue job ids stay unique per run. */
    generation: integer('generation').notNull().default(0),
    queuedAt: ts('queued_at').notNull().defaultNow(),
    normalizingAt: ts('normalizing_at'),
    transcribingAt: ts('transcribing_at'),
    analyzingAt: ts('analyzing_at'),
    analyzedAt: ts('analyzed_at'),
    failedAt: ts('failed_at'),
    errorCode: text('error_code').$type<ErrorCode>(),
    errorMessage: text('error_message'),
    /** Set when the retention job removed the audio files (the row, transcript and analysis stay until their own limit). */
    audioPurgedAt: ts('audio_purged_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Dedupe: the same bytes uploaded again for the same rep are the same recording.
    uniqueIndex('recordings_dedupe_uq').on(t.tenantId, t.repId, t.sha256),
    index('recordings_tenant_created_idx').on(t.tenantId, t.createdAt),
    index('recordings_tenant_status_idx').on(t.tenantId, t.status),
  ],
);

/** Stage results are keyed by recording (primary key), so a retried job upserts instead of duplicating. */
export const transcripts = pgTable('transcripts', {
  recordingId: uuid('recording_id')
    .primaryKey()
    .references(() => recordings.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  /** 'transcript' for uploaded text, or the speech engine's name. */
  source: text('source').notNull(),
  /** With personal data (ID, mobile, bank-card numbers, e-mail) replaced: what every reader sees. */
  segments: jsonb('segments').$type<Segment[]>().notNull(),
  /** The segments before redaction, encrypted (core/secret-box.ts); null when nothing was redacted. Admins only, audited. */
  originalSegments: text('original_segments'),
  /** How many spans of each kind were redacted, e.g. {"mobile": 2}. */
  redactions: jsonb('redactions').$type<Record<string, number>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const analyses = pgTable('analyses', {
  recordingId: uuid('recording_id')
    .primaryKey()
    .references(() => recordings.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  lexiconVersion: text('lexicon_version').notNull(),
  /** Exactly the `analyze --json` FileResult for this recording. */
  result: jsonb('result').$type<FileResultOk>().notNull(),
  tagCounts: jsonb('tag_counts').$type<Partial<Record<CategoryId, number>>>().notNull(),
  behaviorCounts: jsonb('behavior_counts').$type<Record<string, number>>().notNull(),
  metrics: jsonb('metrics').$type<CallMetrics>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The mining input: one row per behaviour detected in a rep utterance. Rewritten whole on re-analysis. */
export const behaviorEvents = pgTable(
  'behavior_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id').notNull().references(() => recordings.id, { onDelete: 'cascade' }),
    repId: uuid('rep_id').notNull().references(() => reps.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    behavior: text('behavior').notNull(),
    segmentIndex: integer('segment_index').notNull(),
    /** recorded_at + the segment's start time when known. */
    at: ts('at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('behavior_events_uq').on(t.recordingId, t.segmentIndex, t.behavior),
    index('behavior_events_tenant_rep_idx').on(t.tenantId, t.repId, t.at),
  ],
);

export const commitments = pgTable(
  'commitments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id').references(() => recordings.id, { onDelete: 'cascade' }),
    repId: uuid('rep_id').notNull().references(() => reps.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    segmentIndex: integer('segment_index'),
    text: text('text').notNull(),
    dueAt: ts('due_at'),
    /** Who promised: the rep (a task to keep it) or the customer (a task for the rep to check back). */
    by: text('by', { enum: ['rep', 'customer'] }).notNull().default('rep'),
    /** `withdrawn`: a re-analysis no longer finds the promise; kept because its task was already done. */
    status: text('status', { enum: ['open', 'kept', 'broken', 'withdrawn'] }).notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Not unique: a line may hold two promises; re-analysis pairs rows with promises (leads/reconcile-commitments.ts).
    index('commitments_recording_segment_idx').on(t.recordingId, t.segmentIndex),
    index('commitments_tenant_due_idx').on(t.tenantId, t.dueAt),
  ],
);

export const followUpTasks = pgTable(
  'follow_up_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    commitmentId: uuid('commitment_id').references(() => commitments.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    assigneeRepId: uuid('assignee_rep_id').references(() => reps.id, { onDelete: 'set null' }),
    /** 'commitment' (from a recording), 'legal_review', or another kind the leads module defines. */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    dueAt: ts('due_at'),
    status: text('status', { enum: ['open', 'done', 'cancelled'] }).notNull().default('open'),
    remindedAt: ts('reminded_at'),
    escalatedAt: ts('escalated_at'),
    completedAt: ts('completed_at'),
    // Scheduling and routing, set by the leads module (leads/followups.ts): who is told, when, and who gets the
    // escalation. remind_at/escalate_at are part of the delayed jobs' ids, so moving them reschedules.
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    detail: text('detail'),
    /** Set when the task belongs to a role (e.g. 'legal') rather than one rep. */
    assigneeRole: text('assignee_role'),
    remindAt: ts('remind_at'),
    escalateAt: ts('escalate_at'),
    /** 'supervisor' (of the assignee rep) or a role such as 'legal_lead'. */
    escalateTo: text('escalate_to'),
    dueInferred: boolean('due_inferred').notNull().default(false),
    handoverId: uuid('handover_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('follow_up_tasks_commitment_uq').on(t.commitmentId),
    index('follow_up_tasks_tenant_due_idx').on(t.tenantId, t.status, t.dueAt),
  ],
);

/**
 * Stage signals a conversation showed (lead-update job). They move nothing: the leads module turns them into
 * proposals a person confirms.
 */
export const leadStageSignals = pgTable(
  'lead_stage_signals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
    recordingId: uuid('recording_id').notNull().references(() => recordings.id, { onDelete: 'cascade' }),
    stage: text('stage', { enum: LEAD_STAGES }).notNull(),
    segmentIndex: integer('segment_index').notNull(),
    evidence: text('evidence').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('lead_stage_signals_uq').on(t.recordingId, t.stage, t.segmentIndex),
    index('lead_stage_signals_lead_idx').on(t.tenantId, t.leadId),
  ],
);

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Event names, or ['*'] for all. */
    events: jsonb('events').$type<string[]>().notNull(),
    /** Encrypted with TINGJIAN_SECRET_KEY (core/secret-box.ts): it signs outgoing bodies, so it must be recoverable. */
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_subscriptions_tenant_idx').on(t.tenantId)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_deliveries_sub_idx').on(t.tenantId, t.subscriptionId, t.createdAt)],
);

// ---- Leads module (leads/): evidence, proposals' decisions, tenant settings, attitude, hand-over, robot outbox ----

/** Evidence files on a lead (read receipts, 营业执照, 授权书, 技术协议): checkpoints look at their kinds. */
export const leadAttachments = pgTable(
  'lead_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').notNull().references(() => leads.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** The uploader's file name, data only. */
    originalName: text('original_name').notNull(),
    contentType: text('content_type'),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by'),
    createdAt: createdAt(),
  },
  (t) => [index('lead_attachments_lead_idx').on(t.tenantId, t.leadId)],
);

/** A person's answer to a stage proposal (a lead_stage_signals row). */
export const leadProposalDecisions = pgTable('lead_proposal_decisions', {
  signalId: uuid('signal_id')
    .primaryKey()
    .references(() => leadStageSignals.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  decision: text('decision', { enum: ['confirmed', 'rejected'] }).notNull(),
  decidedBy: text('decided_by'),
  decidedAt: ts('decided_at').notNull().defaultNow(),
});

/** Per-tenant leads configuration; a tenant without a row uses the defaults of leads/. */
export const leadSettings = pgTable('lead_settings', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** Stage → standard dwell hours, overriding leads/dwell.ts defaults. */
  dwellHours: jsonb('dwell_hours').$type<Record<string, number>>().notNull().default({}),
  wecomWebhookUrl: text('wecom_webhook_url'),
  dingtalkWebhookUrl: text('dingtalk_webhook_url'),
  /** DingTalk 加签 secret, encrypted with TINGJIAN_SECRET_KEY (every request is signed with it, so not hashed). */
  dingtalkSecret: text('dingtalk_secret'),
  robotFormat: text('robot_format', { enum: ['text', 'markdown'] }).notNull().default('markdown'),
  updatedAt: updatedAt(),
});

/**
 * Customer attitude 1–5 per customer, rep and day, from the daily report (source_key 'report') or estimated from a
 * recording (source_key 'rec:<recording id>'). Report rows also carry the interactions the rep reported (PHI).
 */
export const attitudeScores = pgTable(
  'attitude_scores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    repId: uuid('rep_id').notNull().references(() => reps.id, { onDelete: 'cascade' }),
    /** Asia/Shanghai calendar day, YYYY-MM-DD. */
    day: text('day').notNull(),
    score: integer('score').notNull(),
    source: text('source', { enum: ['report', 'conversation'] }).notNull(),
    sourceKey: text('source_key').notNull(),
    progress: text('progress'),
    interactions: integer('interactions').notNull().default(0),
    recordingId: uuid('recording_id').references(() => recordings.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('attitude_scores_uq').on(t.tenantId, t.customerId, t.repId, t.day, t.sourceKey),
    index('attitude_scores_tenant_day_idx').on(t.tenantId, t.day),
  ],
);

/** Decision-makers at a customer and what they care about (hand-over dossiers list them). */
export const customerContacts = pgTable(
  'customer_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role'),
    caresAbout: jsonb('cares_about').$type<CategoryId[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('customer_contacts_uq').on(t.tenantId, t.customerId, t.name)],
);

/** A departed rep's customers handed to a successor, one dossier per customer. */
export const handovers = pgTable(
  'handovers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    fromRepId: uuid('from_rep_id').notNull().references(() => reps.id, { onDelete: 'cascade' }),
    toRepId: uuid('to_rep_id').notNull().references(() => reps.id, { onDelete: 'cascade' }),
    actor: text('actor'),
    createdAt: createdAt(),
  },
  (t) => [index('handovers_tenant_idx').on(t.tenantId, t.fromRepId)],
);

export const handoverDossiers = pgTable(
  'handover_dossiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    handoverId: uuid('handover_id').notNull().references(() => handovers.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
    /** leads/handover.ts Dossier without the checklist (those are follow_up_tasks rows with this handover_id). */
    dossier: jsonb('dossier').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('handover_dossiers_uq').on(t.handoverId, t.customerId)],
);

/** 企业微信 / 钉钉 robot messages waiting to be sent; the URL is read from lead_settings at send time. */
export const robotMessages = pgTable(
  'robot_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: ['wecom', 'dingtalk'] }).notNull(),
    event: text('event').notNull(),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [index('robot_messages_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** How to @-mention a rep in 企业微信 / 钉钉 group-robot messages (all optional). */
export const repNotifyHandles = pgTable('rep_notify_handles', {
  repId: uuid('rep_id')
    .primaryKey()
    .references(() => reps.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  mobile: text('mobile'),
  wecomUserId: text('wecom_user_id'),
  dingtalkUserId: text('dingtalk_user_id'),
  updatedAt: updatedAt(),
});

export const MINING_RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type MiningRunStatus = (typeof MINING_RUN_STATUSES)[number];

/**
 * Top-vs-rest mining runs of a tenant (mine-tenant job). The id is the run id in the job payload, so a retried or
 * re-run job upserts its own row instead of adding a second one.
 */
export const miningRuns = pgTable(
  'mining_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    status: text('status', { enum: MINING_RUN_STATUSES }).notNull().default('queued'),
    topShare: doublePrecision('top_share').notNull(),
    result: jsonb('result').$type<MiningResult>(),
    errorCode: text('error_code').$type<ErrorCode>(),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('mining_runs_tenant_created_idx').on(t.tenantId, t.createdAt)],
);

/** Who read personal data and who erased what: one row per such act, never updated. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    at: ts('at').notNull().defaultNow(),
    /** `<role>:<key id>` for an API key, `system:<job>` for a scheduled job. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_tenant_at_idx').on(t.tenantId, t.at)],
);

/** How long a tenant keeps recordings; null keeps forever. Enforced by the daily retention job. */
export const retentionSettings = pgTable('retention_settings', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  /** Audio files (upload and normalized) are deleted this many days after the visit. */
  audioDays: integer('audio_days'),
  /** The whole recording (transcript, analysis, derived events and tasks) is erased this many days after the visit. */
  transcriptDays: integer('transcript_days'),
  updatedAt: updatedAt(),
});

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A 销售日报 workbook import, run by the attitude-import job; the uploaded file is deleted when it finishes. */
export const attitudeImports = pgTable(
  'attitude_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('queued'),
    storageKey: text('storage_key').notNull(),
    byteSize: bigint('byte_size', { mode: 'number' }).notNull(),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsImported: integer('rows_imported').notNull().default(0),
    rowsFailed: integer('rows_failed').notNull().default(0),
    /** The first rows that failed, as {row, code, message}: never the cell's content. */
    errors: jsonb('errors').$type<Array<{ row: number; code: string; message: string }>>().notNull().default([]),
    redFlags: integer('red_flags').notNull().default(0),
    errorCode: text('error_code').$type<ErrorCode>(),
    errorMessage: text('error_message'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('attitude_imports_tenant_idx').on(t.tenantId, t.createdAt)],
);
