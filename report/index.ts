/** Pure renderers: view model in, complete HTML page out. */
export { renderTeamOverview } from './team-overview.ts';
export { renderRepPage } from './rep-page.ts';
export { renderRecordingPage } from './recording-page.ts';
export { renderLeadPage } from './lead-page.ts';
export type * from './view-models.ts';
