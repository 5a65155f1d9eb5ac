import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { CHECKPOINTS, ATTACHMENT_LABELS } from '../leads/checkpoints.ts';
import { computeDwells, resolveDwellStandards } from '../leads/dwell.ts';
import type { StageId } from '../core/stages.ts';
import { formatFigure } from '../patterns/finding-text.ts';
import type { Finding } from '../patterns/types.ts';
import { attachmentFile } from './attachments.ts';
import { actorLabel, followUpVM, openFollowUps, recordingLinks, recordingTitle, type Lookup } from './build-common.ts';
import { findingVM, miningSection, repRows, stepLabel } from './build-team.ts';
import type { Insights } from './compute.ts';
import { clock } from './html.ts';
import { behaviorLabel, stageLabel } from './labels.ts';
import { links } from './links.ts';
import type { ReportRecording } from './report-data.ts';
import type { ComparisonVM, LeadPageVM, RecordingPageVM, RepPageVM } from './view-models.ts';

const MAX_COMPARISONS = 5;
const MAX_SUGGESTIONS = 4;

/**
 * One rep's coaching page. Every figure about the team is the miner's finding as the team page shows it; the rep's
 * own figure is the same finding's per-rep value (patterns/ computes both), so the two pages cannot disagree.
 */
export function buildRepPage(lk: Lookup, insights: Insights, repId: string): RepPageVM {
  const m = insights.mining;
  const row = repRows(lk, insights).find((r) => r.id === repId)!;
  const rep = lk.data.reps.find((r) => r.id === repId)!;
  const coaching = m.coaching.find((c) => c.rep === repId)?.suggestions ?? [];
  const { vm: mining, shown } = miningSection(m);
  const own = (f: Finding) => f.perRep.find((p) => p.rep === repId) ?? null;
  const comparisons: ComparisonVM[] = shown
    .filter((f) => f.kind === 'before_stage' && f.stage && f.top !== null && f.rest !== null)
    .slice(0, MAX_COMPARISONS)
    .map((f) => {
      const mine = own(f);
      return {
        findingId: f.id,
        behavior: f.behaviors[0],
        behaviorLabel: behaviorLabel(f.behaviors[0]),
        stage: f.stage!,
        stageLabel: stageLabel(f.stage!),
        customerType: f.customerType,
        status: f.status,
        statusLabel: f.text.status,
        rep: mine?.value ?? null,
        top: f.top!,
        rest: f.rest!,
        repText: mine ? formatFigure(f.unit, mine.value) : '—',
        topText: f.text.top,
        restText: f.text.rest,
        repLeads: mine?.leads ?? 0,
        short: f.status === 'established' && mine !== null && mine.value < f.top!,
      };
    });
  const findings = shown.map((f) => {
    const mine = own(f);
    return { ...findingVM(f), yours: mine ? formatFigure(f.unit, mine.value) : null, yourLeads: mine?.leads ?? 0 };
  });
  const seen = new Set<string>();
  const distinct = coaching.filter((s) => !seen.has(s.behavior) && seen.add(s.behavior)).slice(0, MAX_SUGGESTIONS);
  const suggestions = distinct.map((s) => ({
    behavior: s.behavior,
    behaviorLabel: behaviorLabel(s.behavior),
    customerType: s.customerType,
    message: s.message,
    templates: s.tips,
    evidence: s.evidence.recordings.flatMap((r) => {
      const rec = lk.recording.get(r.recordingId);
      const title = rec ? recordingTitle(rec, lk) : r.recordingId;
      return r.moments
        .filter((mo) => mo.status === 'missing')
        .slice(0, 1)
        .map((mo) => ({
          label: `${title}：此处缺少「${behaviorLabel(mo.behavior)}」`,
          href: links.recording(r.recordingId, mo.segment ?? null),
          // A moment in a visit with audio is heard, not read: the link plays from its start.
          listenAt: rec?.audioHref && mo.startSec != null && mo.segment != null ? clock(mo.startSec) : null,
        }));
    }),
  }));
  const recs = lk.data.recordings.filter((r) => r.repId === repId);
  const standards = resolveDwellStandards(lk.data.dwellStandards);
  const leads = lk.data.leads
    .filter((l) => l.ownerId === repId)
    .map((l) => {
      const history = [...l.history].sort((a, b) => a.at.getTime() - b.at.getTime());
      const dwells = computeDwells(history.map((h) => ({ stage: h.stage as StageId, at: h.at })), standards, lk.data.asOf);
      const closed = l.stage === 'won' || l.stage === 'lost';
      const last = dwells[dwells.length - 1];
      return {
        id: l.id,
        title: l.title,
        href: links.lead(l.id),
        customerName: lk.customer(l.customerId).name,
        stageLabel: stageLabel(l.stage),
        amount: l.amount,
        enteredAt: history.length ? history[history.length - 1].at.toISOString() : null,
        dwellHours: closed ? null : (last?.dwellHours ?? null),
        standardHours: closed ? null : (last?.standardHours ?? null),
        closed,
      };
    })
    // Open leads first, the longest past its standard at the top; closed ones after, newest first.
    .sort((a, b) => Number(a.closed) - Number(b.closed) || overBy(b) - overBy(a) || String(b.enteredAt).localeCompare(String(a.enteredAt)));
  return {
    meta: lk.meta,
    rep: { ...row, supervisor: rep.supervisorName },
    topGroup: m.groups.top.map((id) => lk.repName(id)),
    comparisons,
    mining,
    findings,
    suggestions,
    followUps: openFollowUps(lk.data.tasks.filter((t) => t.repId === repId), lk),
    leads,
    recordings: recordingLinks(recs, lk),
  };
}

