import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Config } from '../core/config.ts';
import { lockPgliteDir } from './pglite-lock.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. Repositories take this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * Applies pending migrations from db/migrations (idempotent; serialized across processes on Postgres) and says
   * which ones it applied, oldest first (none when the database was already up to date).
   */
  migrate(): Promise<{ applied: string[] }>;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
// Any constant works; it only has to be the same in every tingjian process sharing a database.
const MIGRATION_LOCK_KEY = 727_001;

/** Whether drizzle ever migrated this database, and how many migrations it recorded. */
const HAS_JOURNAL = `select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
const APPLIED_COUNT = 'select count(*)::int as n from drizzle.__drizzle_migrations';

/** The migration names in the order drizzle applies them. */
function journal(): string[] {
  const j = JSON.parse(fs.readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as { entries: Array<{ tag: string }> };
  return j.entries.map((e) => e.tag);
}

type DbConfig = Pick<Config, 'DATABASE_URL' | 'PGLITE_DIR'> & { DB_POOL_MAX?: number };

/**
 * Opens the database: Postgres through postgres-js when DATABASE_URL is set, otherwise embedded PGlite in PGLITE_DIR
 * (`memory://` keeps it in memory). Both use the same schema and migrations.
 */
export async function openDb(config: DbConfig): Promise<DbHandle> {
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, config.DB_POOL_MAX ?? 10);
  return openPglite(config.PGLITE_DIR);
}

function openPostgres(url: string, max: number): DbHandle {
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      // serve and worker may start together: an advisory lock on a dedicated connection serializes their migrations.
      const one = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await one`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        const count = async () => ((await one.unsafe(HAS_JOURNAL))[0].present ? Number((await one.unsafe(APPLIED_COUNT))[0].n) : 0);
        const before = await count();
        await migratePostgres(drizzlePostgres({ client: one }), { migrationsFolder: MIGRATIONS_DIR });
        const applied = journal().slice(before, await count());
        await one`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        return { applied };
      } finally {
        await one.end({ timeout: 5 });
      }
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dir: string): Promise<DbHandle> {
  const inMemory = dir.startsWith('memory://');
  if (!inMemory) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unlock = inMemory ? () => {} : lockPgliteDir(dir);
  let client: PGlite;
  try {
    client = new PGlite(inMemory ? undefined : dir);
    await client.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  const pdb = drizzlePglite({ client, schema });
  return {
    db: pdb as unknown as Db,
    kind: 'pglite',
    async migrate() {
      const count = async () =>
        (await client.query<{ present: boolean }>(HAS_JOURNAL)).rows[0].present ? (await client.query<{ n: number }>(APPLIED_COUNT)).rows[0].n : 0;
      const before = await count();
      await migratePglite(pdb, { migrationsFolder: MIGRATIONS_DIR });
      return { applied: journal().slice(before, await count()) };
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
      unlock();
    },
  };
}
