import { lookup } from './build-common.ts';
import { buildLeadPage, buildRecordingPage, buildRepPage } from './build-pages.ts';
import { buildTeamOverview, salesReps } from './build-team.ts';
import type { Insights } from './compute.ts';
import { renderLeadPage } from './lead-page.ts';
import { links } from './links.ts';
import { renderRecordingPage } from './recording-page.ts';
import { renderRepPage } from './rep-page.ts';
import type { ReportData } from './report-data.ts';
import { renderTeamOverview } from './team-overview.ts';

/** Every page of the report: file name → HTML. The caller writes them to a folder or serves them. */
export function buildSite(data: ReportData, insights: Insights): Map<string, string> {
  const lk = lookup(data);
  const pages = new Map<string, string>();
  pages.set(links.home(), renderTeamOverview(buildTeamOverview(lk, insights)));
  for (const r of salesReps(lk)) pages.set(links.rep(r.id), renderRepPage(buildRepPage(lk, insights, r.id)));
  for (const r of data.recordings) {
    const vm = buildRecordingPage(lk, r);
    if (vm) pages.set(links.recording(r.id), renderRecordingPage(vm));
  }
  for (const l of data.leads) pages.set(links.lead(l.id), renderLeadPage(buildLeadPage(lk, l.id)));
  return pages;
}

/** A recording's page from data that holds at least that recording (loadRecordingReportData loads no more). */
export function buildRecordingPageHtml(data: ReportData, recordingId: string): string | null {
  const rec = data.recordings.find((r) => r.id === recordingId);
  const vm = rec ? buildRecordingPage(lookup(data), rec) : null;
  return vm ? renderRecordingPage(vm) : null;
}

/** One page by file name, for the API, without rendering the rest. Null when no such page. */
export function buildPage(data: ReportData, insights: Insights, name: string): string | null {
  const lk = lookup(data);
  if (name === links.home()) return renderTeamOverview(buildTeamOverview(lk, insights));
  const rep = salesReps(lk).find((r) => links.rep(r.id) === name);
  if (rep) return renderRepPage(buildRepPage(lk, insights, rep.id));
  const rec = data.recordings.find((r) => links.recording(r.id) === name);
  if (rec) return buildRecordingPageHtml(data, rec.id);
  const lead = data.leads.find((l) => links.lead(l.id) === name);
  return lead ? renderLeadPage(buildLeadPage(lk, lead.id)) : null;
}
