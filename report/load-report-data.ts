import type { FileResultOk } from '../analyze/types.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { FollowUpView } from '../db/repositories/followups.repository.ts';
import type { RecordingView } from '../db/repositories/recordings.repository.ts';
import { CHECKPOINTS } from '../leads/checkpoints.ts';
import type { StageId } from '../core/stages.ts';
import { shanghaiDay } from '../core/time.ts';
import type { ReportData, ReportLead, ReportRecording, ReportTask } from './report-data.ts';

const ALL = 100_000;

export interface LoadOptions {
  asOf: Date;
  window: { from: Date; to: Date };
  notes?: string[];
  transcriptNotes?: string[];
  /** Where a recording page's player finds the audio (static report: a copied file; API: the audio route). */
  audioHref: (rec: RecordingView) => string | null;
}

function transcriptSource(source: string | undefined): ReportRecording['transcriptSource'] {
  if (!source || source === 'transcript') return 'typed';
  return source === 'reference' ? 'reference' : 'engine';
}

/**
 * Reads one tenant's report data through the repositories (tenant-scoped like every query). The report shows CRM
 * ids for reps, customers and leads; recordings keep their stored id.
 */
export async function loadReportData(repos: Repositories, tenantId: string, opts: LoadOptions): Promise<ReportData> {
  const tenant = await repos.tenants.getById(tenantId);
  const repRows = await repos.reps.list(tenantId);
  const repName = new Map(repRows.map((r) => [r.externalId, r.name ?? r.externalId]));
  const customerRows = await repos.customers.list(tenantId);
  const customers = await Promise.all(
    customerRows.map(async (c) => {
      const contacts = await repos.customers.contacts(tenantId, c.id);
      return { id: c.externalId, name: c.name ?? c.externalId, customerType: c.customerType, contactRole: contacts.find((x) => x.role)?.role ?? null };
    }),
  );

  const leadRows = await repos.leads.list(tenantId);
  const leads: ReportLead[] = [];
  const proposals: ReportData['proposals'] = [];
  const leadOwner = new Map<string, string | null>();
  for (const l of leadRows) {
    const [events, attachments, props] = await Promise.all([
      repos.leads.stageEvents(tenantId, l.id),
      repos.leadEvidence.attachments(tenantId, l.id),
      repos.leadEvidence.proposals(tenantId, l.id),
    ]);
    leadOwner.set(l.externalId, l.ownerRepExternalId);
    leads.push({
      id: l.externalId,
      title: l.title ?? l.externalId,
      customerId: l.customerExternalId,
      ownerId: l.ownerRepExternalId,
      stage: l.stage,
      amount: l.amount,
      history: events.map((e) => {
        // Attachments belong to the lead; a stage's evidence is what its checkpoint accepts, uploaded by the move.
        const kinds = new Set((CHECKPOINTS[e.toStage as StageId] ?? []).flatMap((r) => r.anyOf as string[]));
        const evidence = attachments
          .filter((a) => kinds.has(a.kind) && a.createdAt.getTime() <= e.at.getTime() + 60_000)
          .map((a) => ({ id: a.id, kind: a.kind, name: a.originalName, storageKey: a.storageKey }));
        return { stage: e.toStage, at: e.at, actor: e.actor, evidence };
      }),
    });
    for (const p of props) {
      proposals.push({
        leadId: l.externalId,
        stage: p.stage,
        at: p.recordedAt ?? p.createdAt,
        recordingId: p.recordingId,
        segmentIndex: p.segmentIndex,
        quote: p.evidence,
        status: p.decision ?? 'pending',
      });
    }
  }

  const commitmentAt: CommitmentPlaces = new Map();
  const recordings: ReportRecording[] = [];
  for (const r of await repos.recordings.list({ tenantId }, {}, ALL)) recordings.push(await reportRecording(repos, r, opts, commitmentAt));
  const tasks = (await repos.followUps.list(tenantId)).map((t) => reportTask(t, commitmentAt, leadOwner));

  const fromDay = shanghaiDay(opts.window.from);
  const toDay = shanghaiDay(new Date(opts.window.to.getTime() - 1));
  const touchpoints = (await repos.attitude.touchpoints(tenantId, fromDay, toDay)).map((t) => ({
    repId: t.repId,
    customerId: t.customerId,
    day: t.day,
    reported: t.reported,
    recorded: t.recorded,
  }));
  const attitude = (await repos.attitude.list(tenantId, { from: fromDay, to: toDay })).map((a) => ({
    customerId: a.customerId,
    repId: a.repId,
    day: a.day,
    score: a.score,
    source: a.source,
  }));
  const settings = await repos.leadEvidence.settings(tenantId);

  return {
    tenantName: tenant?.name ?? '',
    asOf: opts.asOf,
    window: opts.window,
    reps: repRows.map((r) => ({
      id: r.externalId,
      name: r.name ?? r.externalId,
      team: r.team,
      supervisorName: r.supervisorExternalId ? (repName.get(r.supervisorExternalId) ?? r.supervisorExternalId) : null,
      title: r.title,
    })),
    customers,
    leads,
    recordings,
    tasks,
    touchpoints,
    attitude,
    proposals,
    dwellStandards: settings?.dwellHours ?? {},
    notes: opts.notes ?? [],
    transcriptNotes: opts.transcriptNotes ?? [],
  };
}

