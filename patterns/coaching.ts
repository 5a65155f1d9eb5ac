import { BEHAVIOR_IDS, type BehaviorId } from '../core/behaviors.ts';
import { pickTemplate, type CoachingTemplates } from '../lexicons/coaching/load.ts';
import type { BeforeStageData } from './before-stage.ts';
import { STAGE_BASE, type EventTable } from './events.ts';
import type { ReportedPattern } from './report-patterns.ts';
import { shanghaiIso } from '../core/time.ts';
import { leadSupports } from './sequences.ts';
import type { Timelines } from './timeline.ts';
import { type BeforeStageRow, type CoachingEvidence, type CoachingSuggestion, type RecordingEvidence, type RepCoaching, type SuggestionEvidence } from './types.ts';
import { STAGE_IDS } from '../core/stages.ts';

export interface CoachingInput {
  table: EventTable;
  timelines: Timelines;
  before: BeforeStageData;
  beforeRows: BeforeStageRow[];
  patterns: ReportedPattern[];
  /** Rep ids of the rest group, in performance order. */
  rest: string[];
  evidence?: CoachingEvidence;
  templates: CoachingTemplates;
  alpha: number;
}

/** Only the strongest patterns are turned into advice: more would repeat the same behaviour in other words. */
const MAX_COACHING_PATTERNS = 10;
const MAX_EVIDENCE_LEADS = 5;
const MAX_EVIDENCE_RECORDINGS = 3;
const NS = STAGE_IDS.length;
const NB = BEHAVIOR_IDS.length;

/**
 * Per rest-group rep: the significant differences (q < alpha, top group ahead) where the rep is below the top group,
 * each with the rep's own recordings where the behaviour was missing. No recordings with such a moment → no
 * suggestion; rep at or above the top group → no suggestion. Reps without suggestions are omitted.
 */
export function suggestCoaching(input: CoachingInput): RepCoaching[] {
  const { table, timelines: tl, evidence, templates } = input;
  if (!evidence || evidence.recordings.length === 0) return [];
  const repIndex = new Map(table.reps.map((r, i) => [r, i]));
  const leadIndex = new Map(table.leads.map((l, i) => [l, i]));
  const leadsByRep: number[][] = table.reps.map(() => []);
  for (let l = 0; l < tl.leadCount; l++) leadsByRep[tl.owner[l]].push(l);
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
  const rows = input.beforeRows.filter(
    (r) => r.qValue !== null && r.qValue < input.alpha && r.top !== null && r.rest !== null && r.top > r.rest,
  );
  // Only patterns that end in a behaviour are advice ("after X, do B"); ones ending in a stage describe outcomes.
  const patterns = input.patterns
    .filter((p) => p.effectSize > 0 && p.codes[p.codes.length - 1] < STAGE_BASE)
    .slice(0, MAX_COACHING_PATTERNS);

  const out: RepCoaching[] = [];
  for (const rep of input.rest) {
    const recs = recordingsByRep.get(rep);
    const r = repIndex.get(rep);
    if (!recs || r === undefined) continue;
    const suggestions: CoachingSuggestion[] = [];
    const recordingEvidence = (behavior: BehaviorId, customerType: string | null) =>
      recs
        .filter((x) => customerType === null || recordingType(x) === customerType)
        .map((x) => ({ x, moments: x.moments.filter((m) => m.behavior === behavior && m.status === 'missing') }))
        .filter((e) => e.moments.length > 0)
        .sort((a, b) => (a.x.at < b.x.at ? 1 : a.x.at > b.x.at ? -1 : a.x.recordingId < b.x.recordingId ? -1 : 1))
        .slice(0, MAX_EVIDENCE_RECORDINGS)
        .map(({ x, moments }) => ({
          recordingId: x.recordingId,
          lead: x.lead,
          at: x.at,
          customerRole: x.customerRole ?? leadRole(x.lead),
          moments,
        }));

    for (const row of rows) {
      const s = STAGE_IDS.indexOf(row.stage);
      const b = BEHAVIOR_IDS.indexOf(row.behavior);
      const mine = leadsByRep[r].filter(
        (l) => input.before.firstStagePos[l * NS + s] >= 0 && (row.customerType === null || leadType(l) === row.customerType),
      );
      if (mine.length === 0) continue;
      const counts = mine.map((l) => input.before.countBefore[(l * NS + s) * NB + b]);
      const yours = counts.reduce((a, c) => a + c, 0) / mine.length;
      if (yours >= (row.top as number)) continue;
      const recordings = recordingEvidence(row.behavior, row.customerType);
      if (recordings.length === 0) continue;
      const leads = mine
        .map((l, i) => ({ l, value: counts[i] }))
        .filter((x) => x.value < (row.top as number))
        .sort((x, y) => x.value - y.value || (table.leads[x.l] < table.leads[y.l] ? -1 : 1))
        .slice(0, MAX_EVIDENCE_LEADS)
        .map((x) => ({ lead: table.leads[x.l], at: isoAtHours(tl.time[input.before.firstStagePos[x.l * NS + s]]), value: x.value }));
      suggestions.push(
        build(templates, {
          behavior: row.behavior,
          kind: 'before_stage',
          stage: row.stage,
          steps: null,
          maxGapHours: null,
          customerType: row.customerType,
          yours,
          top: row.top as number,
          qValue: row.qValue as number,
          evidence: { recordings, leads },
        }),
      );
    }

    for (const p of patterns) {
      const behavior = BEHAVIOR_IDS[p.codes[p.codes.length - 1]];
      const mine = leadsByRep[r];
      if (mine.length === 0) continue;
      const supported = mine.map((l) => leadSupports(tl, l, p.codes, p.gap));
      const yours = supported.filter(Boolean).length / mine.length;
      if (yours >= p.topSupport) continue;
      const recordings = recordingEvidence(behavior, null);
      if (recordings.length === 0) continue;
      const leads = mine
        .filter((_, i) => !supported[i])
        .sort((x, y) => (table.leads[x] < table.leads[y] ? -1 : 1))
        .slice(0, MAX_EVIDENCE_LEADS)
        .map((l) => ({ lead: table.leads[l], at: isoAtHours(tl.time[tl.start[l]]), value: 0 }));
      suggestions.push(
        build(templates, {
          behavior,
          kind: 'pattern',
          stage: null,
          steps: p.steps,
          maxGapHours: p.maxGapHours,
          customerType: null,
          yours,
          top: p.topSupport,
          qValue: p.qValue,
          evidence: { recordings, leads },
        }),
      );
    }
    if (suggestions.length === 0) continue;
    out.push({ rep, suggestions: strongestPerBehavior(suggestions) });
  }
  return out;
}

