import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../core/config.ts';
import { BullJobQueue, startBullWorkers } from '../../workers/bullmq.ts';
import { startMaintenance } from '../../workers/maintenance.ts';
import { withQueue } from '../../workers/ports.ts';
import { openService } from '../../workers/service.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('启动 HTTP API（PORT，默认 3000）/ start the HTTP API')
    .option('--port <n>', '端口 / port (overrides PORT)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig();
      const service = await openService(config);
      const queue = new BullJobQueue(config);
      const app = await buildApp({ config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue });
      // Embedded PGlite belongs to this one process, so no separate worker can reach it: process the queues here.
      const inProcess = service.dbHandle.kind === 'pglite' ? startBullWorkers(withQueue(service, queue), config) : null;
      if (inProcess) void startMaintenance(withQueue(service, queue), queue, config);
      if (inProcess) app.log.info('嵌入式 PGlite：任务在本进程内处理 / embedded PGlite: processing jobs in this process (set DATABASE_URL to scale out)');
      const shutdown = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        await app.close();
        await inProcess?.close();
        await queue.close();
        await service.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
      await app.listen({ port: opts.port ? Number(opts.port) : config.PORT, host: config.HOST });
    });
}
