import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { openService, type Service } from '../workers/service.ts';
import { testEnvironment, waitFor } from '../workers/testing.ts';
import { buildApp } from './app.ts';
import fs from 'node:fs';
import path from 'node:path';
import { AUTHORIZATION, type RepConfinement } from './authorization.ts';
import type { AppContext } from './context.ts';
import auth from './plugins/auth.ts';
import { multipart } from './test-helpers.ts';

/**
 * The authorization matrix from the caller's side: every route in it called with every role's key, then the
 * ownership rules, key lifetime, sign-in sessions, rate limiting and security headers, on the real database.
 */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let app: FastifyInstance;
let proxied: FastifyInstance;
let tenantId = '';
const key: Record<string, string> = {};
const queue = { enqueue: async () => {}, enqueueBulk: async () => {}, ping: async () => {} };

async function makeKey(role: Role, rep?: string, extra: { expiresAt?: Date } = {}) {
  const r = rep ? await service.repos.reps.ensure(tenantId, rep) : null;
  return (await service.repos.apiKeys.create({ tenantId, role, repId: r?.id, ...extra })).key;
}

const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

beforeAll(async () => {
  env = await testEnvironment('authz', { AUTH_FAIL_LIMIT: '5', AUTH_FAIL_WINDOW_MS: '60000', AUTH_CACHE_TTL_MS: '60000' });
  service = await openService(env.config);
  const ctx = { config: env.config, dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue };
  app = await buildApp(ctx, { logger: false });
  proxied = await buildApp({ ...ctx, config: loadConfig({ ...env.vars, TRUST_PROXY: 'true' }) }, { logger: false });
  tenantId = (await service.repos.tenants.ensure('权限公司')).id;
  for (const role of ROLES) key[role] = await makeKey(role, role === 'rep' ? 'r-own' : undefined);
  key.rep2 = await makeKey('rep', 'r-other');
  await service.repos.reps.ensure(tenantId, 'r-succ');
});

afterAll(async () => {
  await app?.close();
  await proxied?.close();
  await service?.close();
  await env?.cleanup();
});

const concrete = (pattern: string) =>
  pattern
    .replace(':proposalId', randomUUID())
    .replace(':page', 'index.html')
    .replace(/:(id|externalId)/, 'x-1')
    .replace('*', '');

