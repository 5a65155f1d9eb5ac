import { UnrecoverableError } from 'bullmq';
import type { JobName, JobPayloads } from './catalog.ts';
import type { JobDeps, JobQueue } from './deps.ts';
import { jobOptions } from './job-options.ts';
import { withQueue } from './ports.ts';
import { runJob } from './run-job.ts';

interface Pending {
  name: JobName;
  payload: JobPayloads[JobName];
  jobId: string;
  runAt: number;
  run: (deps: JobDeps, final: boolean) => Promise<void>;
}

export interface InlineRunStats {
  completed: number;
  /** Jobs whose last attempt threw (bad input fails at once, transient errors after `attempts`). */
  failed: number;
  byJob: Partial<Record<JobName, { completed: number; failed: number }>>;
}

export interface InlineRunner extends JobQueue {
  /**
   * Runs queued jobs, and the jobs they enqueue, until none is ready. Delayed jobs run when their time is at or
   * before `until` (default: the runner's clock now), so a demo can fast-forward reminders.
   */
  drain(opts?: { until?: Date }): Promise<InlineRunStats>;
  /** Jobs still waiting (e.g. delayed past `until`). */
  pending(): number;
}

export interface InlineRunnerOptions {
  /** Tries per job before it counts as failed (no backoff wait: in-process there is nothing to wait for). */
  attempts?: number;
  now?: () => Date;
  /** Progress hook, e.g. for a cli-progress bar. */
  onJobDone?: (name: JobName, payload: JobPayloads[JobName], error: unknown | null) => void;
}

/**
 * The same job catalog, options and handlers as the BullMQ workers, run in this process with no Redis: `tingjian
 * demo` uses it on PGlite. Handlers' follow-on enqueues land in the same in-memory list, so one drain() runs a
 * recording through normalize → transcribe → analyze → lead-update.
 */
export function createInlineRunner(base: Omit<JobDeps, 'queue' | 'scheduler' | 'events'>, opts: InlineRunnerOptions = {}): InlineRunner {
  const attempts = opts.attempts ?? 2;
  const now = opts.now ?? (() => new Date());
  const queue: Pending[] = [];

  const runner: InlineRunner = {
    async enqueue<N extends JobName>(name: N, payload: JobPayloads[N]) {
      const o = jobOptions(name, payload, base.config, now().getTime());
      if (queue.some((p) => p.jobId === o.jobId)) return;
      queue.push({ name, payload, jobId: o.jobId, runAt: now().getTime() + o.delayMs, run: (deps, final) => runJob(name, payload, deps, { final }) });
    },
    async enqueueBulk(name, payloads) {
      for (const p of payloads) await runner.enqueue(name, p);
    },
    pending: () => queue.length,
    async state(name, payload) {
      const id = jobOptions(name, payload, base.config, now().getTime()).jobId;
      return queue.some((p) => p.jobId === id) ? 'alive' : 'missing';
    },
    async drain(d = {}) {
      const stats: InlineRunStats = { completed: 0, failed: 0, byJob: {} };
      const deps = withQueue(base, runner);
      for (;;) {
        const limit = (d.until ?? now()).getTime();
        const i = queue.findIndex((p) => p.runAt <= limit);
        if (i < 0) break;
        const [job] = queue.splice(i, 1);
        let error: unknown = null;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          try {
            await job.run(deps, attempt === attempts);
            error = null;
            break;
          } catch (err) {
            error = err;
            if (err instanceof UnrecoverableError) break;
            base.log.warn({ job: job.name, attempt, err: String(err) }, 'inline job attempt failed');
          }
        }
        const s = (stats.byJob[job.name] ??= { completed: 0, failed: 0 });
        if (error) {
          stats.failed++;
          s.failed++;
        } else {
          stats.completed++;
          s.completed++;
        }
        opts.onJobDone?.(job.name, job.payload, error);
      }
      return stats;
    },
  };
  return runner;
}
