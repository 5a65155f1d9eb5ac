import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { AppError, ConfigurationError } from '../core/errors.ts';

/**
 * The ggml whisper models `tingjian model pull` knows, with the SHA-1 sums whisper.cpp publishes for them
 * (models/README.md of whisper.cpp; large-v3-turbo from later releases). Multilingual only: reps speak Mandarin.
 */
export const MODEL_CATALOG = {
  tiny: { file: 'ggml-tiny.bin', sha1: 'bd577a113a864445d4c299885e0cb97d4ba92b5f', size: '75 MiB' },
  base: { file: 'ggml-base.bin', sha1: '465707469ff3a37a2b9b8d8f89f2f99de7299dac', size: '142 MiB' },
  small: { file: 'ggml-small.bin', sha1: '55356645c2b361a969dfd0ef2c5a50d530afd8d5', size: '466 MiB' },
  medium: { file: 'ggml-medium.bin', sha1: 'fd9727b6e1217c2f614f9b698455c4ffd82463b4', size: '1.5 GiB' },
  'large-v3-turbo': {
    file: 'ggml-large-v3-turbo.bin',
    sha1: '4af2b29d7ec73d781377bfd1758ca957a807e941',
    size: '1.5 GiB',
  },
} as const;

export type ModelName = keyof typeof MODEL_CATALOG;
export const MODEL_NAMES = Object.keys(MODEL_CATALOG) as ModelName[];

/** Best first: when several models sit in the folder, the most accurate one is used. */
const PREFERENCE: ModelName[] = ['large-v3-turbo', 'medium', 'small', 'base', 'tiny'];

const GGML_MAGIC = 0x67676d6c;

export function modelsDir(config: Pick<Config, 'TINGJIAN_CACHE_DIR'>): string {
  return path.join(config.TINGJIAN_CACHE_DIR, 'models');
}

export function noModelError(detail?: string): AppError {
  return new ConfigurationError(
    'no_model',
    `${detail ? `${detail}。` : '未找到语音识别模型。'}请运行 \`npx tingjian model pull small\` 下载模型（需联网），` +
      `或设置 WHISPER_MODEL=<ggml 模型文件路径>。No speech-to-text model: run \`npx tingjian model pull small\` ` +
      `or set WHISPER_MODEL to a ggml model file.`,
  );
}

/**
 * The model file to use: WHISPER_MODEL when set (it must exist), else the best catalog model, then any other
 * ggml-*.bin, in the models folder of the user cache. Throws `no_model` naming the command that fixes it.
 */
export function resolveModel(config: Pick<Config, 'WHISPER_MODEL' | 'TINGJIAN_CACHE_DIR'>): string {
  if (config.WHISPER_MODEL) {
    if (!fs.existsSync(config.WHISPER_MODEL)) throw noModelError(`WHISPER_MODEL=${config.WHISPER_MODEL} 文件不存在`);
    checkModelFile(config.WHISPER_MODEL);
    return config.WHISPER_MODEL;
  }
  const dir = modelsDir(config);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const preferred: string[] = PREFERENCE.map((n) => MODEL_CATALOG[n].file).filter((f) => files.includes(f));
  const others = files.filter((f) => /^ggml-.*\.bin$/.test(f) && !preferred.includes(f)).sort();
  const pick = [...preferred, ...others][0];
  if (!pick) throw noModelError();
  const file = path.join(dir, pick);
  checkModelFile(file);
  return file;
}

/** A file that is not a ggml model would make whisper.cpp fail with an obscure message: say so up front. */
export function checkModelFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const n = fs.readSync(fd, head, 0, 4, 0);
    if (n < 4 || head.readUInt32LE(0) !== GGML_MAGIC) {
      throw new ConfigurationError(
        'bad_model',
        `${path.basename(file)} 不是 whisper.cpp 的 ggml 模型文件。请重新运行 \`npx tingjian model pull <名称>\`，或检查 WHISPER_MODEL。` +
          ` Not a ggml whisper model file.`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}
