import type { SecretBox } from '../../core/secret-box.ts';
import type { Db } from '../client.ts';
import { AuditRepository } from './audit.repository.ts';
import { ImportsRepository } from './imports.repository.ts';
import { SessionsRepository } from './sessions.repository.ts';
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

export interface RepositoryOptions {
  /** Seals secrets at rest (db/secret-key.ts); repositories that store secrets refuse to work without it. */
  secrets?: SecretBox;
}

/** All repositories over one db, with `transaction` to run several writes as one. */
export function createRepositories(db: Db, opts: RepositoryOptions = {}): Repositories {
  return {
    ...repositoriesOver(db, opts),
    // Nested calls become savepoints (drizzle), so a repository method may itself open a transaction.
    transaction: (fn) => db.transaction((tx) => fn(createRepositories(tx, opts))),
  };
}

function repositoriesOver(db: Db, opts: RepositoryOptions) {
  return {
    tenants: new TenantsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    reps: new RepsRepository(db),
    customers: new CustomersRepository(db),
    leads: new LeadsRepository(db),
    recordings: new RecordingsRepository(db),
    results: new ResultsRepository(db, opts.secrets),
    webhooks: new WebhooksRepository(db, opts.secrets),
    followUps: new FollowUpsRepository(db),
    leadEvidence: new LeadEvidenceRepository(db, opts.secrets),
    attitude: new AttitudeRepository(db),
    handovers: new HandoversRepository(db),
    mining: new MiningRepository(db),
    audit: new AuditRepository(db),
    sessions: new SessionsRepository(db),
    imports: new ImportsRepository(db),
  };
}
export type Repositories = ReturnType<typeof repositoriesOver> & {
  /** Runs `fn` with repositories bound to one transaction: all of its writes land, or none do. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
};
