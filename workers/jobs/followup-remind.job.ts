import { remindTask } from '../../leads/service/followups.service.ts';
import { defineJob } from '../deps.ts';

/** Runs at a task's due time (BullMQ delay): reminds the assignee once. */
export const followupRemindJob = defineJob({
  name: 'followup-remind',
  handler: async ({ taskId, at }, deps) => {
    const outcome = await remindTask(deps, taskId, at);
    deps.log.info({ job: 'followup-remind', taskId, outcome }, 'follow-up reminder');
  },
});
