import { UnrecoverableError } from 'bullmq';
import type { JobName, JobPayloads } from './catalog.ts';
import type { JobDefinition, JobDeps } from './deps.ts';

/** What both runners do around a handler: call it, and after the last failed attempt let the job clean up. */
export async function runJob<N extends JobName>(
  def: JobDefinition<N>,
  payload: JobPayloads[N],
  deps: JobDeps,
  attempt: { final: boolean },
): Promise<void> {
  try {
    await def.handler(payload, deps);
  } catch (err) {
    if (attempt.final && !(err instanceof UnrecoverableError) && def.onExhausted) {
      try {
        await def.onExhausted(payload, err, deps);
      } catch (cleanupErr) {
        deps.log.error({ job: def.name, err: String(cleanupErr) }, 'onExhausted failed');
      }
    }
    throw err;
  }
}
