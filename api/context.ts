import type { Queue } from 'bullmq';
import type { Config } from '../core/config.ts';
import type { DbHandle } from '../db/client.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { Storage } from '../ingest/storage.ts';
import type { JobQueue } from '../workers/deps.ts';

/** What the API needs from the outside world; built once by `serve` (or a test) and handed to buildApp. */
export interface AppContext {
  config: Config;
  dbHandle: DbHandle;
  repos: Repositories;
  storage: Storage;
  queue: JobQueue & { ping(): Promise<void>; allQueues?(): Queue[] };
}
