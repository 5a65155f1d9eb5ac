import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { newSecretKey } from '../../core/secret-box.ts';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { ROLES, type Role } from '../../db/schema.ts';
import { openDb } from '../../db/client.ts';
import { createRepositories } from '../../db/repositories/index.ts';

export function register(program: Command): void {
  program
    .command('secret-key')
    .description('生成 TINGJIAN_SECRET_KEY（加密保存 webhook 密钥等）/ print a new value for TINGJIAN_SECRET_KEY')
    .action(() => console.log(newSecretKey()));
  const keys = program.command('keys').description('API 密钥管理 / API keys');
  keys
    .command('create')
    .description('创建 API 密钥（只显示一次，最后一行即密钥）/ create a key; it is printed once, alone on the last line')
    .requiredOption('--tenant <name>', '公司（租户）名，不存在则创建 / tenant name (created if new)')
    .requiredOption('--role <role>', `角色 / role: ${ROLES.join('|')}`)
    .option('--rep <id>', '销售的 CRM id（rep 角色必填）/ the rep a rep key is bound to (CRM id)')
    .option('--label <text>', '备注 / label')
    .option('--expires-days <n>', '有效天数，到期后自动失效 / the key stops working after this many days')
    .action(async (opts: { tenant: string; role: string; rep?: string; label?: string; expiresDays?: string }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) {
        throw new InvalidInputError('invalid_option', `--role 须为 ${ROLES.join('|')}，收到 "${opts.role}" / invalid role`);
      }
      const role = opts.role as Role;
      if (role === 'rep' && !opts.rep) throw new InvalidInputError('invalid_option', 'rep 角色需要 --rep <id> / a rep key needs --rep <id>');
      const days = opts.expiresDays === undefined ? null : Number(opts.expiresDays);
      if (days !== null && !(Number.isInteger(days) && days > 0 && days <= 3650)) {
        throw new InvalidInputError('invalid_option', '--expires-days 须为 1–3650 的整数 / --expires-days must be a whole number of days (1–3650)');
      }
      const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000);
      const handle = await openDb(loadConfig());
      try {
        await handle.migrate();
        const repos = createRepositories(handle.db);
        const tenant = await repos.tenants.ensure(opts.tenant.trim());
        const rep = opts.rep ? await repos.reps.ensure(tenant.id, opts.rep) : null;
        const { id, key } = await repos.apiKeys.create({ tenantId: tenant.id, role, repId: rep?.id, label: opts.label, expiresAt });
        const until = expiresAt ? ` expires=${expiresAt.toISOString()}` : '';
        console.log(`已创建密钥 / key created: id=${id} tenant=${tenant.name} role=${role}${rep ? ` rep=${opts.rep}` : ''}${until}`);
        console.log('请妥善保存，密钥只显示这一次 / store it now: it is shown only once');
        console.log(key);
      } finally {
        await handle.close();
      }
    });
  keys
    .command('list')
    .description('列出密钥及最近使用时间 / list keys with when each was last used')
    .requiredOption('--tenant <name>', '租户名 / tenant name')
    .action(async (opts: { tenant: string }) => {
      const handle = await openDb(loadConfig());
      try {
        await handle.migrate();
        const repos = createRepositories(handle.db);
        const tenant = await repos.tenants.findByName(opts.tenant.trim());
        if (!tenant) throw new NotFoundError('tenant_not_found', `没有这个租户 / no tenant ${opts.tenant}`);
        for (const k of await repos.apiKeys.list(tenant.id)) {
          const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt < new Date() ? 'expired' : 'active';
          const at = (d: Date | null) => d?.toISOString() ?? '-';
          console.log([k.id, k.keyPrefix + '…', k.role, k.repExternalId ?? '-', state, `last_used=${at(k.lastUsedAt)}`, `expires=${at(k.expiresAt)}`, k.label ?? ''].join('\t'));
        }
      } finally {
        await handle.close();
      }
    });
  keys
    .command('revoke <keyId>')
    .description('吊销密钥 / revoke a key')
    .requiredOption('--tenant <name>', '租户名 / tenant name')
    .action(async (keyId: string, opts: { tenant: string }) => {
      const handle = await openDb(loadConfig());
      try {
        await handle.migrate();
        const repos = createRepositories(handle.db);
        const tenant = await repos.tenants.ensure(opts.tenant.trim());
        if (!(await repos.apiKeys.revoke(tenant.id, keyId))) throw new NotFoundError('key_not_found', `没有这个密钥 / no key ${keyId}`);
        console.log(`已吊销 / revoked ${keyId}`);
      } finally {
        await handle.close();
      }
    });
}
