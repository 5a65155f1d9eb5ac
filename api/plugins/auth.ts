import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError, ForbiddenError } from '../../core/errors.ts';
import { hashKey, type Principal } from '../../db/repositories/api-keys.repository.ts';
import type { RecordingScope } from '../../db/repositories/recordings.repository.ts';
import type { Role } from '../../db/schema.ts';
import type { AppContext } from '../context.ts';
import { sendError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Paths that need a key; health checks, docs and the OpenAPI document are public. */
const PROTECTED = /^\/(v1|admin|reports)(\/|$)/;
/** A browser cannot add a Bearer header to links and <audio>: report pages and their audio also take this cookie. */
export const REPORT_COOKIE = 'tingjian_report_key';
const COOKIE_PATHS = /^\/(reports\/|v1\/recordings\/[^/]+\/audio(\?|$))/;

function cookieKey(req: FastifyRequest): string | null {
  if (req.method !== 'GET' || !COOKIE_PATHS.test(req.url)) return null;
  const m = new RegExp(`(?:^|;\\s*)${REPORT_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '');
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

export function requireRoles(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (req) => {
    const p = principalOf(req);
    if (!roles.includes(p.role)) {
      throw new ForbiddenError('forbidden', `此操作需要角色 ${roles.join('/')} / this needs role ${roles.join(' or ')}`);
    }
  };
}

export const ROLES_READ: Role[] = ['admin', 'trainer', 'integration'];
export const ROLES_WRITE: Role[] = ['admin', 'integration'];

/**
 * Saves the key lookup on hot read paths. Entries live AUTH_CACHE_TTL_MS, so a revoked key stops working within
 * that time on every server; misses (bad keys) are not cached, so they cannot fill it.
 */
class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; expires: number }>();
  constructor(private readonly ttlMs: number, private readonly max = 10_000) {}

  async get(key: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    if (this.ttlMs <= 0) return load();
    const id = hashKey(key);
    const hit = this.entries.get(id);
    if (hit && hit.expires > Date.now()) return hit.principal;
    const principal = await load();
    if (principal) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(id, { principal, expires: Date.now() + this.ttlMs });
    } else this.entries.delete(id);
    return principal;
  }
}

export default fp(async function auth(app: FastifyInstance, opts: { ctx: AppContext }) {
  const cache = new PrincipalCache(opts.ctx.config.AUTH_CACHE_TTL_MS);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    if (!PROTECTED.test(req.url)) return;
    const header = req.headers.authorization ?? '';
    const cookie = header ? null : cookieKey(req);
    const match = cookie ? [cookie, cookie] : /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return sendError(req, reply, new UnauthorizedError('unauthorized', '缺少 API 密钥 (Authorization: Bearer <key>) / missing API key'));
    const principal = await cache.get(match[1], () => opts.ctx.repos.apiKeys.authenticate(match[1]));
    if (!principal) return sendError(req, reply, new UnauthorizedError('unauthorized', 'API 密钥无效或已吊销 / invalid or revoked API key'));
    req.principal = principal;
  });
});
