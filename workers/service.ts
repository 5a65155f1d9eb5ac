import { pino } from 'pino';
import type { Config } from '../core/config.ts';
import { openDb, type Db, type DbHandle } from '../db/client.ts';
import { createRepositories, type Repositories } from '../db/repositories/index.ts';
import { loadSecretBox } from '../db/secret-key.ts';
import { LocalStorage, type Storage } from '../ingest/storage.ts';
import type { JobDeps } from './deps.ts';
import type { Logger } from '../core/logger.ts';
import { createStages } from './stages.default.ts';
import type { Stages } from './stages.ts';

/** Everything a job handler needs except the queue and its ports (workers/ports.ts); serve, worker, tests and the demo open it the same way. */
export interface Service extends Omit<JobDeps, 'queue' | 'scheduler' | 'events'> {
  dbHandle: DbHandle;
  close(): Promise<void>;
}

export async function openService(
  config: Config,
  opts: { migrate?: boolean; stages?: Stages; storage?: Storage; log?: Logger } = {},
): Promise<Service> {
  // Before the database opens: a missing key must fail start-up, not the first webhook delivery.
  const secrets = loadSecretBox(config);
  const dbHandle = await openDb(config);
  if (opts.migrate !== false) await dbHandle.migrate();
  const db: Db = dbHandle.db;
  const repos: Repositories = createRepositories(db, { secrets });
  if (opts.migrate !== false) {
    await repos.webhooks.sealLegacySecrets();
    await repos.leadEvidence.sealLegacySecrets();
  }
  return {
    config,
    dbHandle,
    db,
    repos,
    storage: opts.storage ?? new LocalStorage(config.STORAGE_DIR),
    stages: opts.stages ?? createStages(config),
    log: opts.log ?? pino({ level: config.LOG_LEVEL, base: { service: 'tingjian' } }),
    close: () => dbHandle.close(),
  };
}
