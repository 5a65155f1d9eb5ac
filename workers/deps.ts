import type { Config } from '../core/config.ts';
import type { Db } from '../db/client.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { Storage } from '../ingest/storage.ts';
import type { JobName, JobPayloads } from './catalog.ts';
import type { Stages } from './stages.ts';

export interface EnqueueOptions {
  /** Same id while the job still exists → not added twice. */
  jobId?: string;
  delayMs?: number;
}

/** Where handlers put follow-on work: BullMQ in production, an in-memory list in the inline runner. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts?: EnqueueOptions): Promise<void>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobDeps {
  db: Db;
  repos: Repositories;
  storage: Storage;
  queue: JobQueue;
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

/** Job ids that make an enqueue idempotent per recording, stage and reprocess generation. */
export function recordingJobId(name: JobName, recordingId: string, generation: number): string {
  return `${name}.${recordingId}.g${generation}`;
}
