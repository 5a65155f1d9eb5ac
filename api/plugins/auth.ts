import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { RateLimitedError, UnauthorizedError } from '../../core/errors.ts';
import { hashKey, type Principal } from '../../db/repositories/api-keys.repository.ts';
import type { RecordingScope } from '../../db/repositories/recordings.repository.ts';
import type { Role } from '../../db/schema.ts';
import { check, ruleFor } from '../authorization.ts';
import type { AppContext } from '../context.ts';
import { sendError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Counts one failed sign-in or key check for the caller's address; true once the address is over the limit. */
    authFailed(req: FastifyRequest): Promise<boolean>;
    /** Forgets cached principals (after revoking keys or ending a session), so this process stops accepting them now. */
    forgetPrincipals(): void;
  }
}

/** Paths that need a key; health checks, docs and the OpenAPI document are public. */
const PROTECTED = /^\/(v1|admin|reports)(\/|$)/;
/**
 * A browser cannot add a Bearer header to links and <audio>: report pages and their audio also take the session
 * cookie (a random id; the table holds its hash), and only on GET, so a forged form post cannot ride on it.
 */
export const SESSION_COOKIE = 'tingjian_session';
const COOKIE_PATHS = /^\/(reports\/|v1\/recordings\/[^/]+\/audio(\?|$))/;

export function cookieValue(req: FastifyRequest, name: string): string | null {
  const m = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(req.headers.cookie ?? '');
  return m ? decodeURIComponent(m[1]) : null;
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new UnauthorizedError('unauthorized', '缺少或无效的 API 密钥 / missing or invalid API key');
  return req.principal;
}

/** Rep keys see only their own rep's recordings; every other role sees the whole tenant. */
export function recordingScope(req: FastifyRequest): RecordingScope {
  const p = principalOf(req);
  return { tenantId: p.tenantId, repId: p.role === 'rep' ? p.repId : null };
}

export const ROLES_READ: Role[] = ['admin', 'trainer', 'integration'];

/**
 * Saves the key lookup on hot read paths. Entries live AUTH_CACHE_TTL_MS, so a key revoked by another process stops
 * working within that time on every server (this process forgets at once); misses (bad keys) are not cached.
 */
class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; expires: number }>();
  constructor(private readonly ttlMs: number, private readonly max = 10_000) {}

  async get(id: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(id);
    if (hit && hit.expires > Date.now()) return hit.principal;
    const principal = await load();
    if (principal) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(id, { principal, expires: Date.now() + this.ttlMs });
    } else this.entries.delete(id);
    return principal;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Who is calling (Bearer key or report session), and whether the authorization matrix lets them call this route.
 * Failed key checks count against the caller's address: past AUTH_FAIL_LIMIT in AUTH_FAIL_WINDOW_MS every
 * protected request from it answers 429 until the window ends, right key or not, so keys cannot be guessed at speed.
 */
export default fp(async function auth(app: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const cache = new PrincipalCache(ctx.config.AUTH_CACHE_TTL_MS);
  await app.register(rateLimit, { global: false });
  const failures = app.createRateLimit({ max: ctx.config.AUTH_FAIL_LIMIT, timeWindow: ctx.config.AUTH_FAIL_WINDOW_MS, keyGenerator: (req) => req.ip });
  const blocked = new Map<string, number>();

  app.decorate('authFailed', async (req: FastifyRequest) => {
    const limit = await failures(req);
    if (!limit.isAllowed && limit.isExceeded) {
      if (blocked.size > 10_000) blocked.clear();
      blocked.set(req.ip, Date.now() + limit.ttl);
      return true;
    }
    return false;
  });
  app.decorate('forgetPrincipals', () => cache.clear());
  app.decorateRequest('principal', null);

  const tooMany = (req: FastifyRequest, reply: FastifyReply) => {
    const until = blocked.get(req.ip) ?? Date.now();
    reply.header('retry-after', Math.max(1, Math.ceil((until - Date.now()) / 1000)));
    return sendError(req, reply, new RateLimitedError('too_many_attempts', '失败次数过多，请稍后再试 / too many failed attempts: wait and try again'));
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!PROTECTED.test(req.url)) return;
    const until = blocked.get(req.ip);
    if (until && until > Date.now()) return tooMany(req, reply);
    if (until) blocked.delete(req.ip);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const session = !req.headers.authorization && req.method === 'GET' && COOKIE_PATHS.test(req.url) ? cookieValue(req, SESSION_COOKIE) : null;
    if (!bearer && !session) {
      if (req.headers.authorization && (await app.authFailed(req))) return tooMany(req, reply);
      return sendError(req, reply, new UnauthorizedError('unauthorized', '缺少 API 密钥 (Authorization: Bearer <key>) / missing API key'));
    }
    const principal = bearer
      ? await cache.get(`k:${hashKey(bearer)}`, () => ctx.repos.apiKeys.authenticate(bearer))
      : // Sessions are not cached: a logout or an expiry must hold at once, and browsers read few pages.
        await ctx.repos.sessions.authenticate(session!);
    if (!principal) {
      if (await app.authFailed(req)) return tooMany(req, reply);
      const what = bearer ? 'API 密钥无效、已过期或已吊销 / invalid, expired or revoked API key' : '登录已过期，请重新登录 /reports-login / session expired: sign in again';
      return sendError(req, reply, new UnauthorizedError('unauthorized', what));
    }
    req.principal = principal;
  });

  // Every protected route must be in the matrix: a route someone adds without deciding who may call it fails start-up.
  app.addHook('onRoute', (route) => {
    if (!PROTECTED.test(route.url)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const rule = ruleFor(method, route.url);
      if (!rule) throw new Error(`route ${method} ${route.url} is not in the authorization matrix (api/authorization.ts)`);
    }
    // preValidation: a caller who may not use the route learns nothing from its validation errors either.
    const existing = route.preValidation ? (Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]) : [];
    route.preValidation = [
      async function authorize(req: FastifyRequest, reply: FastifyReply) {
        const rule = ruleFor(req.method === 'HEAD' ? 'GET' : req.method, route.url)!;
        // Answered here rather than thrown: plugins with their own error handler (bull-board) sit behind this too.
        if (!req.principal) return sendError(req, reply, new UnauthorizedError('unauthorized', '缺少或无效的 API 密钥 / missing or invalid API key'));
        const denied = await check(rule, req.principal, req, ctx.repos);
        if (denied) return sendError(req, reply, denied);
      },
      ...existing,
    ];
  });
});
