import { BEHAVIOR_IDS, type BehaviorId } from '../core/behaviors.ts';
import { STAGE_IDS } from '../core/stages.ts';
import { shanghaiIso } from '../core/time.ts';
import { pickTemplate, type CoachingTemplates } from '../lexicons/coaching/load.ts';
import type { Column } from './columns.ts';
import { STAGE_BASE, type EventTable } from './events.ts';
import { formatFigure, stepLabel } from './finding-text.ts';
import type { RepLayout } from './rep-layout.ts';
import type { Timelines } from './timeline.ts';
import type { CoachingEvidence, CoachingSuggestion, Finding, RecordingEvidence, RepCoaching, SuggestionEvidence } from './types.ts';

export interface CoachingInput {
  table: EventTable;
  timelines: Timelines;
  layout: RepLayout;
  findings: Finding[];
  /** The column behind each finding's figure (same order as `findings`). */
  figures: Column[];
  firstStagePos: Int32Array;
  evidence?: CoachingEvidence;
  templates: CoachingTemplates;
}

const MAX_EVIDENCE_LEADS = 5;
const MAX_EVIDENCE_RECORDINGS = 3;
const NS = STAGE_IDS.length;

/**
 * Per rest-group rep: advice only from established findings where the top group is ahead (`coachable`), stated with
 * the finding's own figure, where the rep's own figure is below the top group's and the rep's own recordings show
 * the behaviour missing. A rep already at or above the top group on that figure, or who does the behaviour at least as
 * often as the top group anyway, gets nothing about it. Reps without suggestions are omitted.
 */
export function suggestCoaching(input: CoachingInput): RepCoaching[] {
  const { table, timelines: tl, layout, evidence, templates } = input;
  if (!evidence || evidence.recordings.length === 0) return [];
  const leadIndex = new Map(table.leads.map((l, i) => [l, i]));
  const recordingsByRep = new Map<string, RecordingEvidence[]>();
  for (const r of evidence.recordings) {
    const list = recordingsByRep.get(r.rep) ?? [];
    list.push(r);
    recordingsByRep.set(r.rep, list);
  }
  const leadType = (l: number) => (tl.customerType[l] >= 0 ? table.customerTypes[tl.customerType[l]] : null);
  const recordingType = (r: RecordingEvidence) => {
    if (r.customerType) return r.customerType;
    const l = leadIndex.get(r.lead);
    return l === undefined ? null : leadType(l);
  };
  // A recording without a role takes the role recorded on its lead's events.
  const leadRole = (lead: string) => {
    const l = leadIndex.get(lead);
    return l === undefined || tl.customerRole[l] < 0 ? null : table.customerRoles[tl.customerRole[l]];
  };
  const usable = input.findings.map((f, i) => ({ f, c: input.figures[i] })).filter(({ f }) => f.coachable);
  const perLead = usable.map(({ c }) => c.perLead());
  const asOften = atLeastAsOftenAsTop(input);

  const out: RepCoaching[] = [];
  for (let r = layout.topCount; r < layout.reps.length; r++) {
    const rep = layout.reps[r];
    const recs = recordingsByRep.get(rep);
    if (!recs) continue;
    const recordingEvidence = (behavior: BehaviorId, customerType: string | null) =>
      recs
        .filter((x) => customerType === null || recordingType(x) === customerType)
        .map((x) => ({ x, moments: x.moments.filter((m) => m.behavior === behavior && m.status === 'missing') }))
        .filter((e) => e.moments.length > 0)
        // Calls with audio first (a trainer hears the moment rather than reads it), then the most recent.
        .sort((a, b) => Number(b.x.audio === true) - Number(a.x.audio === true) || (a.x.at < b.x.at ? 1 : a.x.at > b.x.at ? -1 : a.x.recordingId < b.x.recordingId ? -1 : 1))
        .slice(0, MAX_EVIDENCE_RECORDINGS)
        .map(({ x, moments }) => ({ recordingId: x.recordingId, lead: x.lead, at: x.at, customerRole: x.customerRole ?? leadRole(x.lead), audio: x.audio === true, moments }));

    const suggestions: CoachingSuggestion[] = [];
    usable.forEach(({ f, c }, i) => {
      const yours = c.shown[r];
      if (Number.isNaN(yours) || yours >= (f.top as number)) return;
      const behavior = f.behaviors[f.behaviors.length - 1];
      if (asOften(r, behavior)) return;
      const recordings = recordingEvidence(behavior, f.customerType);
      if (recordings.length === 0) return;
      const { lead, x } = perLead[i];
      const anchor = f.stage ? STAGE_IDS.indexOf(f.stage) : -1;
      const leads = Array.from(lead, (l, j) => ({ l, value: x[j] }))
        .filter((e) => layout.leadRep[e.l] === r && e.value < (f.top as number) && (f.kind === 'before_stage' || e.value === 0))
        .sort((a, b) => a.value - b.value || (table.leads[a.l] < table.leads[b.l] ? -1 : 1))
        .slice(0, MAX_EVIDENCE_LEADS)
        .map((e) => ({
          lead: table.leads[e.l],
          at: isoAtHours(tl.time[anchor >= 0 ? input.firstStagePos[e.l * NS + anchor] : tl.start[e.l]]),
          value: e.value,
        }));
      suggestions.push(build(templates, f, { yours, yourLeads: c.leads[r], behavior, evidence: { recordings, leads } }));
    });
    if (suggestions.length) out.push({ rep, suggestions: strongestPerBehavior(suggestions) });
  }
  return out;
}

