import type { Db } from '../client.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';
import { CustomersRepository } from './customers.repository.ts';
import { LeadsRepository } from './leads.repository.ts';
import { RecordingsRepository } from './recordings.repository.ts';
import { RepsRepository } from './reps.repository.ts';
import { ResultsRepository } from './results.repository.ts';
import { TenantsRepository } from './tenants.repository.ts';
import { WebhooksRepository } from './webhooks.repository.ts';
import { AttitudeRepository } from './attitude.repository.ts';
import { FollowUpsRepository } from './followups.repository.ts';
import { HandoversRepository } from './handovers.repository.ts';
import { LeadEvidenceRepository } from './lead-evidence.repository.ts';
import { MiningRepository } from './mining.repository.ts';

/** All repositories over one db, with `transaction` to run several writes as one. */
export function createRepositories(db: Db): Repositories {
  return {
    ...repositoriesOver(db),
    // Nested calls become savepoints (drizzle), so a repository method may itself open a transaction.
    transaction: (fn) => db.transaction((tx) => fn(createRepositories(tx))),
  };
}

function repositoriesOver(db: Db) {
  return {
    tenants: new TenantsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    reps: new RepsRepository(db),
    customers: new CustomersRepository(db),
    leads: new LeadsRepository(db),
    recordings: new RecordingsRepository(db),
    results: new ResultsRepository(db),
    webhooks: new WebhooksRepository(db),
    followUps: new FollowUpsRepository(db),
    leadEvidence: new LeadEvidenceRepository(db),
    attitude: new AttitudeRepository(db),
    handovers: new HandoversRepository(db),
    mining: new MiningRepository(db),
  };
}
export type Repositories = ReturnType<typeof repositoriesOver> & {
  /** Runs `fn` with repositories bound to one transaction: all of its writes land, or none do. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
};
