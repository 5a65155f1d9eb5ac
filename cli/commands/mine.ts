import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import { InvalidInputError, errorInfo } from '../../core/errors.ts';
import { EventTableBuilder } from '../../patterns/events.ts';
import { parseCoachingEvidence } from '../../patterns/evidence.ts';
import { runMining, type ParsedEvents } from '../../patterns/mine.ts';
import { formatMiningSummary } from '../../patterns/summary.ts';

interface MineOptions {
  input: string;
  topShare: string;
  minSupport?: string;
  evidence?: string;
  json?: boolean;
}

/** Streams a JSONL file into the columnar table line by line, so a 1 M-line file never sits in memory as text. */
export async function readEventsFile(file: string, onProgress?: (lines: number) => void): Promise<ParsedEvents> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new InvalidInputError('input_not_found', `找不到事件文件: ${file}，请检查 --input 路径 / events file not found`);
  }
  const builder = new EventTableBuilder(1 << 16);
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    builder.addLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line);
    if (onProgress && line % 100_000 === 0) onProgress(line);
  }
  return { table: builder.build(), malformed: builder.malformed };
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new InvalidInputError('invalid_option', `${name} 必须是数字，收到 "${value}" / ${name} must be a number`);
  }
  return n;
}

export function register(program: Command): void {
  program
    .command('mine')
    .description('挖掘 Top 销售与其他销售的行为差异并生成辅导建议 / mine top-vs-rest behaviour differences')
    .requiredOption('--input <file>', '行为与阶段事件 JSONL 文件 / events, one JSON object per line')
    .option('--top-share <share>', '优秀组占销售人数的比例 / share of reps in the top group', '0.1')
    .option('--min-support <share>', '模式最低支持度（任一组）/ minimum pattern support in either group', undefined)
    .option('--evidence <file>', '录音证据 JSON（CoachingEvidence），用于辅导建议 / recordings evidence for coaching')
    .option('--json', '输出 JSON / print JSON')
    .action(async (opts: MineOptions) => {
      try {
        const progress = process.stderr.isTTY && !opts.json ? (n: number) => process.stderr.write(`\r已读取 ${n} 行…`) : undefined;
        const parsed = await readEventsFile(opts.input, progress);
        if (progress) process.stderr.write('\n');
        let evidence;
        if (opts.evidence) {
          let raw: unknown;
          try {
            raw = JSON.parse(fs.readFileSync(opts.evidence, 'utf8'));
          } catch (err) {
            throw new InvalidInputError('invalid_evidence', `无法读取证据文件 ${opts.evidence}: ${(err as Error).message} / cannot read evidence file`);
          }
          evidence = parseCoachingEvidence(raw);
        }
        const result = runMining(parsed, {
          topShare: number(opts.topShare, '--top-share'),
          minSupport: number(opts.minSupport, '--min-support'),
          evidence,
        });
        process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatMiningSummary(result)}\n`);
      } catch (err) {
        const info = errorInfo(err);
        if (opts.json) process.stdout.write(`${JSON.stringify({ error: info }, null, 2)}\n`);
        else process.stderr.write(`错误 [${info.code}]: ${info.message}\n`);
        process.exitCode = 1;
      }
    });
}
