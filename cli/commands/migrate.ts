import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { openDb } from '../../db/client.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('应用数据库迁移 (Postgres via DATABASE_URL, else embedded PGlite) / apply database migrations')
    .action(async () => {
      const config = loadConfig();
      const handle = await openDb(config);
      try {
        const { applied } = await handle.migrate();
        const where = handle.kind === 'postgres' ? 'Postgres' : `PGlite (${config.PGLITE_DIR})`;
        console.log(
          applied.length
            ? `已应用 ${applied.length} 个迁移（${applied.join('、')}），数据库已是最新 / applied ${applied.length} migration(s): ${where}`
            : `数据库已是最新，无需迁移 / database already up to date: ${where}`,
        );
      } finally {
        await handle.close();
      }
    });
}
