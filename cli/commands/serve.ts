import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { loadConfig } from '../../core/config.ts';
import { BullJobQueue } from '../../workers/bullmq.ts';
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
      const shutdown = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        await app.close();
        await queue.close();
        await service.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
      await app.listen({ port: opts.port ? Number(opts.port) : config.PORT, host: config.HOST });
    });
}
