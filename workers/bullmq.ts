import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';
import { JOB_NAMES, type JobName, type JobPayloads } from './catalog.ts';
import type { JobDeps, JobQueue, JobState } from './deps.ts';
import { checkHandlers } from './handlers.ts';
import { jobOptions } from './job-options.ts';
import { runJob } from './run-job.ts';

type QueueConfig = Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX' | 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS' | 'REDIS_COMMAND_TIMEOUT_MS'>;

/** Finished jobs are kept a day (bull-board, debugging) and failed ones two weeks, then Redis forgets them. */
const RETENTION = { removeOnComplete: { age: 24 * 3600, count: 5000 }, removeOnFail: { age: 14 * 24 * 3600 } };

/**
 * The producer side: one BullMQ queue per job name. Its Redis connection does not queue commands while Redis is
 * down, so an upload learns at once that it cannot be queued (→ 503) instead of hanging.
 */
export class BullJobQueue implements JobQueue {
  readonly connection: Redis;
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly config: QueueConfig) {
    this.connection = new Redis(config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
      commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
      lazyConnect: false,
    });
    // Errors surface on the command that hit them; the connection keeps reconnecting in the background.
    this.connection.on('error', () => {});
  }

  queue(name: JobName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection,
        prefix: this.config.QUEUE_PREFIX,
        defaultJobOptions: RETENTION,
        skipWaitingForReady: true,
      });
      q.on('error', () => {});
      this.queues.set(name, q);
    }
    return q;
  }

  allQueues(): Queue[] {
    return JOB_NAMES.map((n) => this.queue(n));
  }

  enqueue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    return this.enqueueBulk(name, [payload]);
  }

  async enqueueBulk<N extends JobName>(name: N, payloads: Array<JobPayloads[N]>): Promise<void> {
    if (this.connection.status !== 'ready') throw new Error(`Redis not ready (${this.connection.status})`);
    if (!payloads.length) return;
    const jobs = payloads.map((data) => {
      const o = jobOptions(name, data, this.config);
      const opts = { jobId: o.jobId, attempts: o.attempts, backoff: { type: 'exponential', delay: o.backoffMs }, ...(o.delayMs ? { delay: o.delayMs } : {}) };
      return { name, data, opts };
    });
    // A Redis that accepted the connection but stopped answering must not hold an upload open.
    const added = this.queue(name).addBulk(jobs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Redis enqueue timed out')), this.config.REDIS_COMMAND_TIMEOUT_MS);
    });
    try {
      await Promise.race([added, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async state<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<JobState> {
    const job = await this.queue(name).getJob(jobOptions(name, payload, this.config).jobId);
    if (!job) return 'missing';
    const s = await job.getState();
    return s === 'completed' ? 'completed' : s === 'failed' ? 'failed' : s === 'unknown' ? 'missing' : 'alive';
  }

  /**
   * A repeatable job through BullMQ's job schedulers: upserting the same scheduler id from every worker start keeps
   * exactly one schedule, whatever number of workers run.
   */
  async schedule<N extends JobName>(name: N, repeat: { every: number } | { pattern: string; tz: string }, data: JobPayloads[N]): Promise<void> {
    await this.queue(name).upsertJobScheduler(`${name}.schedule`, repeat, { name, data, opts: { attempts: this.config.JOB_ATTEMPTS, ...RETENTION } });
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}

export type WorkerConfig = QueueConfig &
  Pick<
    Config,
    | 'CONCURRENCY_NORMALIZE'
    | 'CONCURRENCY_TRANSCRIBE'
    | 'CONCURRENCY_ANALYZE'
    | 'CONCURRENCY_LEAD_UPDATE'
    | 'CONCURRENCY_WEBHOOK'
    | 'CONCURRENCY_FOLLOWUP'
    | 'WORKER_LOCK_DURATION_MS'
    | 'WORKER_STALLED_INTERVAL_MS'
  >;

export function concurrencyFor(config: WorkerConfig, name: JobName): number {
  const table: Record<JobName, number> = {
    normalize: config.CONCURRENCY_NORMALIZE,
    transcribe: config.CONCURRENCY_TRANSCRIBE,
    analyze: config.CONCURRENCY_ANALYZE,
    'lead-update': config.CONCURRENCY_LEAD_UPDATE,
    'webhook-delivery': config.CONCURRENCY_WEBHOOK,
    'recording-followups': config.CONCURRENCY_FOLLOWUP,
    'followup-remind': config.CONCURRENCY_FOLLOWUP,
    'followup-escalate': config.CONCURRENCY_FOLLOWUP,
    'robot-delivery': config.CONCURRENCY_WEBHOOK,
    'lead-stage-overdue': config.CONCURRENCY_FOLLOWUP,
    // Mining is one synchronous CPU-bound run; two at once would only slow both down.
    'mine-tenant': 1,
    'reanalyze-tenant': 1,
    reconcile: 1,
    'retention-sweep': 1,
    // Workbook imports are streamed, but two at once would still double the database load of one.
    'attitude-import': 1,
  };
  return table[name];
}

export interface RunningWorkers {
  workers: Worker[];
  /** Graceful: stops taking jobs and waits for the ones in progress. */
  close(): Promise<void>;
}

/** Consumes the given queues with the catalog's handlers. Refuses to start if the catalog check fails. */
export function startBullWorkers(deps: JobDeps, config: WorkerConfig, names: readonly JobName[] = JOB_NAMES): RunningWorkers {
  checkHandlers();
  const start = <N extends JobName>(name: N) => {
    const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const worker = new Worker<JobPayloads[N]>(
      name,
      async (job) => {
        const attempts = job.opts.attempts ?? 1;
        const progress = (p: number) => void job.updateProgress(Math.round(p)).catch(() => {});
        await runJob(name, job.data, { ...deps, progress }, { final: job.attemptsMade + 1 >= attempts });
      },
      {
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: concurrencyFor(config, name),
        lockDuration: config.WORKER_LOCK_DURATION_MS,
        stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: 2,
      },
    );
    worker.on('failed', (job, err) => deps.log.warn({ queue: name, jobId: job?.id, err: err.message }, 'job failed'));
    worker.on('error', (err) => deps.log.error({ queue: name, err: err.message }, 'worker error'));
    return { worker, connection };
  };
  const workers = names.map(start);
  return {
    workers: workers.map((w) => w.worker),
    async close() {
      await Promise.all(workers.map((w) => w.worker.close()));
      for (const w of workers) w.connection.disconnect();
    },
  };
}
