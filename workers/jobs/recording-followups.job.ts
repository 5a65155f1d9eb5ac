import { recordingFollowups } from '../../leads/service/followups.service.ts';
import { recordingStage } from '../recording-stage.ts';

/** After analysis: the recording's commitments become follow-up tasks with delayed reminders; attitude is estimated. */
export const recordingFollowupsJob = recordingStage('recording-followups', async (rec, deps) => {
  const out = await recordingFollowups(deps, rec.id);
  deps.log.info({ job: 'recording-followups', recordingId: rec.id, ...out }, 'follow-ups created');
});
