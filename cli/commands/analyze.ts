import type { Command } from 'commander';
import { loadLexicon } from '../../lexicons/index.ts';
import type { FileResult } from '../../analyze/types.ts';
import { analyzeFile } from '../analyze-files.ts';
import { isChannelRoles } from '../../transcribe/audio-file.ts';
import { renderSummary, useColor } from '../analyze-summary.ts';

/**
 * `tingjian analyze [--json] [--now ISO] <file>...` — analyze each file on its own (one bad file fails alone),
 * print a Chinese summary or `{ "results": [...] }`, exit 0 when all succeeded, 1 when any failed, 2 on bad usage.
 */
export function register(program: Command): void {
  program
    .command('analyze')
    .description('分析销售拜访/通话转写：话题打标、销售行为、承诺与指标 / analyze sales-visit transcripts')
    .argument('<files...>', '转写文件 .txt/.srt/.vtt/.json（或录音）/ transcript files (or recordings)')
    .option('--json', '输出 JSON / print JSON results')
    .option('--now <iso>', '解析“明天上午”等相对时间的基准时刻（默认当前时间）/ reference time for relative due times, ISO 8601')
    .option('--channels <mode>', '双声道通话录音按声道定角色：mix | rep-left（左声道是销售）| rep-right / stereo calls: which channel is the rep', 'mix')
    .option('--use-sidecar', '录音旁若有 <名>.transcript.json 则直接使用，不做语音识别 / use <name>.transcript.json beside a recording')
    .action(async (files: string[], opts: { json?: boolean; now?: string; channels: string; useSidecar?: boolean }) => {
      const now = opts.now ? new Date(opts.now) : new Date();
      if (Number.isNaN(now.getTime())) {
        process.stderr.write(`--now 不是有效的 ISO 时间 / --now is not a valid ISO 8601 time: ${opts.now}\n`);
        process.exitCode = 2;
        return;
      }
      if (!isChannelRoles(opts.channels)) {
        process.stderr.write(`--channels 只能是 mix、rep-left 或 rep-right / --channels must be mix, rep-left or rep-right: ${opts.channels}\n`);
        process.exitCode = 2;
        return;
      }
      const audio = {
        channels: opts.channels,
        useSidecar: opts.useSidecar,
        log: (m: string) => process.stderr.write(`${m}\n`),
        onProgress: process.stderr.isTTY ? (p: number) => process.stderr.write(`\r  识别进度 / progress ${p}%${p >= 100 ? '\n' : ''}`) : undefined,
      };
      const lexicon = loadLexicon();
      const color = !opts.json && useColor(process.stdout);
      const results: FileResult[] = [];
      // With --json nothing reaches stdout until the end: show progress on an interactive stderr instead.
      const progress = opts.json && process.stderr.isTTY && files.length > 1;
      for (const [i, file] of files.entries()) {
        if (progress) process.stderr.write(`\r\x1b[K分析中 / analyzing ${i + 1}/${files.length} ${file}`);
        const result = await analyzeFile(file, { now, lexicon, audio });
        results.push(result);
        if (!opts.json) process.stdout.write(renderSummary(result, lexicon, color) + '\n');
      }
      if (progress) process.stderr.write('\r\x1b[K');
      const failed = results.filter((r) => r.status === 'error').length;
      if (opts.json) process.stdout.write(JSON.stringify({ results }, null, 2) + '\n');
      else process.stdout.write(`共 ${results.length} 个文件：成功 ${results.length - failed}，失败 ${failed} / ${results.length} files, ${failed} failed\n`);
      process.exitCode = failed > 0 ? 1 : 0;
    });
}
