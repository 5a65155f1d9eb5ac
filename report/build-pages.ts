import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { CHECKPOINTS, ATTACHMENT_LABELS } from '../leads/checkpoints.ts';
import { computeDwells, resolveDwellStandards } from '../leads/dwell.ts';
import type { StageId } from '../core/stages.ts';
import type { BeforeStageRow } from '../patterns/types.ts';
import { followUpVM, openFollowUps, recordingLinks, recordingTitle, type Lookup } from './build-common.ts';
import { patternSentences, repRows, stepLabel } from './build-team.ts';
import type { Insights } from './compute.ts';
import { behaviorLabel, stageLabel } from './labels.ts';
import { links } from './links.ts';
import type { ReportRecording } from './report-data.ts';
import type { ComparisonVM, LeadPageVM, RecordingPageVM, RepPageVM } from './view-models.ts';

const ALPHA = 0.05;
const MAX_COMPARISONS = 5;
const MAX_SUGGESTIONS = 4;
/** When one behaviour separates the groups before several stages, the bar shown is the first of these it has. */
const STAGE_PREFERENCE = ['price_negotiation', 'proposal_read', 'proposal_sent', 'legal_review', 'needs_confirmed', 'won', 'new_lead', 'lost'];

/** The rep's own mean count of a behaviour at or before each lead's first entry into the stage. */
function repBefore(lk: Lookup, repId: string, row: BeforeStageRow): { mean: number | null; leads: number } {
  const customerType = (id: string | null) => lk.customer(id).customerType;
  const mine = lk.data.leads.filter((l) => l.ownerId === repId && (row.customerType === null || customerType(l.customerId) === row.customerType));
  let total = 0;
  let n = 0;
  for (const l of mine) {
    const entered = l.history.filter((h) => h.stage === row.stage).map((h) => h.at.getTime());
    if (entered.length === 0) continue;
    const cut = Math.min(...entered);
    n++;
    for (const r of lk.data.recordings) {
      if (r.leadId !== l.id || r.repId !== repId || !r.analysis) continue;
      for (const s of r.analysis.segments) {
        if (s.behaviors.includes(row.behavior) && r.recordedAt.getTime() + (s.start ?? 0) * 1000 <= cut) total++;
      }
    }
  }
  return { mean: n ? total / n : null, leads: n };
}

export function buildRepPage(lk: Lookup, insights: Insights, repId: string): RepPageVM {
  const m = insights.mining;
  const row = repRows(lk, insights).find((r) => r.id === repId)!;
  const rep = lk.data.reps.find((r) => r.id === repId)!;
  const coaching = m.coaching.find((c) => c.rep === repId)?.suggestions ?? [];
  const significant = m.beforeStage.filter(
    (r) => r.qValue !== null && r.qValue < ALPHA && r.top !== null && r.rest !== null && r.top > r.rest && r.stage !== 'lost',
  );
  // One bar per behaviour (the same habit shows up before every later stage; repeating it says nothing new).
  const byBehavior = new Map<string, ComparisonVM>();
  const rank = (c: ComparisonVM) => [Number(c.repLeads === 0), Number(c.customerType !== null), STAGE_PREFERENCE.indexOf(c.stage)];
  const better = (a: ComparisonVM, b: ComparisonVM) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i];
    return false;
  };
  for (const r of significant) {
    const mine = repBefore(lk, repId, r);
    const c: ComparisonVM = {
      behavior: r.behavior,
      behaviorLabel: behaviorLabel(r.behavior),
      stage: r.stage,
      stageLabel: stageLabel(r.stage),
      customerType: r.customerType,
      rep: mine.mean,
      top: r.top!,
      rest: r.rest!,
      pValue: r.pValue ?? 1,
      repLeads: mine.leads,
      short: mine.mean !== null && mine.mean < r.top! * 0.8,
    };
    const cur = byBehavior.get(r.behavior);
    if (!cur || better(c, cur)) byBehavior.set(r.behavior, c);
  }
  const comparisons = [...byBehavior.values()].sort((a, b) => b.top - b.rest - (a.top - a.rest)).slice(0, MAX_COMPARISONS);
  const seen = new Set<string>();
  const distinct = coaching.filter((s) => s.stage !== 'lost' && !seen.has(s.behavior) && seen.add(s.behavior)).slice(0, MAX_SUGGESTIONS);
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
        .map((mo) => ({ label: `${title}：此处缺少「${behaviorLabel(mo.behavior)}」`, href: links.recording(r.recordingId, mo.segment ?? null) }));
    }),
  }));
  const recs = lk.data.recordings.filter((r) => r.repId === repId);
  const patterns = patternSentences(m).map((p) => ({ sentence: p.sentence, topSupport: p.topSupport, restSupport: p.restSupport, qValue: p.qValue }));
  return {
    meta: lk.meta,
    rep: { ...row, supervisor: rep.supervisorName },
    topGroup: m.groups.top.map((id) => lk.repName(id)),
    comparisons,
    patterns,
    suggestions,
    miningNote: m.groupsTooSmall,
    followUps: openFollowUps(lk.data.tasks.filter((t) => t.repId === repId), lk),
    recordings: recordingLinks(recs, lk),
  };
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
      by: h.actor,
      evidence: h.evidence.map((e) => ({ kind: (ATTACHMENT_LABELS as Record<string, string>)[e.kind] ?? e.kind, name: e.name })),
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

