import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
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
  async create(input: { tenantId: string; role: Role; repId?: string | null; label?: string | null }) {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const [row] = await this.db
      .insert(apiKeys)
      .values({
        tenantId: input.tenantId,
        role: input.role,
        repId: input.repId ?? null,
        label: input.label ?? null,
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
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
    // The index lookup already matched; the constant-time compare keeps the check itself free of timing leaks.
    if (!row || !timingSafeEqual(Buffer.from(row.keyHash), Buffer.from(hash))) return null;
    const { keyHash: _omit, ...principal } = row;
    return principal;
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
