import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apiKeys, reps, sessions, tenants } from '../schema.ts';
import type { Principal } from './api-keys.repository.ts';

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Report-page sign-ins. The browser holds a random token; the table holds its hash, so neither a database dump nor
 * a log line can be replayed as a session. A session authenticates only while its key is still valid.
 */
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async create(principal: Principal, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMs);
    await this.db.insert(sessions).values({ tenantId: principal.tenantId, keyId: principal.keyId, tokenHash: hash(token), expiresAt });
    // Expired sessions are swept as new ones start, so the table stays the size of the signed-in crowd.
    await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    return { token, expiresAt };
  }

  async authenticate(token: string): Promise<Principal | null> {
    if (token.length > 100) return null;
    const [row] = await this.db
      .select({
        keyId: apiKeys.id,
        tenantId: apiKeys.tenantId,
        tenantName: tenants.name,
        role: apiKeys.role,
        repId: apiKeys.repId,
        repExternalId: reps.externalId,
      })
      .from(sessions)
      .innerJoin(apiKeys, eq(apiKeys.id, sessions.keyId))
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .leftJoin(reps, eq(reps.id, apiKeys.repId))
      .where(
        and(
          eq(sessions.tokenHash, hash(token)),
          gt(sessions.expiresAt, sql`now()`),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        ),
      );
    return row ?? null;
  }

  async delete(token: string): Promise<boolean> {
    const rows = await this.db.delete(sessions).where(eq(sessions.tokenHash, hash(token))).returning({ id: sessions.id });
    return rows.length > 0;
  }
}
