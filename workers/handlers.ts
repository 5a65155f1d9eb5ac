import { JOB_NAMES, type JobName } from './catalog.ts';
import type { JobDefinition } from './deps.ts';
import { analyzeJob } from './jobs/analyze.job.ts';
import { leadUpdateJob } from './jobs/lead-update.job.ts';
import { normalizeJob } from './jobs/normalize.job.ts';
import { transcribeJob } from './jobs/transcribe.job.ts';
import { webhookDeliveryJob } from './jobs/webhook-delivery.job.ts';
import { followupEscalateJob } from './jobs/followup-escalate.job.ts';
import { followupRemindJob } from './jobs/followup-remind.job.ts';
import { recordingFollowupsJob } from './jobs/recording-followups.job.ts';
import { robotDeliveryJob } from './jobs/robot-delivery.job.ts';
import { leadStageOverdueJob } from './jobs/lead-stage-overdue.job.ts';
import { mineTenantJob } from './jobs/mine-tenant.job.ts';

/** Every job definition; add a new job's file here and its name/payload to catalog.ts. */
export const JOB_DEFINITIONS: JobDefinition<any>[] = [
  normalizeJob,
  transcribeJob,
  analyzeJob,
  leadUpdateJob,
  webhookDeliveryJob,
  recordingFollowupsJob,
  followupRemindJob,
  followupEscalateJob,
  robotDeliveryJob,
  leadStageOverdueJob,
  mineTenantJob,
];

export type HandlerMap = { [N in JobName]: JobDefinition<N> };

/** Refuses to start unless each catalog job has exactly one handler and no handler names an unknown job. */
export function buildHandlerMap(defs: JobDefinition<any>[] = JOB_DEFINITIONS): HandlerMap {
  const problems: string[] = [];
  const map = new Map<string, JobDefinition<any>>();
  for (const def of defs) {
    if (!(JOB_NAMES as readonly string[]).includes(def.name)) problems.push(`handler for unknown job "${def.name}"`);
    else if (map.has(def.name)) problems.push(`two handlers for job "${def.name}"`);
    map.set(def.name, def);
  }
  for (const name of JOB_NAMES) if (!map.has(name)) problems.push(`no handler for job "${name}"`);
  if (problems.length) throw new Error(`job catalog check failed / 任务目录检查失败: ${problems.join('; ')}`);
  return Object.fromEntries(map) as HandlerMap;
}