/**
 * One suggestion per (kind, behaviour, customer type): the most significant one. The same shortfall shows up before
 * several stages (probing before proposal, before negotiation, …); repeating it would bury the other advice.
 */
function strongestPerBehavior(list: CoachingSuggestion[]): CoachingSuggestion[] {
  const best = new Map<string, CoachingSuggestion>();
  for (const s of list) {
    const key = `${s.kind}|${s.behavior}|${s.customerType ?? ''}`;
    const cur = best.get(key);
    if (!cur || s.qValue < cur.qValue || (s.qValue === cur.qValue && shortfall(s) > shortfall(cur))) best.set(key, s);
  }
  return [...best.values()].sort((a, b) => shortfall(b) - shortfall(a) || a.qValue - b.qValue);
}

function shortfall(s: CoachingSuggestion): number {
  return (s.top - s.yours) / s.top;
}

type Draft = Omit<CoachingSuggestion, 'message' | 'tips' | 'templateId' | 'customerRole'> & { evidence: SuggestionEvidence };

function build(t: CoachingTemplates, d: Draft): CoachingSuggestion {
  const customerRole = mostCommon(d.evidence.recordings.map((r) => r.customerRole).filter((x): x is string => !!x));
  const template = pickTemplate(t, d.behavior, d.customerType, customerRole);
  const fmt = d.kind === 'before_stage' ? (v: number) => formatCount(v) : (v: number) => `${Math.round(v * 100)}%`;
  const gap =
    (d.steps?.length ?? 0) === 1
      ? t.messages.singleStep
      : d.maxGapHours === null
        ? t.messages.unboundedGap
        : t.messages.boundedGap.replace('{hours}', String(d.maxGapHours));
  const vars: Record<string, string> = {
    behavior: t.labels.behaviors[d.behavior],
    stage: d.stage ? t.labels.stages[d.stage] : '',
    steps: (d.steps ?? []).map((s) => label(t, s)).join(' → '),
    gap,
    yours: fmt(d.yours),
    top: fmt(d.top),
    customerType: d.customerType ?? t.messages.allCustomerTypes,
  };
  const text = d.kind === 'before_stage' ? t.messages.before_stage : t.messages.pattern;
  const message = text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
  return { ...d, customerRole, message, tips: template.tips, templateId: template.id };
}

function label(t: CoachingTemplates, step: string): string {
  return (t.labels.behaviors as Record<string, string>)[step] ?? (t.labels.stages as Record<string, string>)[step] ?? step;
}

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, c] of counts) if (best === null || c > counts.get(best)! || (c === counts.get(best)! && v < best)) best = v;
  return best;
}

function formatCount(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Hours since the epoch (the timelines' clock) → ISO 8601 in Asia/Shanghai. */
function isoAtHours(hours: number): string {
  return shanghaiIso(new Date(Math.round(hours * 3_600_000)));
}
