import type { AppContext } from '../context.ts';

/** How routes write an erasure into the audit log. */
export function auditTo(ctx: AppContext) {
  return async (tenantId: string, actor: string, action: string, targetId: string, detail: Record<string, number>) => {
    await ctx.repos.audit.record({ tenantId, actor, action, targetType: action.split('.')[0], targetId, detail });
  };
}
