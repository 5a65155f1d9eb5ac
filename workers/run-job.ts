import { UnrecoverableError } from 'bullmq';
import type { JobName, JobPayloads } from './catalog.ts';
import type { JobDeps } from './deps.ts';
import { HANDLERS } from './handlers.ts';

/**
 * What both runners do around a handler: call it, and after the last failed attempt let the job clean up. An
 * UnrecoverableError (bad input, already recorded by the handler) is not retried and needs no clean-up.
 */
export async function runJob<N extends JobName>(name: N, payload: JobPayloads[N], deps: JobDeps, attempt: { final: boolean }): Promise<void> {
  const def = HANDLERS[name];
  try {
    await def.handler(payload, deps);
  } catch (err) {
    if (attempt.final && !(err instanceof UnrecoverableError) && def.onExhausted) {
      try {
        await def.onExhausted(payload, err, deps);
      } catch (cleanupErr) {
        deps.log.error({ job: name, err: String(cleanupErr) }, 'onExhausted failed');
      }
    }
    throw err;
  }
}
