import { scheduleTask } from '../../leads/service/followups.service.ts';
import { defineJob, type JobDeps } from '../deps.ts';
import { failRecording } from '../recording-failure.ts';
import { nextStage, reconcileAction, stageFor } from '../reconcile.ts';

/**
 * Puts back the work Redis lost. Postgres holds the truth (a recording's status, a pending delivery, an open task's
 * reminder times); Redis only the jobs. After Redis restarts without its data, every row still waiting on a job
 * that no longer exists gets it again. Job ids are derived from the rows, so running this twice, or while the jobs
 * still exist, queues nothing twice. Rows touched within RECONCILE_GRACE_MS are left to the request that is still
 * queuing them.
 */
export const reconcileJob = defineJob({
  name: 'reconcile',
  handler: async (_payload, deps) => {
    const counts = await reconcile(deps);
    deps.log.info(counts, 'reconciled queues with the database');
  },
});

export async function reconcile(deps: JobDeps): Promise<{ recordings: number; deliveries: number; robotMessages: number; followUps: number; miningRuns: number; imports: number }> {
  const before = new Date(Date.now() - deps.config.RECONCILE_GRACE_MS);
  const state = deps.queue.state?.bind(deps.queue) ?? (async () => 'missing' as const);
  let recordings = 0;
  for (let after: string | null = null; ; ) {
    const page = await deps.repos.recordings.inFlight(before, after);
    if (!page.length) break;
    after = page[page.length - 1].id;
    for (const rec of page) {
      const stage = stageFor(rec)!;
      const ids = { recordingId: rec.id, generation: rec.generation };
      const current = await state(stage, ids);
      const following = current === 'completed' ? nextStage(stage, rec) : null;
      const action = reconcileAction(rec, current, following ? await state(following, ids) : null);
      if (!action) continue;
      if ('fail' in action) {
        await failRecording(deps, rec, 'stage_failed', `${action.fail} 阶段失败且未能记录，请重新处理 / the ${action.fail} job failed: reprocess the recording`);
      } else {
        await deps.queue.enqueue(action.enqueue, ids);
        recordings++;
      }
    }
  }
  const deliveries = await deps.repos.webhooks.pendingDeliveries(before);
  await deps.queue.enqueueBulk('webhook-delivery', deliveries.map((deliveryId) => ({ deliveryId })));
  const robotMessages = await deps.repos.handovers.pendingRobotMessages(before);
  await deps.queue.enqueueBulk('robot-delivery', robotMessages.map((messageId) => ({ messageId })));
  const tasks = await deps.repos.followUps.openScheduled();
  for (const task of tasks) await scheduleTask(deps, task);
  const runs = await deps.repos.mining.unfinished(before);
  await deps.queue.enqueueBulk('mine-tenant', runs.map((r) => ({ tenantId: r.tenantId, runId: r.id })));
  const imports = await deps.repos.imports.unfinished(before);
  await deps.queue.enqueueBulk('attitude-import', imports.map((i) => ({ importId: i.id })));
  return { recordings, deliveries: deliveries.length, robotMessages: robotMessages.length, followUps: tasks.length, miningRuns: runs.length, imports: imports.length };
}
