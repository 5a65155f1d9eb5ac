import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface RunOptions {
  timeoutMs: number;
  cwd?: string;
  /** Called with each complete stderr line (ffmpeg and whisper.cpp both report progress there). */
  onStderrLine?: (line: string) => void;
  /** Keep at most this many bytes of stderr (the tail), so an hour of progress lines cannot grow without bound. */
  maxStderrBytes?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/**
 * Runs an external program from an argument array — never through a shell, so file names are data — and always
 * resolves (exit status, signal, timeout are for the caller to map). Only a failure to start rejects (ENOENT, EACCES).
 */
export function runProcess(file: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const maxStderr = opts.maxStderrBytes ?? 256 * 1024;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const [cmd, argv] = diesWithParent(file, args);
    const child = spawn(cmd, argv, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    let partial = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, Math.max(1, opts.timeoutMs));
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < maxStderr) stdout += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > maxStderr) stderr = stderr.slice(-maxStderr);
      if (!opts.onStderrLine) return;
      const lines = (partial + chunk).split(/\r\n|\r|\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) opts.onStderrLine(line);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (partial && opts.onStderrLine) opts.onStderrLine(partial);
      resolve({ code, signal, timedOut, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = process.platform === 'linux' && isExecutable(SETPRIV);

/**
 * A recognizer or ffmpeg run must not outlive the worker that started it: a killed worker's job is retried
 * elsewhere, and an orphaned whisper.cpp would go on burning every core for an hour. On Linux the program is
 * started through util-linux's setpriv (an essential package on Debian) with a parent-death signal, which the
 * kernel delivers even when the worker is SIGKILLed; setpriv execs the program, so the pid, exit status and
 * signals are the program's own. A program that does not exist is spawned as is, so it still fails with ENOENT.
 */
function diesWithParent(file: string, args: readonly string[]): [string, string[]] {
  const resolved = resolveExecutable(file);
  if (!hasSetpriv || !resolved) return [file, [...args]];
  return [SETPRIV, ['--pdeathsig', 'KILL', '--', resolved, ...args]];
}

function resolveExecutable(file: string): string | null {
  if (file.includes('/')) return isExecutable(file) ? path.resolve(file) : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, file);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The last meaningful lines of a tool's stderr, for error messages (progress spam and banners dropped). */
export function stderrTail(stderr: string, lines = 4): string {
  return stderr
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^(size=|frame=|\s*Stream #|\s*Metadata:|\s*Duration:)/.test(l))
    .slice(-lines)
    .join(' | ');
}
