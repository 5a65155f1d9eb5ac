import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.ts';
import { InvalidInputError, errorInfo } from '../../core/errors.ts';
import { pullModel } from '../../transcribe/model-pull.ts';
import { MODEL_CATALOG, MODEL_NAMES, modelsDir, resolveModel } from '../../transcribe/models.ts';
import { SENSEVOICE_NAME } from '../../transcribe/sensevoice-model.ts';
import { writeTestModel } from '../../transcribe/test-model.ts';

function fail(err: unknown): void {
  const { code, message } = errorInfo(err);
  console.error(`错误 [${code}]: ${message}`);
  process.exitCode = 1;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function register(program: Command): void {
  const model = program.command('model').description('语音识别模型：下载、查看、生成测试模型 / speech-to-text models');

  model
    .command('pull')
    .argument('<name>', `模型名称 / model name: ${[...MODEL_NAMES, SENSEVOICE_NAME].join(' | ')}`)
    .description('下载 whisper.cpp ggml 模型并校验 SHA-1 / download a ggml model and verify its checksum')
    .option('--connect-timeout <ms>', '连接超时（毫秒）/ connect timeout in ms', '15000')
    .action(async (name: string, opts: { connectTimeout: string }) => {
      try {
        const config = loadConfig();
        const connectTimeoutMs = Number(opts.connectTimeout);
        if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0) {
          throw new InvalidInputError('invalid_option', `--connect-timeout 必须是正数 / must be a positive number`);
        }
        const entry = (MODEL_CATALOG as Record<string, { size: string }>)[name];
        if (entry) console.error(`正在下载 ${name}（${entry.size}）到 ${modelsDir(config)} … Downloading ${name}`);
        const bar = new cliProgress.SingleBar(
          { format: '  {bar} {percentage}% | {value}/{total} MiB', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        let started = false;
        const result = await pullModel(name, {
          config,
          connectTimeoutMs,
          onProgress: (received, total) => {
            if (!process.stderr.isTTY) return;
            const totalMiB = Math.round((total ?? received) / 1048576);
            if (!started) bar.start(totalMiB, 0);
            started = true;
            bar.update(Math.round(received / 1048576));
          },
        }).finally(() => started && bar.stop());
        console.log(
          result.alreadyPresent
            ? `模型已存在且校验通过 / already present and verified: ${result.path}`
            : `已下载并校验 / downloaded and verified (${mib(result.bytes)}, ${result.checksum}): ${result.path}`,
        );
      } catch (err) {
        fail(err);
      }
    });

  model
    .command('list')
    .description('列出可下载的模型、已安装的模型和当前使用的模型 / list models')
    .action(() => {
      const config = loadConfig();
      const dir = modelsDir(config);
      for (const name of MODEL_NAMES) {
        const { file, size } = MODEL_CATALOG[name];
        const installed = fs.existsSync(path.join(dir, file)) ? '已安装 installed' : '';
        console.log(`${name.padEnd(15)} ${size.padEnd(8)} ${installed}`);
      }
      try {
        console.log(`当前使用 / in use: ${resolveModel(config)}`);
      } catch (err) {
        console.log(errorInfo(err).message);
      }
    });

  model
    .command('make-test')
    .description('生成用于测试的小型随机权重 ggml 模型（输出是乱码）/ write a tiny random-weight ggml model for tests')
    .requiredOption('--out <file>', '输出文件 / output file')
    .option('--seed <n>', '随机种子 / random seed', '20261130')
    .action((opts: { out: string; seed: string }) => {
      try {
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) throw new InvalidInputError('invalid_option', '--seed 必须是整数 / must be an integer');
        const { path: file, bytes } = writeTestModel(opts.out, { seed });
        console.log(`已生成测试模型 / test model written: ${file} (${mib(bytes)})`);
        console.log('它只用于测试：识别结果是随机文字。Random weights: for tests only, its transcripts are gibberish.');
      } catch (err) {
        fail(err);
      }
    });
}