function overBy(l: { dwellHours: number | null; standardHours: number | null }): number {
  return l.dwellHours != null && l.standardHours != null ? l.dwellHours - l.standardHours : -Infinity;
}

export function buildRecordingPage(lk: Lookup, r: ReportRecording): RecordingPageVM | null {
  const a = r.analysis;
  if (!a) return null;
  const c = lk.customer(r.customerId);
  const tasks = new Map(
    lk.data.tasks.filter((t) => t.recordingId === r.id && t.segmentIndex != null).map((t) => [t.segmentIndex as number, followUpVM(t, lk)]),
  );
  const commitments = new Map(a.commitments.map((cm) => [cm.segment, cm]));
  return {
    // The page says under its title where this recording's text came from, so the tenant-wide note is not repeated.
    meta: lk.meta,
    id: r.id,
    title: `拜访记录：${recordingTitle(r, lk)}`,
    repName: lk.repName(r.repId),
    repHref: lk.data.reps.some((x) => x.id === r.repId) ? links.rep(r.repId) : null,
    customerName: c.name,
    customerType: c.customerType,
    leadHref: r.leadId ? links.lead(r.leadId) : null,
    recordedAt: r.recordedAt.toISOString(),
    kind: r.kind,
    transcriptSource: r.transcriptSource,
    audioSrc: r.audioHref,
    durationSec: a.durationSec,
    lexiconVersion: a.lexiconVersion,
    metrics: a.metrics,
    tagCounts: a.tagCounts,
    segments: a.segments.map((s, index) => {
      const cm = commitments.get(index);
      return {
        index,
        start: s.start,
        end: s.end,
        speaker: s.speaker,
        text: s.text,
        tags: s.tags,
        behaviors: s.behaviors.filter((b) => (BEHAVIOR_IDS as readonly string[]).includes(b)),
        commitment: cm ? { dueAt: cm.dueAt, status: tasks.get(index)?.status ?? null } : null,
      };
    }),
  };
}

export function buildLeadPage(lk: Lookup, leadId: string): LeadPageVM {
  const l = lk.data.leads.find((x) => x.id === leadId)!;
  const c = lk.customer(l.customerId);
  const standards = resolveDwellStandards(lk.data.dwellStandards);
  const dwells = computeDwells(l.history.map((h) => ({ stage: h.stage as StageId, at: h.at })), standards, lk.data.asOf);
  const history = [...l.history].sort((a, b) => a.at.getTime() - b.at.getTime());
  const provided = new Set(history.flatMap((h) => h.evidence.map((e) => e.kind)));
  const reached = new Set(history.map((h) => h.stage));
  const checkpoints = Object.entries(CHECKPOINTS)
    .filter(([stage]) => reached.has(stage))
    .map(([stage, reqs]) => ({
      stage,
      label: stageLabel(stage),
      required: reqs!.map((q) => q.label),
      provided: reqs!.filter((q) => q.anyOf.some((k) => provided.has(k))).map((q) => q.anyOf.filter((k) => provided.has(k)).map((k) => ATTACHMENT_LABELS[k]).join('、')),
      missing: reqs!.filter((q) => !q.anyOf.some((k) => provided.has(k))).map((q) => q.label),
    }));
  return {
    meta: lk.meta,
    id: l.id,
    title: l.title,
    customerName: c.name,
    customerType: c.customerType,
    ownerName: lk.repName(l.ownerId),
    ownerHref: l.ownerId ? links.rep(l.ownerId) : null,
    stage: l.stage,
    stageLabel: stageLabel(l.stage),
    amount: l.amount,
    history: history.map((h, i) => ({
      stage: h.stage,
      label: stageLabel(h.stage),
      at: h.at.toISOString(),
      dwellHours: h.stage === 'won' || h.stage === 'lost' ? null : (dwells[i]?.dwellHours ?? null),
      standardHours: dwells[i]?.standardHours ?? null,
      by: actorLabel(h.actor, lk),
      evidence: h.evidence.map((e) => ({ kind: (ATTACHMENT_LABELS as Record<string, string>)[e.kind] ?? e.kind, name: e.name, href: attachmentFile(e.id, e.name) })),
    })),
    checkpoints,
    proposals: lk.data.proposals
      .filter((p) => p.leadId === leadId)
      .map((p) => ({
        stage: p.stage,
        label: stepLabel(p.stage),
        at: p.at.toISOString(),
        quote: p.quote,
        status: p.status,
        evidenceHref: p.recordingId ? links.recording(p.recordingId, p.segmentIndex) : null,
      })),
    followUps: lk.data.tasks.filter((t) => t.leadId === leadId && !t.cancelled).map((t) => followUpVM(t, lk)),
    recordings: recordingLinks(lk.data.recordings.filter((r) => r.leadId === leadId), lk),
  };
}

