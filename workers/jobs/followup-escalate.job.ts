import { escalateTask } from '../../leads/service/followups.service.ts';
import { defineJob } from '../deps.ts';

/** Runs 48 h (configurable) after due: tells the supervisor or the legal lead if the task is still open. */
export const followupEscalateJob = defineJob({
  name: 'followup-escalate',
  handler: async ({ taskId, at }, deps) => {
    const outcome = await escalateTask(deps, taskId, at);
    deps.log.info({ job: 'followup-escalate', taskId, outcome }, 'follow-up escalation');
  },
});
