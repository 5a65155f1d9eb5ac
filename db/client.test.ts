import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDb, type DbHandle } from './client.ts';
import { createRepositories } from './repositories/index.ts';
import { createTestDatabase } from './testing.ts';

async function tables(h: DbHandle): Promise<string[]> {
  const res = await h.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
  const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as Array<{ table_name: string }>;
  return rows.map((r) => r.table_name);
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('openDb', () => {
  it('gives Postgres and PGlite the same schema from the same migrations, idempotently', async () => {
    const pgDb = await createTestDatabase();
    cleanups.push(() => pgDb.drop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-pglite-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));

    const pg = await openDb({ DATABASE_URL: pgDb.url, PGLITE_DIR: 'unused' });
    const lite = await openDb({ PGLITE_DIR: dir });
    cleanups.push(() => pg.close(), () => lite.close());
    expect(pg.kind).toBe('postgres');
    expect(lite.kind).toBe('pglite');

    // Two processes starting together both migrate: the advisory lock serializes them.
    const pg2 = await openDb({ DATABASE_URL: pgDb.url, PGLITE_DIR: 'unused' });
    const [first, second] = await Promise.all([pg.migrate(), pg2.migrate()]);
    await pg2.close();
    // Whichever ran first applied every migration; the other found nothing left to do.
    const all = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')).entries.map((e: { tag: string }) => e.tag);
    expect([first.applied, second.applied].sort((a, b) => b.length - a.length)).toEqual([all, []]);
    expect((await lite.migrate()).applied).toEqual(all);
    expect((await lite.migrate()).applied).toEqual([]);

    const pgTables = await tables(pg);
    expect(pgTables).toEqual(expect.arrayContaining(['recordings', 'analyses', 'api_keys', 'webhook_deliveries', 'lead_stage_events']));
    expect(await tables(lite)).toEqual(pgTables);

    for (const h of [pg, lite]) {
      const repos = createRepositories(h.db);
      const t = await repos.tenants.ensure('同一个');
      expect((await repos.tenants.ensure('同一个')).id).toBe(t.id);
      const { key } = await repos.apiKeys.create({ tenantId: t.id, role: 'admin' });
      expect((await repos.apiKeys.authenticate(key))?.tenantId).toBe(t.id);
      expect(await repos.apiKeys.authenticate(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeNull();
    }
  }, 180_000);

  it('keeps PGlite data on disk across reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-pglite-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const a = await openDb({ PGLITE_DIR: dir });
    await a.migrate();
    await createRepositories(a.db).tenants.ensure('持久');
    await a.close();
    const b = await openDb({ PGLITE_DIR: dir });
    cleanups.push(() => b.close());
    await b.migrate();
    const rows = await b.db.query.tenants.findMany();
    expect(rows.map((r) => r.name)).toEqual(['持久']);
  }, 180_000);
});
