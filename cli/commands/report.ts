import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { InvalidInputError, errorInfo } from '../../core/errors.ts';
import { writeStaticReport } from '../../report/static-report.ts';
import { openService } from '../../workers/service.ts';

const DAY = 86_400_000;
const silent = { info() {}, warn() {}, error() {} };

function day(value: string | undefined, flag: string): Date | null {
  if (value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00+08:00`))) {
    throw new InvalidInputError('invalid_date', `${flag} 应为 YYYY-MM-DD（北京时间），收到：${value} / ${flag} must be YYYY-MM-DD`);
  }
  return new Date(`${value}T00:00:00+08:00`);
}

export function register(program: Command): void {
  program
    .command('report')
    .description('从当前数据库生成静态 HTML 报告（团队总览、个人辅导、拜访、线索）/ write the static HTML report from the configured database')
    .option('--out <dir>', '输出目录（会被整个替换）/ output dir, replaced whole', './out/report')
    .option('--tenant <name>', '租户名称（只有一个租户时可省略）/ tenant name, optional when there is one')
    .option('--from <day>', '起始日期 YYYY-MM-DD，默认截止日前 90 天 / first day, default 90 days before --to')
    .option('--to <day>', '截止日期 YYYY-MM-DD（含当天），默认今天 / last day, inclusive, default today')
    .option('--top-share <n>', '现在重新挖掘，优秀组占销售人数的比例；不给则用最近一次挖掘任务的结果 / mine now with this top share; default: the latest stored mining run')
    .action(async (opts: { out: string; tenant?: string; from?: string; to?: string; topShare?: string }) => {
      let service: Awaited<ReturnType<typeof openService>> | null = null;
      try {
        const to = day(opts.to, '--to');
        const asOf = to ? new Date(to.getTime() + DAY) : new Date();
        const from = day(opts.from, '--from') ?? new Date(asOf.getTime() - 90 * DAY);
        if (from >= asOf) throw new InvalidInputError('invalid_date', '--from 必须早于 --to / --from must be before --to');
        const topShare = opts.topShare === undefined ? undefined : Number(opts.topShare);
        if (topShare !== undefined && !(topShare > 0 && topShare <= 1)) throw new InvalidInputError('invalid_top_share', '--top-share 必须在 (0, 1] 之间 / must be in (0, 1]');

        service = await openService(loadConfig(), { log: silent });
        const tenants = await service.repos.tenants.list();
        const tenant = opts.tenant ? tenants.find((t) => t.name === opts.tenant) : tenants.length === 1 ? tenants[0] : undefined;
        if (!tenant) {
          const names = tenants.map((t) => t.name).join('、') || '（无）';
          throw new InvalidInputError(
            opts.tenant ? 'tenant_not_found' : 'tenant_required',
            opts.tenant ? `没有名为「${opts.tenant}」的租户；现有：${names} / no such tenant` : `请用 --tenant 指定租户；现有：${names} / pass --tenant`,
          );
        }
        const started = Date.now();
        const result = await writeStaticReport(service, tenant.id, {
          outDir: path.resolve(opts.out),
          asOf,
          window: { from, to: asOf },
          topShare,
          onStep: (step) => process.stderr.write(`… ${{ load: '读取数据', compute: '计算 PHI 与挖掘', render: '生成页面', write: '写入文件' }[step]}\n`),
        });
        process.stdout.write(
          `报告已生成：${tenant.name}，${result.pages} 页，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n  ${result.indexPath}\n`,
        );
      } catch (err) {
        const { code, message } = errorInfo(err);
        process.stderr.write(`生成报告失败 / report failed [${code}]: ${message}\n`);
        process.exitCode = 1;
      } finally {
        await service?.close();
      }
    });
}
