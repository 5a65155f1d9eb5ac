import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { errorInfo } from '../../core/errors.ts';
import { formatPhi, PHI_WITHHELD_LABELS } from '../../leads/phi.ts';
import { runDemo, type DemoProgress, type DemoSummary } from '../demo/run-demo.ts';

/** One cli-progress bar per phase; on a non-TTY (CI logs) each phase prints one line instead. */
function progressBars(): DemoProgress & { timings: Array<[string, number]> } {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let label = '';
  let started = 0;
  const timings: Array<[string, number]> = [];
  return {
    timings,
    start(phase, total, unit) {
      label = phase;
      started = Date.now();
      if (tty) {
        bar = new cliProgress.SingleBar(
          { format: `{bar} {percentage}% | {value}/{total} | ${phase}`, hideCursor: true, clearOnComplete: false, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      } else {
        process.stderr.write(`… ${phase}：${total} ${unit}\n`);
      }
    },
    tick(n = 1) {
      bar?.increment(n);
    },
    stop() {
      bar?.stop();
      bar = null;
      timings.push([label, Date.now() - started]);
      if (!tty) process.stderr.write(`  完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
    },
  };
}

/** What `tingjian demo` prints when done; its figures are formatted as the report pages format them. */
export function summaryText(s: DemoSummary, seconds: number, timings: Array<[string, number]>): string {
  const { report, recordings } = s;
  const phi = report.insights.phi;
  const reps = report.data.reps.filter((r) => r.title === 'sales');
  const name = new Map(reps.map((r) => [r.id, r.name]));
  const levels = { healthy: 0, sub_healthy: 0, at_risk: 0, withheld: 0 };
  for (const r of phi.reps) if (name.has(r.repId)) levels[r.level ?? 'withheld']++;
  const atRisk = phi.reps.filter((r) => r.level === 'at_risk' && name.has(r.repId)).map((r) => `${name.get(r.repId)} ${formatPhi(r.phi)}`);
  const m = report.insights.mining;
  // The first finding is the strongest: established ones lead, and a small team's is marked as descriptive.
  const first = m.findings[0];
  const lines = [
    '',
    `演示完成（用时 ${seconds.toFixed(1)} 秒）：${s.manifest.tenant}（虚构）`,
    `  • 拜访 ${recordings.total} 次，已分析 ${recordings.analyzed} 次；录音 ${recordings.audio} 段` +
      (recordings.audioByReference ? `（未配置语音识别模型，${recordings.audioByReference} 段使用参考转写文本）` : `（本地 whisper.cpp 转写 ${recordings.audioByEngine} 段）`),
    `  • 线索 ${report.data.leads.length} 条，阶段变更 ${s.stageMoves} 次（卡点凭证齐全后才放行）`,
    `  • 承诺 ${s.tasks.commitments} 项：按时兑现 ${s.tasks.kept}，逾期兑现 ${s.tasks.late}，仍未完成 ${s.tasks.open}`,
    `  • 团队 PHI ${formatPhi(phi.tenant.phi)}（${phi.tenant.levelLabel ?? PHI_WITHHELD_LABELS[phi.tenant.withheld ?? 'no_data']}，按各人计数之和计算）；健康 ${levels.healthy} 人，亚健康 ${levels.sub_healthy} 人，风险 ${levels.at_risk} 人${atRisk.length ? `：${atRisk.join('、')}` : ''}${levels.withheld ? `；数据不足 ${levels.withheld} 人` : ''}`,
    `  • 优秀组：${m.groups.top.map((id) => name.get(id) ?? id).join('、')}` +
      (first ? `；${first.text.sentence}（${first.text.status}）` : ''),
    ...(m.inference.note ? [`  • ${m.inference.note}`] : []),
    ...s.notes.map((n) => `  • ${n}`),
    ...(s.failed.length ? [`  • ${s.failed.length} 个任务失败：${s.failed.slice(0, 3).map((f) => `${f.job}（录音 ${f.recordingId}）${f.code}`).join('；')}`] : []),
    `  • 各阶段用时：${timings.map(([l, ms]) => `${l.split(/[（(]/)[0].trim()} ${(ms / 1000).toFixed(1)}s`).join('；')}`,
    '',
    `报告已生成（${report.pages} 页），用浏览器打开：`,
    `  ${report.indexPath}`,
  ];
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('用内置演示数据跑通全流程并生成报告 / run the whole pipeline on the demo corpus and write the report')
    .option('--data-dir <dir>', '内嵌数据库与存储目录（每次运行先清空）/ embedded database dir, wiped first', './data/demo')
    .option('--out <dir>', '报告输出目录 / report output dir', './out/report')
    .action(async (opts: { dataDir: string; out: string }) => {
      const progress = progressBars();
      if (process.env.DATABASE_URL) {
        process.stderr.write('提示：演示始终使用独立的内嵌数据库 ./data/demo，不会写入 DATABASE_URL 指向的数据库。\n');
      }
      try {
        const summary = await runDemo({ dataDir: path.resolve(opts.dataDir), outDir: path.resolve(opts.out), progress });
        // Wall time since the process began, so the figure includes start-up (tsx, nodejieba, PGlite), as a user waits it.
        process.stdout.write(`${summaryText(summary, process.uptime(), progress.timings)}\n`);
        if (summary.failed.length) process.exitCode = 1;
      } catch (err) {
        progress.stop();
        const { code, message } = errorInfo(err);
        process.stderr.write(`演示失败 / demo failed [${code}]: ${message}\n`);
        process.exitCode = 1;
      }
    });
}