/**
 * Whether rep `r` already does the behaviour at least as often as the top group: events of it per lead, over all the
 * rep's leads, against the mean over the top group's reps. A rep who probes more than the top group is not told to
 * probe, whichever stage or window a finding names.
 */
function atLeastAsOftenAsTop(input: CoachingInput): (r: number, behavior: BehaviorId) => boolean {
  const { layout, timelines: tl } = input;
  const perLead = new Float64Array(layout.reps.length * STAGE_BASE);
  for (let l = 0; l < tl.leadCount; l++) {
    const r = layout.leadRep[l];
    for (let p = tl.start[l]; p < tl.start[l + 1]; p++) if (tl.step[p] < STAGE_BASE) perLead[r * STAGE_BASE + tl.step[p]] += 1 / layout.leads[r];
  }
  return (r, behavior) => {
    const b = BEHAVIOR_IDS.indexOf(behavior);
    let top = 0;
    for (let t = 0; t < layout.topCount; t++) top += perLead[t * STAGE_BASE + b] / layout.topCount;
    return perLead[r * STAGE_BASE + b] >= top;
  };
}

/**
 * One suggestion per (kind, behaviour): the most significant one. The same shortfall can show in several sequences
 * ending in the same behaviour; repeating it would bury the other advice.
 */
function strongestPerBehavior(list: CoachingSuggestion[]): CoachingSuggestion[] {
  const best = new Map<string, CoachingSuggestion>();
  for (const s of list) {
    const key = `${s.kind}|${s.behavior}`;
    const cur = best.get(key);
    if (!cur || s.qValue < cur.qValue || (s.qValue === cur.qValue && shortfall(s) > shortfall(cur))) best.set(key, s);
  }
  return [...best.values()].sort((a, b) => shortfall(b) - shortfall(a) || a.qValue - b.qValue);
}

function shortfall(s: CoachingSuggestion): number {
  return (s.top - s.yours) / s.top;
}

function build(
  t: CoachingTemplates,
  f: Finding,
  d: { yours: number; yourLeads: number; behavior: BehaviorId; evidence: SuggestionEvidence },
): CoachingSuggestion {
  const customerRole = mostCommon(d.evidence.recordings.map((r) => r.customerRole).filter((x): x is string => !!x));
  const template = pickTemplate(t, d.behavior, f.customerType, customerRole);
  const gap = f.maxGapHours === null ? t.messages.unboundedGap : t.messages.boundedGap.replace('{hours}', String(f.maxGapHours));
  const vars: Record<string, string> = {
    behavior: t.labels.behaviors[d.behavior],
    stage: f.stage ? t.labels.stages[f.stage] : '',
    steps: (f.steps ?? []).map((s) => stepLabel(t.labels, s)).join(' → '),
    gap,
    yours: formatFigure(f.unit, d.yours),
    top: formatFigure(f.unit, f.top),
    customerType: f.customerType ?? t.messages.allCustomerTypes,
  };
  const text = f.kind === 'before_stage' ? t.messages.before_stage : t.messages.pattern;
  return {
    findingId: f.id,
    behavior: d.behavior,
    kind: f.kind,
    stage: f.kind === 'before_stage' ? f.stage : null,
    steps: f.steps,
    maxGapHours: f.maxGapHours,
    customerType: f.customerType,
    customerRole,
    yours: d.yours,
    yourLeads: d.yourLeads,
    top: f.top as number,
    qValue: f.qValue,
    message: text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? ''),
    tips: template.tips,
    templateId: template.id,
    evidence: d.evidence,
  };
}

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, c] of counts) if (best === null || c > counts.get(best)! || (c === counts.get(best)! && v < best)) best = v;
  return best;
}

/** Hours since the epoch (the timelines' clock) → ISO 8601 in Asia/Shanghai. */
function isoAtHours(hours: number): string {
  return shanghaiIso(new Date(Math.round(hours * 3_600_000)));
}
