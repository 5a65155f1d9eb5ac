import os from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { JOB_NAMES, isJobName, type JobName } from '../../workers/catalog.ts';
import { BullJobQueue, concurrencyFor, startBullWorkers } from '../../workers/bullmq.ts';
import { checkHandlers } from '../../workers/handlers.ts';
import { startMaintenance } from '../../workers/maintenance.ts';
import { withQueue } from '../../workers/ports.ts';
import { openService } from '../../workers/service.ts';

export function register(program: Command): void {
  program
    .command('worker')
    .description('启动后台任务处理（转写可单独部署）/ run pipeline workers')
    .option('--queues <names>', `只处理这些队列，逗号分隔 / comma-separated subset of: ${JOB_NAMES.join(',')}`)
    .action(async (opts: { queues?: string }) => {
      const names = (opts.queues ? opts.queues.split(',').map((s) => s.trim()).filter(Boolean) : [...JOB_NAMES]) as string[];
      const unknown = names.filter((n) => !isJobName(n));
      if (unknown.length) {
        throw new InvalidInputError('invalid_option', `未知队列 ${unknown.join(',')}；可选 ${JOB_NAMES.join(',')} / unknown queue`);
      }
      checkHandlers(); // fail before touching Redis if the catalog is inconsistent
      const config = loadConfig();
      if (!config.DATABASE_URL) {
        throw new InvalidInputError(
          'needs_postgres',
          '单独的 worker 需要 DATABASE_URL：嵌入式 PGlite 只能由一个进程打开（未设置 DATABASE_URL 时，serve 会在进程内处理任务）。' +
            ' A separate worker needs DATABASE_URL: embedded PGlite belongs to one process (without it, serve processes jobs itself).',
        );
      }
      // Lower our own priority before any job runs (children inherit it); raising it again is not allowed, so once.
      if (config.WORKER_NICE > os.getPriority()) os.setPriority(config.WORKER_NICE);
      const service = await openService(config);
      if (names.includes('analyze')) {
        // Loading the lexicons and jieba's dictionaries blocks for seconds; do it before holding any job's lock.
        service.stages.analyze([{ start: 0, end: 1, speaker: 'rep', text: '您好，我们明天把报价发给您。' }], {
          now: new Date(),
          durationSec: null,
          kind: 'transcript',
        });
      }
      const queue = new BullJobQueue(config);
      const deps = withQueue(service, queue);
      const running = startBullWorkers(deps, config, names as JobName[]);
      void startMaintenance(deps, queue, config);
      service.log.info(
        { queues: names.map((n) => `${n}×${concurrencyFor(config, n as JobName)}`), prefix: config.QUEUE_PREFIX },
        `worker started / 后台任务已启动`,
      );
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        service.log.info({ signal }, 'finishing running jobs, then exiting / 正在完成当前任务后退出');
        await running.close();
        await queue.close();
        await service.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    });
}
