import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../core/config.ts';
import { createTestDatabase, uniqueQueuePrefix } from '../db/testing.ts';

/** Tests seal secrets with a fixed key (production keys come from the environment). */
export const TEST_SECRET_KEY = 'tingjian-test-secret-key-0123456789abcdef';

/**
 * Config for one integration-test file: its own Postgres database, storage folder and queue prefix, with retry and
 * stalled-job timings short enough for tests. `cleanup()` drops the database, the folder and the prefix's Redis keys.
 */
export async function testEnvironment(label: string, env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), `tingjian-${label}-`));
  const prefix = uniqueQueuePrefix(label);
  const vars: Record<string, string> = {
    DATABASE_URL: database.url,
    STORAGE_DIR: storageDir,
    QUEUE_PREFIX: prefix,
    REDIS_URL: 'redis://127.0.0.1:6379',
    JOB_ATTEMPTS: '3',
    JOB_BACKOFF_MS: '200',
    WORKER_LOCK_DURATION_MS: '4000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    LOG_LEVEL: 'silent',
    TINGJIAN_SECRET_KEY: TEST_SECRET_KEY,
    ...env,
  };
  const config: Config = loadConfig({ ...vars });
  return {
    config,
    vars,
    storageDir,
    /** `redis: false` when the test's Redis is already gone (outage tests run a private one). */
    async cleanup(opts: { redis?: boolean } = {}) {
      await database.drop();
      fs.rmSync(storageDir, { recursive: true, force: true });
      if (opts.redis !== false) await deleteRedisPrefix(config.REDIS_URL, prefix);
    },
  };
}

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * An address of this machine that is not loopback, for test receivers: webhooks and robots may never reach
 * loopback, so a test's "intranet CRM" listens here and the test allows exactly it with WEBHOOK_ALLOWED_CIDRS.
 */
export function intranetAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('the webhook tests need a non-loopback IPv4 address on this machine (ip addr shows none)');
}

/** Polls until `fn` returns a truthy value (or throws after `ms`). */
export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 20_000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`waitFor timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}
