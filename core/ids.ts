/** Our own ids are UUIDs; the CRM's ids are free strings (api/schemas.ts CrmId). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A malformed id is simply not found (404), rather than a Postgres cast error (500). */
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
