import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from './run-process.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-run-process-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Children of `pid` from /proc (Linux). */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the command name before it may contain spaces.
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

async function waitFor<T>(fn: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.runIf(process.platform === 'linux')('runProcess', () => {
  it('takes its child down when the parent process is SIGKILLed (no orphaned recognizer)', async () => {
    const script = path.join(tmp, 'parent.mts');
    fs.writeFileSync(
      script,
      `import { runProcess } from ${JSON.stringify(path.resolve(import.meta.dirname, 'run-process.ts'))};\n` +
        `await runProcess('sleep', ['300'], { timeoutMs: 600_000 });\n`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore', detached: true });
    try {
      const [child] = await waitFor(() => {
        const kids = childrenOf(parent.pid!).filter((k) => path.basename(fs.readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0')[0]) === 'sleep');
        return kids.length ? kids : undefined;
      }, 20_000);
      expect(alive(child)).toBe(true);
      process.kill(parent.pid!, 'SIGKILL');
      await waitFor(() => !alive(child), 10_000);
      expect(alive(child)).toBe(false);
    } finally {
      try {
        process.kill(-parent.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 30_000);

  it('still reports the program’s own exit status, signal and a missing program as ENOENT', async () => {
    const ok = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 });
    expect([ok.code, ok.stdout.trim(), ok.stderr.trim()]).toEqual([3, 'out', 'err']);
    const killed = await runProcess('sleep', ['30'], { timeoutMs: 200 });
    expect([killed.timedOut, killed.signal]).toEqual([true, 'SIGKILL']);
    await expect(runProcess(path.join(tmp, 'no-such-binary'), [], { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
