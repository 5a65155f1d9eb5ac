import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { NotFoundError, errorInfo } from '../../core/errors.ts';
import { openDb } from '../../db/client.ts';
import { createRepositories } from '../../db/repositories/index.ts';
import { formatPhi, formatPhiRate, PHI_WITHHELD_LABELS, type PhiComponent, type PhiScore } from '../../leads/phi.ts';
import { phiReport } from '../../leads/service/phi.service.ts';
import { shanghaiDay } from '../../core/time.ts';

const pct = (c: PhiComponent) => (c.rate === null ? '无数据' : `${formatPhiRate(c.rate)} (${c.numerator}/${c.denominator})`);

/** Pads by display width: CJK characters take two columns in a terminal. */
function pad(s: string, width: number): string {
  const w = [...s].reduce((n, ch) => n + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  return s + ' '.repeat(Math.max(1, width - w));
}

export function formatPhiTable(rows: Array<{ label: string; score: PhiScore }>): string {
  const head = [pad('范围', 16), pad('PHI', 8), pad('等级', 8), pad('线索阶段达标率', 20), pad('跨部门协同准时率', 20), '客户触点留痕率'].join('');
  const lines = rows.map(({ label, score }) =>
    [
      pad(label, 16),
      pad(formatPhi(score.phi), 8),
      pad(score.levelLabel ?? PHI_WITHHELD_LABELS[score.withheld ?? 'no_data'], 8),
      pad(pct(score.components.stageOnTime), 20),
      pad(pct(score.components.collaborationOnTime), 20),
      pct(score.components.touchpointTrace),
    ].join(''),
  );
  // Every score that is pooled, partial or withheld says so under the table, in the words the pages use.
  const notes = rows.filter(({ score }) => score.basis.scope !== 'rep' || score.basis.weight < 1).map(({ label, score }) => `  ${label}：${score.basis.text}`);
  return [head, ...lines, ...(notes.length ? ['', '说明：', ...notes] : [])].join('\n');
}

export function register(program: Command): void {
  program
    .command('phi')
    .description('过程健康度指数 PHI（按销售、团队、全公司，含三个分项） / Process Health Index per rep, team and tenant')
    .requiredOption('--tenant <name>', '公司（租户）名 / tenant name')
    .option('--team <team>', '只看一个团队 / one team only')
    .option('--from <YYYY-MM-DD>', '开始日期（含，北京时间），默认 30 天前 / first day')
    .option('--to <YYYY-MM-DD>', '结束日期（含），默认今天 / last day')
    .option('--json', '输出 JSON / print JSON')
    .action(async (opts: { tenant: string; team?: string; from?: string; to?: string; json?: boolean }) => {
      const config = loadConfig();
      const handle = await openDb(config);
      try {
        await handle.migrate();
        const repos = createRepositories(handle.db);
        const tenant = await repos.tenants.findByName(opts.tenant.trim());
        if (!tenant) throw new NotFoundError('tenant_not_found', `没有名为「${opts.tenant}」的公司 / no tenant named ${opts.tenant}`);
        // PHI only reads the repositories: no queue, so this command never needs Redis.
        const report = await phiReport({ repos }, tenant.id, { team: opts.team, from: opts.from, to: opts.to });
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        // The window ends at the start of the day after the last one.
        const from = shanghaiDay(new Date(report.window.from));
        const to = shanghaiDay(new Date(Date.parse(report.window.to) - 1));
        console.log(`过程健康度指数 PHI — ${tenant.name}  ${from} 至 ${to}${opts.team ? `  团队：${opts.team}` : ''}`);
        console.log('PHI = 100 × (0.4 × 阶段达标率 + 0.3 × 协同准时率 + 0.3 × 触点留痕率)；≥85 健康，70–84 亚健康，<70 风险\n');
        console.log(
          formatPhiTable([
            { label: opts.team ? `团队 ${opts.team}` : '全公司', score: report.tenant },
            ...(opts.team ? [] : report.teams.map((t) => ({ label: `团队 ${t.teamId ?? '未分组'}`, score: t }))),
            ...report.reps.map((r) => ({ label: `销售 ${r.repId}`, score: r })),
          ]),
        );
      } catch (err) {
        const { code, message } = errorInfo(err);
        console.error(`错误 [${code}]: ${message}`);
        process.exitCode = 1;
      } finally {
        await handle.close();
      }
    });
}
