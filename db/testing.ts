import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The server tests run against (CI and every session have it on 127.0.0.1:5432, trust auth). */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty database per test file (CREATE DATABASE tingjian_test_<random>), dropped afterwards, so test files
 * running in parallel never see each other's rows.
 */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `tingjian_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const a = postgres(TEST_PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

export function uniqueQueuePrefix(label: string): string {
  return `tjtest-${label}-${randomBytes(4).toString('hex')}`;
}
