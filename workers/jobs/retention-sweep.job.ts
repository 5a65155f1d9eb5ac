import { eraseRecordings, purgeAudio } from '../../ingest/erasure.ts';
import { defineJob } from '../deps.ts';

const DAY = 86_400_000;

/**
 * Daily (a BullMQ job scheduler, RETENTION_CRON): for every tenant with a retention setting, deletes audio files
 * older than `audioDays` and erases recordings older than `transcriptDays` (transcript, analysis, derived events and
 * tasks with them), measured from the visit. Each tenant's sweep that removed something is in the audit log.
 */
export const retentionSweepJob = defineJob({
  name: 'retention-sweep',
  handler: async (_payload, deps) => {
    const now = Date.now();
    for (const setting of await deps.repos.tenants.allRetention()) {
      const erased = setting.transcriptDays
        ? await eraseRecordings(deps, setting.tenantId, { visitedBefore: new Date(now - setting.transcriptDays * DAY) })
        : { recordings: 0, files: 0 };
      const audioPurged = setting.audioDays ? await purgeAudio(deps, setting.tenantId, new Date(now - setting.audioDays * DAY)) : 0;
      if (erased.recordings || audioPurged) {
        await deps.repos.audit.record({
          tenantId: setting.tenantId,
          actor: 'system:retention',
          action: 'retention.sweep',
          targetType: 'tenant',
          targetId: setting.tenantId,
          detail: { recordingsErased: erased.recordings, audioPurged, audioDays: setting.audioDays, transcriptDays: setting.transcriptDays },
        });
      }
      deps.log.info({ tenantId: setting.tenantId, erased: erased.recordings, audioPurged }, 'retention sweep');
    }
  },
});
