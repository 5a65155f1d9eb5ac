import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runTingjian, startTingjian, type Child } from '../workers/child-process.testing.ts';
import { deleteRedisPrefix, waitFor } from '../workers/testing.ts';
import { uniqueQueuePrefix } from './testing.ts';

/**
 * Embedded mode from the operator's side: `tingjian serve` on PGlite, then `tingjian keys create` on the same
 * folder. The second process must refuse with a message saying what to do, and the data must stay usable.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-lock-'));
const prefix = uniqueQueuePrefix('lock');
const env = {
  DATABASE_URL: '',
  PGLITE_DIR: path.join(dir, 'pglite'),
  STORAGE_DIR: path.join(dir, 'storage'),
  QUEUE_PREFIX: prefix,
  REDIS_URL: 'redis://127.0.0.1:6379',
  LOG_LEVEL: 'warn',
  TINGJIAN_SECRET_KEY: '',
};
let serve: Child | undefined;

afterAll(async () => {
  await serve?.stop();
  await deleteRedisPrefix('redis://127.0.0.1:6379', prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startServe(port: number) {
  const child = startTingjian(['serve'], { ...env, PORT: String(port) });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, 60_000);
  return child;
}

const keysCreate = () => runTingjian(['keys', 'create', '--tenant', '嵌入公司', '--role', 'integration'], env);

describe('single writer on the embedded database', () => {
  it('refuses a second process while serve runs, then works once it stopped', async () => {
    const port = await freePort();
    serve = await startServe(port);
    const refused = await keysCreate().then(() => '', (err: Error) => err.message);
    expect(refused).toMatch(/exited 1/);
    expect(refused).toContain('database_locked');
    expect(refused).toMatch(/正被另一个进程使用.*DATABASE_URL/s);
    // The server is unharmed by the attempt.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true);

    await serve.stop();
    const key = (await keysCreate()).trim().split('\n').at(-1)!;
    expect(key).toMatch(/^tj_/);
    serve = await startServe(port);
    const res = await fetch(`http://127.0.0.1:${port}/v1/recordings`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    await serve.stop();
    serve = undefined;
    // Files it wrote are its owner's alone.
    expect(fs.statSync(`${env.PGLITE_DIR}.secret.key`).mode & 0o777).toBe(0o600);
    expect(fs.statSync(env.PGLITE_DIR).mode & 0o777).toBe(0o700);
  }, 240_000);

  it('takes over the lock a killed process left behind', async () => {
    fs.writeFileSync(`${env.PGLITE_DIR}.lock`, JSON.stringify({ pid: 2 ** 22 + 7, command: 'serve', since: '2026-01-01T00:00:00Z' }));
    const key = (await keysCreate()).trim().split('\n').at(-1)!;
    expect(key).toMatch(/^tj_/);
    expect(fs.existsSync(`${env.PGLITE_DIR}.lock`)).toBe(false);
  }, 120_000);
});
