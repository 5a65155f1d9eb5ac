import { stageOverdue } from '../../leads/service/stage-overdue.service.ts';
import { defineJob } from '../deps.ts';

/** Runs when a lead's stage passes its standard dwell (BullMQ delay): the 阶段超时 warning. */
export const leadStageOverdueJob = defineJob({
  name: 'lead-stage-overdue',
  handler: async ({ leadId, at }, deps) => {
    const outcome = await stageOverdue(deps, leadId, at);
    deps.log.info({ job: 'lead-stage-overdue', leadId, outcome }, 'stage overdue check');
  },
});
