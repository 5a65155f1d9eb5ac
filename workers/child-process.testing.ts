import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(REPO_ROOT, 'bin', 'tingjian.js');

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** SIGKILL the child's whole process group (it may have spawned ffmpeg/whisper). */
  kill9(): void;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs `node bin/tingjian.js <args>` in its own process group, as a deployment would. */
export function startTingjian(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    output: () => out,
    kill9() {
      if (proc.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
    },
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      process.kill(proc.pid!, 'SIGTERM');
      const timer = setTimeout(() => proc.pid && proc.exitCode === null && process.kill(-proc.pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a tingjian command to completion and returns its stdout (throws with the output on a non-zero exit). */
export async function runTingjian(args: string[], env: Record<string, string>): Promise<string> {
  const child = startTingjian(args, env);
  let stdout = '';
  child.proc.stdout!.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', resolve));
  if (code !== 0) throw new Error(`tingjian ${args.join(' ')} exited ${code}:\n${child.output()}`);
  return stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
