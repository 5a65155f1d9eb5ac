import fs from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../core/errors.ts';

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One writer per embedded database. PGlite has no server to arbitrate between processes: a second process opening
 * the same folder (`tingjian keys create` while `tingjian serve` runs) writes pages the first never sees and the
 * folder ends corrupt. The lock file beside the folder names its holder; a holder that died leaves a stale lock,
 * which the next process takes over.
 */
export function lockPgliteDir(dir: string): () => void {
  const file = `${path.resolve(dir)}.lock`;
  const me: Holder = { pid: process.pid, command: process.argv.slice(2).join(' ') || 'node', since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) {
        throw new ConfigurationError(
          'database_locked',
          `嵌入式数据库 ${dir} 正被另一个进程使用（pid ${holder.pid}：tingjian ${holder.command}，自 ${holder.since}）。` +
            '同一时间只能有一个进程打开它：请先停止该进程再运行此命令；需要多个进程（例如服务运行时创建密钥）请设置 DATABASE_URL 使用 Postgres。 / ' +
            `The embedded database ${dir} is in use by pid ${holder.pid} (tingjian ${holder.command}). Only one process may open it: ` +
            'stop that process first, or set DATABASE_URL to use Postgres when several processes must share the data.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  return () => {
    if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null;
  }
}
