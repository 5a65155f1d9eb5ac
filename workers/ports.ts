import type { Repositories } from '../db/repositories/index.ts';
import type { RecordingPipeline } from '../ingest/intake.ts';
import type { EventPublisher, LeadScheduler } from '../leads/service/ports.ts';
import type { JobDeps, JobQueue } from './deps.ts';

/**
 * The ports the lower layers declare (ingest's pipeline, the lead services' scheduler and event publisher),
 * implemented on the job catalog. API, workers, CLI and tests all bind them here, so a job name is never spelled
 * outside workers/.
 */
export function queuePorts(repos: Repositories, queue: JobQueue): { scheduler: LeadScheduler; events: EventPublisher; pipeline: RecordingPipeline } {
  return {
    scheduler: {
      remindFollowUp: (taskId, at) => queue.enqueue('followup-remind', { taskId, at }),
      escalateFollowUp: (taskId, at) => queue.enqueue('followup-escalate', { taskId, at }),
      warnStageOverdue: (leadId, at) => queue.enqueue('lead-stage-overdue', { leadId, at }),
      deliverRobotMessage: (messageId) => queue.enqueue('robot-delivery', { messageId }),
    },
    events: {
      // One logged delivery per interested subscription; the delivery job signs, sends and retries each.
      async publish(tenantId, event, data) {
        const payload = { event, occurredAt: new Date().toISOString(), data };
        const ids = await repos.webhooks.createDeliveries(tenantId, event, payload);
        for (const deliveryId of ids) await queue.enqueue('webhook-delivery', { deliveryId });
      },
    },
    pipeline: {
      start: (rec) => queue.enqueue('normalize', { recordingId: rec.id, generation: rec.generation }),
    },
  };
}

/** A handler's dependencies: the service's, the queue, and the ports bound to that queue. */
export function withQueue(base: Omit<JobDeps, 'queue' | 'scheduler' | 'events'>, queue: JobQueue): JobDeps {
  const { scheduler, events } = queuePorts(base.repos, queue);
  return { ...base, queue, scheduler, events };
}
