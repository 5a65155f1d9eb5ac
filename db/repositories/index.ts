import type { Db } from '../client.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';
import { CustomersRepository } from './customers.repository.ts';
import { LeadsRepository } from './leads.repository.ts';
import { RecordingsRepository } from './recordings.repository.ts';
import { RepsRepository } from './reps.repository.ts';
import { ResultsRepository } from './results.repository.ts';
import { TenantsRepository } from './tenants.repository.ts';
import { WebhooksRepository } from './webhooks.repository.ts';

/** All repositories over one db (or one transaction: pass the tx). */
export function createRepositories(db: Db) {
  return {
    tenants: new TenantsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    reps: new RepsRepository(db),
    customers: new CustomersRepository(db),
    leads: new LeadsRepository(db),
    recordings: new RecordingsRepository(db),
    results: new ResultsRepository(db),
    webhooks: new WebhooksRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
