import { UnrecoverableError } from 'bullmq';
import { isAppError, errorInfo } from '../../core/errors.ts';
import type { MiningRepository } from '../../db/repositories/mining.repository.ts';
import { MINING_DEFAULTS, runMining } from '../../patterns/mine.ts';
import type { CoachingEvidence } from '../../patterns/types.ts';
import { momentsOf } from '../../patterns/moments.ts';
import { defineJob } from '../deps.ts';

// Job progress (0–100): loading from the database, then the miner's own steps, then saving.
const LOADED_EVENTS = 10;
const LOADED_EVIDENCE = 20;
const MINED = 95;

/**
 * Runs the same runMining `tingjian mine` runs, over the tenant's stored stage moves and behaviours, with coaching
 * evidence from its analysed recordings, and stores the result in the run's mining_runs row. The row is keyed by
 * the run id in the payload, so a retried or repeated job overwrites its own row and never adds a second one.
 */
export const mineTenantJob = defineJob({
  name: 'mine-tenant',
  handler: async ({ tenantId, runId }, deps) => {
    const repo = deps.repos.mining;
    const run = await repo.start(tenantId, runId, MINING_DEFAULTS.topShare);
    if (!run) throw new UnrecoverableError(`mining run ${runId} does not belong to tenant ${tenantId}`);
    const events = await repo.events(tenantId);
    deps.progress?.(LOADED_EVENTS);
    const evidence = await loadEvidence(repo, tenantId);
    deps.progress?.(LOADED_EVIDENCE);
    let result;
    try {
      result = runMining(events, {
        topShare: run.topShare,
        evidence,
        onProgress: (p) => deps.progress?.(LOADED_EVIDENCE + ((MINED - LOADED_EVIDENCE) * p.done) / p.total),
      });
    } catch (err) {
      if (!isAppError(err)) throw err;
      // A bad option (e.g. topShare) fails the same way every time: record why and do not retry.
      await repo.fail(tenantId, runId, err.code, err.message);
      throw new UnrecoverableError(err.message);
    }
    await repo.finish(tenantId, runId, result);
    deps.progress?.(100);
    deps.log.info({ tenantId, runId, events: result.stats.events, leads: result.stats.leads }, 'mining run done');
  },
  onExhausted: async ({ tenantId, runId }, err, deps) => {
    const { message } = errorInfo(err);
    await deps.repos.mining.fail(tenantId, runId, 'mining_failed', `挖掘失败，请重新发起 / mining failed, start a new run: ${message}`);
  },
});

/**
 * Coaching evidence: each analysed recording on a lead with the moments where a behaviour was shown or missing,
 * found by the one rule (patterns/moments.ts) the static report uses too, so both point at the same moments.
 */
async function loadEvidence(repo: MiningRepository, tenantId: string): Promise<CoachingEvidence> {
  const evidence: CoachingEvidence = { recordings: [] };
  for await (const page of repo.evidenceRecordings(tenantId)) {
    for (const r of page) {
      evidence.recordings.push({
        recordingId: r.recordingId,
        rep: r.rep,
        lead: r.lead,
        at: r.at.toISOString(),
        customerType: r.customerType,
        customerRole: r.customerRole,
        audio: r.audio,
        moments: momentsOf(r.segments),
      });
    }
  }
  return evidence;
}
