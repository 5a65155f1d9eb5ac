import { JOB_NAMES, type JobName } from './catalog.ts';
import type { JobDefinition } from './deps.ts';
import { analyzeJob } from './jobs/analyze.job.ts';
import { followupEscalateJob } from './jobs/followup-escalate.job.ts';
import { followupRemindJob } from './jobs/followup-remind.job.ts';
import { leadStageOverdueJob } from './jobs/lead-stage-overdue.job.ts';
import { leadUpdateJob } from './jobs/lead-update.job.ts';
import { mineTenantJob } from './jobs/mine-tenant.job.ts';
import { normalizeJob } from './jobs/normalize.job.ts';
import { reanalyzeTenantJob } from './jobs/reanalyze-tenant.job.ts';
import { recordingFollowupsJob } from './jobs/recording-followups.job.ts';
import { robotDeliveryJob } from './jobs/robot-delivery.job.ts';
import { transcribeJob } from './jobs/transcribe.job.ts';
import { webhookDeliveryJob } from './jobs/webhook-delivery.job.ts';
import { attitudeImportJob } from './jobs/attitude-import.job.ts';
import { reconcileJob } from './jobs/reconcile.job.ts';
import { retentionSweepJob } from './jobs/retention-sweep.job.ts';

export type HandlerMap = { [N in JobName]: JobDefinition<N> };

/** Every job's handler, keyed by job name: the type makes a missing or misplaced handler a compile error. */
export const HANDLERS: HandlerMap = {
  normalize: normalizeJob,
  transcribe: transcribeJob,
  analyze: analyzeJob,
  'lead-update': leadUpdateJob,
  'webhook-delivery': webhookDeliveryJob,
  'recording-followups': recordingFollowupsJob,
  'followup-remind': followupRemindJob,
  'followup-escalate': followupEscalateJob,
  'robot-delivery': robotDeliveryJob,
  'lead-stage-overdue': leadStageOverdueJob,
  'mine-tenant': mineTenantJob,
  'reanalyze-tenant': reanalyzeTenantJob,
  reconcile: reconcileJob,
  'retention-sweep': retentionSweepJob,
  'attitude-import': attitudeImportJob,
};

/**
 * Refuses to start on a handler map that lacks a catalog job or files a definition under another job's name (a
 * copy-paste slip the types cannot see, since every definition has the same shape).
 */
export function checkHandlers(map: { readonly [N in JobName]?: { name: JobName } } = HANDLERS): void {
  const problems: string[] = [];
  for (const name of JOB_NAMES) {
    const def = map[name];
    if (!def) problems.push(`no handler for job "${name}"`);
    else if (def.name !== name) problems.push(`job "${name}" has the handler of "${def.name}"`);
  }
  if (problems.length) throw new Error(`job catalog check failed / 任务目录检查失败: ${problems.join('; ')}`);
}
