import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apiKeys, reps, tenants, type Role } from '../schema.ts';

export interface Principal {
  keyId: string;
  tenantId: string;
  tenantName: string;
  role: Role;
  /** Internal and CRM id of the rep a rep key is bound to. */
  repId: string | null;
  repExternalId: string | null;
}

const KEY_PREFIX = 'tj_';

/** Keys are 32 random bytes, so sha256 is enough: there is nothing to brute-force that a slow hash would protect. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeysRepository {
  constructor(private readonly db: Db) {}

  /** Returns the clear key exactly once; only its hash is stored. */
  async create(input: { tenantId: string; role: Role; repId?: string | null; label?: string | null; expiresAt?: Date | null }) {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const [row] = await this.db
      .insert(apiKeys)
      .values({
        tenantId: input.tenantId,
        role: input.role,
        repId: input.repId ?? null,
        label: input.label ?? null,
        expiresAt: input.expiresAt ?? null,
        keyHash: hashKey(key),
        keyPrefix: key.slice(0, 10),
      })
      .returning({ id: apiKeys.id });
    return { id: row.id, key };
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
    const hash = hashKey(key);
    const [row] = await this.db
      .select({
        keyId: apiKeys.id,
        keyHash: apiKeys.keyHash,
        tenantId: apiKeys.tenantId,
        tenantName: tenants.name,
        role: apiKeys.role,
        repId: apiKeys.repId,
        repExternalId: reps.externalId,
      })
      .from(apiKeys)
      .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
      .leftJoin(reps, eq(reps.id, apiKeys.repId))
      .where(
        and(
          eq(apiKeys.keyHash, hash),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
          // A rep key works only while its rep is active: departure revokes it, and this covers a rep made inactive by a CRM sync.
          or(isNull(apiKeys.repId), eq(reps.status, 'active')),
        ),
      );
    // The index lookup already matched; the constant-time compare keeps the check itself free of timing leaks.
    if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
    const { keyHash: _omit, ...principal } = row;
    await this.touch(principal.keyId);
    return principal;
  }

  /** last_used_at, written at most once a minute per key so a busy key does not write on every request. */
  private async touch(keyId: string): Promise<void> {
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
  }

  async list(tenantId: string) {
    return this.db
      .select({
        id: apiKeys.id,
        role: apiKeys.role,
        keyPrefix: apiKeys.keyPrefix,
        label: apiKeys.label,
        repExternalId: reps.externalId,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .leftJoin(reps, eq(reps.id, apiKeys.repId))
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(desc(apiKeys.createdAt));
  }

  /** Every live key bound to a rep (on departure); returns their ids. */
  async revokeForRep(tenantId: string, repId: string): Promise<string[]> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.repId, repId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return rows.map((r) => r.id);
  }

  async revoke(tenantId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id)))
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }
}
