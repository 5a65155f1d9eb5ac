import { InvalidInputError, NotFoundError, ConflictError } from '../../core/errors.ts';
import type { CategoryId } from '../../core/categories.ts';
import { buildDossier, type Dossier } from '../handover.ts';
import { handoverNotification } from '../messages.ts';
import { addDays, shanghaiDay } from '../../core/time.ts';
import { timingFrom, type LeadDeps } from './deps.ts';
import { saveTasks } from './followups.service.ts';
import { notify, recipientOf } from './notify.service.ts';

/**
 * Marks a rep departed and hands every customer to the successor: open leads and open tasks move, and for each
 * customer a dossier (recent visits and tags, decision-makers, open commitments) plus three checklist tasks.
 * Asking again for a rep already handed over returns the existing hand-over instead of doing it twice. Every key of
 * the departed rep is revoked (`revokedKeys`: their ids).
 */
export async function departRep(deps: LeadDeps, tenantId: string, repExternalId: string, successorExternalId: string, actor: string | null, now = new Date()) {
  const rep = await deps.repos.reps.getByExternalId(tenantId, repExternalId);
  if (!rep) throw new NotFoundError('rep_not_found', '销售 rep not found / 未找到');
  if (repExternalId === successorExternalId) throw new InvalidInputError('invalid_successor', '接任者不能是离职销售本人 / successor must be another rep');
  const successor = await deps.repos.reps.getByExternalId(tenantId, successorExternalId);
  if (!successor) throw new NotFoundError('successor_not_found', '接任销售 successor not found / 未找到');
  if (successor.status !== 'active') throw new ConflictError('successor_inactive', '接任者已停用 / the successor is not active');

  // The departed rep's keys stop working now, before anything else: a departure that fails half-way must not leave them in.
  const revokedKeys = await deps.repos.apiKeys.revokeForRep(tenantId, rep.id);
  const previous = await deps.repos.handovers.latestForRep(tenantId, rep.id);
  if (rep.status === 'inactive' && previous) {
    return { ...(await handoverView(deps, tenantId, previous.id, repExternalId, successorExternalId)), created: false, revokedKeys };
  }

  const customers = await deps.repos.customers.listOfRep(tenantId, rep.id);
  const openTasks = await deps.repos.followUps.list(tenantId, { assigneeRepId: rep.id, status: 'open' });
  const timing = timingFrom(deps.config);
  const dossiers = [];
  for (const c of customers) {
    const [leads, visits, contacts, attitude] = await Promise.all([
      deps.repos.leads.listOfCustomer(tenantId, c.id),
      deps.repos.recordings.visitsOfCustomer(tenantId, c.id),
      deps.repos.customers.contacts(tenantId, c.id),
      deps.repos.attitude.list(tenantId, { from: addDays(shanghaiDay(now), -90), to: shanghaiDay(now), customerIds: [c.id] }),
    ]);
    const last = attitude.filter((a) => a.source === 'report').at(-1) ?? attitude.at(-1);
    dossiers.push({
      customer: c,
      dossier: buildDossier(
        {
          customerId: c.externalId,
          name: c.name,
          customerType: c.customerType,
          profileTags: [c.industry, c.customerType].filter((x): x is string => !!x),
          leads: leads.map((l) => ({ leadId: l.leadId, stage: l.stage })),
          visits: visits.map((v) => ({ recordingId: v.recordingId, recordedAt: v.recordedAt ?? v.createdAt, tagCounts: v.tagCounts })),
          contacts: contacts.map((p) => ({ name: p.name, role: p.role, caresAbout: p.caresAbout as CategoryId[] })),
          openCommitments: openTasks
            .filter((t) => t.customerId === c.id && t.kind === 'commitment')
            .map((t) => ({ taskId: t.id, title: t.title, dueAt: t.dueAt ?? t.createdAt })),
          lastAttitude: last ? { day: last.day, score: last.score } : null,
        },
        { repId: repExternalId },
        { repId: successorExternalId },
        now,
        timing,
      ),
      leadIds: new Map(leads.map((l) => [l.leadId, l.id])),
    });
  }

  await deps.repos.leads.transferOpen(tenantId, rep.id, successor.id);
  await deps.repos.followUps.reassignOpen(tenantId, rep.id, successor.id);
  await deps.repos.reps.upsert(tenantId, repExternalId, { status: 'inactive' });
  const handover = await deps.repos.handovers.create(
    { tenantId, fromRepId: rep.id, toRepId: successor.id, actor, createdAt: now },
    dossiers.map((d) => {
      const { checklist: _checklist, ...rest } = d.dossier;
      return { customerId: d.customer.id, dossier: rest as unknown as Record<string, unknown> };
    }),
  );
  const tasks = await saveTasks(
    deps,
    tenantId,
    dossiers.flatMap((d) =>
      d.dossier.checklist.map((plan) => ({
        plan,
        ids: { repId: successor.id, leadId: plan.leadId ? d.leadIds.get(plan.leadId) ?? null : null, customerId: d.customer.id, handoverId: handover.id },
      })),
    ),
  );
  await notify(deps, tenantId, handoverNotification({ repId: repExternalId, name: rep.name ?? repExternalId }, recipientOf(successor), customers.length, tasks.length));
  return { ...(await handoverView(deps, tenantId, handover.id, repExternalId, successorExternalId)), created: true, revokedKeys };
}

async function handoverView(deps: LeadDeps, tenantId: string, handoverId: string, from: string, to: string) {
  const [dossiers, tasks] = await Promise.all([
    deps.repos.handovers.dossiers(tenantId, handoverId),
    deps.repos.followUps.list(tenantId, { handoverId }),
  ]);
  return {
    handoverId,
    fromRepId: from,
    toRepId: to,
    dossiers: dossiers.map((d) => ({
      ...(d.dossier as unknown as Omit<Dossier, 'checklist'>),
      checklist: tasks
        .filter((t) => t.customerExternalId === d.customerId)
        .map((t) => ({ taskId: t.id, kind: t.kind, title: t.title, detail: t.detail, dueAt: t.dueAt?.toISOString() ?? null, status: t.status })),
    })),
  };
}

/** The latest hand-over of a departed rep. */
export async function getHandover(deps: LeadDeps, tenantId: string, repExternalId: string) {
  const rep = await deps.repos.reps.getByExternalId(tenantId, repExternalId);
  if (!rep) throw new NotFoundError('rep_not_found', '销售 rep not found / 未找到');
  const h = await deps.repos.handovers.latestForRep(tenantId, rep.id);
  if (!h) throw new NotFoundError('handover_not_found', '交接记录 hand-over not found / 未找到');
  const to = await deps.repos.reps.getById(tenantId, h.toRepId);
  return handoverView(deps, tenantId, h.id, repExternalId, to?.externalId ?? '');
}
