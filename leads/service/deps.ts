/**
 * The I/O edge of leads/: these services take the repositories and two ports (a scheduler for delayed work and an
 * event publisher) injected, as workers, the API and the CLI construct them, and call the pure rules one folder
 * up. Nothing here imports drizzle, bullmq or fastify.
 */
import type { Config } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import { DEFAULT_TIMING, type FollowUpTiming } from '../followups.ts';
import type { EventPublisher, LeadScheduler } from './ports.ts';

export interface LeadDeps {
  repos: Repositories;
  config: Config;
  log: Logger;
  scheduler: LeadScheduler;
  events: EventPublisher;
}

export function timingFrom(config: Partial<Config>): FollowUpTiming {
  return {
    escalateAfterHours: config.LEADS_ESCALATE_AFTER_HOURS ?? DEFAULT_TIMING.escalateAfterHours,
    defaultDueHours: config.LEADS_DEFAULT_DUE_HOURS ?? DEFAULT_TIMING.defaultDueHours,
    handoverFirstContactHours: config.HANDOVER_FIRST_CONTACT_HOURS ?? DEFAULT_TIMING.handoverFirstContactHours,
    handoverFollowUpHours: config.HANDOVER_FOLLOWUP_HOURS ?? DEFAULT_TIMING.handoverFollowUpHours,
  };
}