/** Where each commitment was said: a task's link back to its recording and segment. */
type CommitmentPlaces = Map<string, { recordingId: string; segmentIndex: number | null }>;

async function reportRecording(repos: Repositories, r: RecordingView, opts: Pick<LoadOptions, 'audioHref'>, places: CommitmentPlaces): Promise<ReportRecording> {
  const [analysis, transcript, commitments] = await Promise.all([
    repos.results.getAnalysis(r.tenantId, r.id),
    repos.results.getTranscript(r.tenantId, r.id),
    repos.results.commitmentsFor(r.tenantId, r.id),
  ]);
  for (const c of commitments) places.set(c.id, { recordingId: r.id, segmentIndex: c.segmentIndex });
  const result = analysis?.result as FileResultOk | undefined;
  return {
    id: r.id,
    repId: r.repExternalId,
    leadId: r.leadExternalId,
    customerId: r.customerExternalId,
    recordedAt: r.recordedAt ?? r.createdAt,
    kind: r.kind ?? 'transcript',
    status: r.status,
    originalName: r.originalName,
    transcriptSource: r.kind === 'audio' ? transcriptSource(transcript?.source) : 'typed',
    audioHref: r.kind === 'audio' && r.normalizedKey ? opts.audioHref(r) : null,
    analysis: result ?? null,
  };
}

function reportTask(t: FollowUpView, places: CommitmentPlaces, leadOwner: Map<string, string | null>): ReportTask {
  const from = t.commitmentId ? places.get(t.commitmentId) : undefined;
  return {
    id: t.id,
    kind: t.kind,
    title: t.title,
    repId: t.assigneeExternalId ?? (t.leadExternalId ? (leadOwner.get(t.leadExternalId) ?? null) : null),
    leadId: t.leadExternalId,
    customerId: t.customerExternalId,
    recordingId: from?.recordingId ?? null,
    segmentIndex: from?.segmentIndex ?? null,
    createdAt: t.createdAt,
    dueAt: t.dueAt,
    doneAt: t.status === 'done' ? t.completedAt : null,
    escalatedAt: t.escalatedAt,
    cancelled: t.status === 'cancelled',
  };
}

/**
 * One recording's page data and nothing else of the tenant: the recording with its analysis and commitments, its
 * rep, customer and the tasks its promises became. Null when the tenant has no such recording.
 */
export async function loadRecordingReportData(
  repos: Repositories,
  tenantId: string,
  recordingId: string,
  opts: Pick<LoadOptions, 'asOf' | 'window' | 'audioHref'>,
): Promise<ReportData | null> {
  const r = await repos.recordings.getById({ tenantId }, recordingId);
  if (!r) return null;
  const places: CommitmentPlaces = new Map();
  const recording = await reportRecording(repos, r, opts, places);
  const [tenant, rep, customer, tasks] = await Promise.all([
    repos.tenants.getById(tenantId),
    repos.reps.getById(tenantId, r.repId),
    r.customerId ? repos.customers.getById(tenantId, r.customerId) : undefined,
    places.size ? repos.followUps.list(tenantId, { commitmentIds: [...places.keys()] }) : [],
  ]);
  const contacts = customer ? await repos.customers.contacts(tenantId, customer.id) : [];
  return {
    ...emptyReport(tenant?.name ?? '', opts),
    reps: rep ? [{ id: rep.externalId, name: rep.name ?? rep.externalId, team: rep.team, supervisorName: null, title: rep.title }] : [],
    customers: customer
      ? [{ id: customer.externalId, name: customer.name ?? customer.externalId, customerType: customer.customerType, contactRole: contacts.find((x) => x.role)?.role ?? null }]
      : [],
    recordings: [recording],
    tasks: tasks.map((t) => reportTask(t, places, new Map())),
  };
}

function emptyReport(tenantName: string, opts: Pick<LoadOptions, 'asOf' | 'window'>): ReportData {
  return {
    tenantName,
    asOf: opts.asOf,
    window: opts.window,
    reps: [],
    customers: [],
    leads: [],
    recordings: [],
    tasks: [],
    touchpoints: [],
    attitude: [],
    proposals: [],
    dwellStandards: {},
    notes: [],
    transcriptNotes: [],
  };
}