describe('the authorization matrix, route by route', () => {
  it('answers 403 to every role the matrix leaves out and lets every listed role through', async () => {
    let checked = 0;
    for (const [route, rule] of Object.entries(AUTHORIZATION)) {
      const [m, pattern] = route.split(' ');
      // The queue board mounts only over real queues; api/recordings.test.ts shows it to admins only.
      if (m === 'ALL') continue;
      const method = m as 'GET';
      for (const role of ROLES) {
        const res = await app.inject({ method, url: concrete(pattern), headers: bearer(key[role]), ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
        if (rule.roles.includes(role)) {
          expect([401, 403, 500], `${role} ${route} → ${res.statusCode} ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
          // Every entry names a route that exists.
          expect(res.statusCode === 404 && res.json().error.code === 'route_not_found', `${route} has no route`).toBe(false);
        } else {
          expect(res.statusCode, `${role} ${route}`).toBe(403);
          expect(res.json().error.code).toBe('forbidden');
        }
        checked++;
      }
    }
    expect(checked).toBe((Object.keys(AUTHORIZATION).length - 1) * ROLES.length);
  });

  it('is the table docs/security.md prints', () => {
    const REP: Record<RepConfinement, string> = { scoped: 'own rows', 'own-lead': 'own lead', 'own-task': 'own task', successor: 'as successor', 'own-fields': 'own rep/lead/customer' };
    const head = `| route | ${ROLES.join(' | ')} |\n|---|${ROLES.map(() => '---').join('|')}|`;
    const rows = Object.entries(AUTHORIZATION).map(([route, rule]) => {
      const cells = ROLES.map((role) => (!rule.roles.includes(role) ? '—' : role === 'rep' && rule.rep ? `✓ ${REP[rule.rep]}` : '✓'));
      return `| \`${route}\` | ${cells.join(' | ')} |`;
    });
    const doc = fs.readFileSync(path.join(import.meta.dirname, '../docs/security.md'), 'utf8');
    expect(doc).toContain([head, ...rows].join('\n'));
  });

  it('refuses to start when a protected route is missing from the matrix', async () => {
    const bare = Fastify();
    await bare.register(auth, { ctx: { config: env.config, repos: service.repos } as unknown as AppContext });
    expect(() => bare.get('/v1/undocumented', async () => 'secret')).toThrow(/GET \/v1\/undocumented is not in the authorization matrix/);
    await bare.close();
  });
});

describe('ownership of rep keys', () => {
  beforeAll(async () => {
    await app.inject({ method: 'PUT', url: '/v1/leads/L-other', headers: bearer(key.integration), payload: { ownerRepId: 'r-other', customerId: 'C-other' } });
    await app.inject({ method: 'PUT', url: '/v1/leads/L-own', headers: bearer(key.integration), payload: { ownerRepId: 'r-own', customerId: 'C-own' } });
  });

  it('a rep cannot upload into another rep’s lead: 403, and no recording, proposal or task appears there', async () => {
    const body = multipart({ leadId: 'L-other' }, { name: 'visit.txt', content: Buffer.from('销售：我们下周签合同。') });
    const res = await app.inject({ method: 'POST', url: '/v1/recordings', payload: body.payload, headers: { ...body.headers, ...bearer(key.rep) } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('not_owner');
    const [{ n }] = (await service.db.execute(sql`select count(*)::int as n from recordings`)) as unknown as Array<{ n: number }>;
    expect(n).toBe(0);
  });

  it('a rep cannot score another rep’s customer, nor move or read another rep’s lead', async () => {
    const score = await app.inject({ method: 'POST', url: '/v1/attitude-reports', headers: bearer(key.rep), payload: { reports: [{ day: '2026-11-30', customerId: 'C-other', score: 1 }] } });
    expect(score.statusCode).toBe(403);
    expect(score.json().error.code).toBe('not_owner');
    expect((await service.repos.attitude.list(tenantId, { from: '2026-11-01', to: '2026-12-31' })).length).toBe(0);
    const own = await app.inject({ method: 'POST', url: '/v1/attitude-reports', headers: bearer(key.rep), payload: { reports: [{ day: '2026-11-30', customerId: 'C-own', score: 4 }] } });
    expect(own.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/v1/leads/L-other/stage', headers: bearer(key.rep), payload: { to: 'needs_confirmed' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/leads/L-other/stage', headers: bearer(key.rep) })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/leads/L-own/stage', headers: bearer(key.rep) })).statusCode).toBe(200);
    expect((await service.repos.leads.getByExternalId(tenantId, 'L-other'))!.stage).toBe('new_lead');
  });

  it('a trainer cannot move a stage through a proposal either', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/leads/L-own/proposals/${randomUUID()}/confirm`, headers: bearer(key.trainer) });
    expect(res.statusCode).toBe(403);
  });
});

describe('key lifetime', () => {
  it('revokes a departed rep’s keys at once; expired keys fail; last_used_at is written', async () => {
    const leaving = await makeKey('rep', 'r-leaving');
    expect((await app.inject({ url: '/v1/recordings', headers: bearer(leaving) })).statusCode).toBe(200);
    const [row] = await service.repos.apiKeys.list(tenantId).then((l) => l.filter((k) => k.repExternalId === 'r-leaving'));
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    const dep = await app.inject({ method: 'POST', url: '/v1/reps/r-leaving/departure', headers: bearer(key.integration), payload: { successorId: 'r-succ' } });
    expect(dep.statusCode).toBe(201);
    // Cached for a minute in this process before; the departure makes it forget.
    expect((await app.inject({ url: '/v1/recordings', headers: bearer(leaving) })).statusCode).toBe(401);
    const upload = multipart({}, { name: 'v.txt', content: Buffer.from('销售：您好') });
    expect((await app.inject({ method: 'POST', url: '/v1/recordings', payload: upload.payload, headers: { ...upload.headers, ...bearer(leaving) } })).statusCode).toBe(401);
    const expired = await makeKey('integration', undefined, { expiresAt: new Date(Date.now() - 1000) });
    expect((await app.inject({ url: '/v1/reps', headers: bearer(expired) })).statusCode).toBe(401);
  });
});

describe('browser sessions', () => {
  const form = (k: string) => ({ method: 'POST' as const, url: '/reports-login', payload: `key=${encodeURIComponent(k)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('keeps a random id in the cookie, its hash in the table, and ends it on logout', async () => {
    const login = await app.inject(form(key.trainer));
    expect(login.statusCode).toBe(303);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).not.toContain(key.trainer);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = setCookie.split(';')[0];
    const token = cookie.split('=')[1];
    const rows = (await service.db.execute(sql`select token_hash from sessions`)) as unknown as Array<{ token_hash: string }>;
    expect(rows.length).toBe(1);
    expect(rows[0].token_hash).not.toBe(token);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await app.inject({ url: '/reports/index.html', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/reports-logout', headers: { cookie } })).headers['set-cookie']).toMatch(/Max-Age=0/);
    expect((await app.inject({ url: '/reports/index.html', headers: { cookie } })).statusCode).toBe(401);
  });

  it('expires a session and marks the cookie Secure behind a TLS proxy it trusts', async () => {
    const short = await buildApp(
      { config: loadConfig({ ...env.vars, SESSION_TTL_HOURS: String(1 / 3600) }), dbHandle: service.dbHandle, repos: service.repos, storage: service.storage, queue },
      { logger: false },
    );
    const cookie = String((await short.inject(form(key.trainer))).headers['set-cookie']).split(';')[0];
    expect((await short.inject({ url: '/reports/index.html', headers: { cookie } })).statusCode).toBe(200);
    await waitFor(async () => (await short.inject({ url: '/reports/index.html', headers: { cookie } })).statusCode === 401, 10_000, 200);
    await short.close();
    const viaProxy = await proxied.inject({ ...form(key.trainer), headers: { ...form(key.trainer).headers, 'x-forwarded-proto': 'https' } });
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/; Secure/);
    // An untrusted client cannot claim TLS: without TRUST_PROXY the header is ignored.
    const spoofed = await app.inject({ ...form(key.trainer), headers: { ...form(key.trainer).headers, 'x-forwarded-proto': 'https' } });
    expect(String(spoofed.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});

describe('rate limiting and headers', () => {
  it('answers 429 after AUTH_FAIL_LIMIT failed keys or sign-ins from one address, even to a good key', async () => {
    const from = { remoteAddress: '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await app.inject({ url: '/v1/reps', headers: bearer(`tj_guess${i}`), ...from })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const blocked = await app.inject({ url: '/v1/reps', headers: bearer(key.admin), ...from });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await app.inject({ url: '/v1/reps', headers: bearer(key.admin), remoteAddress: '203.0.113.78' })).statusCode).toBe(200);
    const logins: number[] = [];
    for (let i = 0; i < 7; i++) {
      logins.push((await app.inject({ ...({ method: 'POST', url: '/reports-login', payload: 'key=wrong', headers: { 'content-type': 'application/x-www-form-urlencoded' } } as const), remoteAddress: '203.0.113.79' })).statusCode);
    }
    expect(logins.slice(5)).toEqual([429, 429]);
  });

  it('sends nosniff, no framing and a CSP everywhere; a report page’s inline script is allowed by its hash only', async () => {
    const res = await app.inject({ url: '/v1/reps', headers: bearer(key.admin) });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    const login = await app.inject({ url: '/reports-login' });
    expect(login.headers['content-security-policy']).toMatch(/script-src 'none'/);
    expect(login.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });
});
