/** Public surface of the mining stage (pure; no database, queue or HTTP imports). */
export { runMining, MINING_DEFAULTS, MIN_GROUP_LEADS, type ParsedEvents } from './mine.ts';
export { parseEventsJsonl, tableFromEvents, EventTableBuilder, type EventTable } from './events.ts';
export { parseCoachingEvidence } from './evidence.ts';
export { formatMiningSummary } from './summary.ts';
export { formatFigure } from './finding-text.ts';
export * from './types.ts';
