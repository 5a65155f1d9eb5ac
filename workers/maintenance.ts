import type { Config } from '../core/config.ts';
import type { BullJobQueue } from './bullmq.ts';
import type { JobDeps } from './deps.ts';
import { reconcile } from './jobs/reconcile.job.ts';

/**
 * What every worker process does once it runs: put back work Redis lost while it was down (a Redis that restarted
 * empty left rows waiting on jobs that no longer exist), then make sure the repeatable jobs are scheduled — the
 * reconciler every RECONCILE_EVERY_MS and the retention sweep daily. Upserting the same scheduler ids from every
 * start keeps exactly one schedule each.
 */
export async function startMaintenance(deps: JobDeps, queue: BullJobQueue, config: Pick<Config, 'RECONCILE_EVERY_MS' | 'RETENTION_CRON'>): Promise<void> {
  // A worker may start before Redis answers; the queue connection does not buffer commands, so wait for it.
  if (queue.connection.status !== 'ready') await new Promise((resolve) => queue.connection.once('ready', resolve));
  try {
    const counts = await reconcile(deps);
    deps.log.info(counts, 'reconciled queues with the database at start');
  } catch (err) {
    // The repeatable run will try again; a worker that cannot reconcile can still work.
    deps.log.error({ err: String(err) }, 'start-up reconcile failed');
  }
  await queue.schedule('reconcile', { every: config.RECONCILE_EVERY_MS }, { requestedAt: 0 });
  await queue.schedule('retention-sweep', { pattern: config.RETENTION_CRON, tz: 'Asia/Shanghai' }, { requestedAt: 0 });
}
