import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import type { Db } from '../db/client.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { Storage } from '../ingest/storage.ts';
import type { EventPublisher, LeadScheduler } from '../leads/service/ports.ts';
import type { JobName, JobPayloads } from './catalog.ts';
import type { Stages } from './stages.ts';

/**
 * Where handlers put follow-on work: BullMQ in production, an in-memory list in the inline runner. Ids, delays and
 * retries come from workers/job-options.ts, never from the caller.
 */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void>;
  /** Many jobs of one kind in one round trip (a page of a tenant-wide re-run). */
  enqueueBulk<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void>;
  /**
   * Where the job this payload names stands (the reconciler asks); a queue that cannot tell leaves it out, and the
   * reconciler then re-enqueues, which the job id makes a no-op for a job that still exists.
   */
  state?<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<JobState>;
}

export type JobState = 'alive' | 'completed' | 'failed' | 'missing';

export interface JobDeps {
  db: Db;
  repos: Repositories;
  storage: Storage;
  queue: JobQueue;
  /** The lead services' ports, bound to `queue` (workers/ports.ts). */
  scheduler: LeadScheduler;
  events: EventPublisher;
  stages: Stages;
  config: Config;
  log: Logger;
  /** Progress of the job in hand, 0–100 (shown on /admin/queues); absent where nobody watches. */
  progress?: (percent: number) => void;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], deps: JobDeps) => Promise<void>;

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  handler: JobHandler<N>;
  /** Called once when the last retry failed too, so the domain row does not stay stuck in a working state. */
  onExhausted?: (payload: JobPayloads[N], err: unknown, deps: JobDeps) => Promise<void>;
}

export function defineJob<N extends JobName>(def: JobDefinition<N>): JobDefinition<N> {
  return def;
}
