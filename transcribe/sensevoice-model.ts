import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { ConfigurationError } from '../core/errors.ts';
import { downloadVerified, hashFile, type PullOptions, type PullResult } from './download.ts';
import { modelsDir } from './models.ts';
import { readOnnxMetadata } from './onnx-proto.ts';

export const SENSEVOICE_NAME = 'sensevoice';

/**
 * SenseVoice-Small as sherpa-onnx publishes it (int8, 2024-07-17 release, zh/en/ja/ko/yue), with the sizes and
 * SHA-256 digests of its two files. Downloaded file by file from SENSEVOICE_MODEL_BASE_URL into models/sensevoice/.
 */
export const SENSEVOICE_FILES = [
  { file: 'model.int8.onnx', bytes: 239_233_841, sha256: 'c71f0ce00bec95b07744e116345e33d8cbbe08cef896382cf907bf4b51a2cd51' },
  { file: 'tokens.txt', bytes: 315_894, sha256: 'f449eb28dc567533d7fa59be34e2abca8784f771850c78a47fb731a31429a1dc' },
] as const;

/** What sherpa-onnx reads from a SenseVoice model's metadata; a missing one makes it end the process. */
const REQUIRED_METADATA = [
  'vocab_size', 'lfr_window_size', 'lfr_window_shift', 'normalize_samples', 'with_itn', 'without_itn',
  'lang_auto', 'lang_zh', 'lang_en', 'lang_ja', 'lang_ko', 'lang_yue', 'neg_mean', 'inv_stddev',
];

const HINT = {
  baseUrlVar: 'SENSEVOICE_MODEL_BASE_URL',
  mirror: 'https://hf-mirror.com/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17/resolve/main',
  fileVar: 'SENSEVOICE_MODEL',
};

export function senseVoiceDir(config: Pick<Config, 'TINGJIAN_CACHE_DIR'>): string {
  return path.join(modelsDir(config), SENSEVOICE_NAME);
}

/** SENSEVOICE_MODEL when set, else the pulled model; throws `no_model` naming the command that fixes it. */
export function resolveSenseVoiceModel(config: Pick<Config, 'SENSEVOICE_MODEL' | 'TINGJIAN_CACHE_DIR'>): string {
  const file = config.SENSEVOICE_MODEL ?? path.join(senseVoiceDir(config), SENSEVOICE_FILES[0].file);
  if (!fs.existsSync(file)) {
    throw new ConfigurationError(
      'no_model',
      `未找到 SenseVoice 模型（${file}）。请运行 \`npx tingjian model pull sensevoice\` 下载（需联网），或设置 SENSEVOICE_MODEL=<model.onnx 路径>，` +
        `或改回 TRANSCRIBE_ENGINE=whisper。No SenseVoice model: run \`npx tingjian model pull sensevoice\` or set SENSEVOICE_MODEL.`,
    );
  }
  return file;
}

/**
 * Checks a SenseVoice model and the tokens.txt beside it before sherpa-onnx loads them — sherpa-onnx aborts the
 * process on a truncated file or a missing metadata key — and returns the tokens path.
 */
export function checkSenseVoiceModel(model: string): string {
  const tokens = path.join(path.dirname(model), 'tokens.txt');
  const bad = (why: string) =>
    new ConfigurationError(
      'bad_model',
      `SenseVoice 模型无法使用（${path.basename(model)}：${why}）。请重新下载：npx tingjian model pull sensevoice。` +
        ` The SenseVoice model cannot be used (${why}); download it again.`,
    );
  if (!fs.existsSync(tokens)) throw bad('缺少同目录下的 tokens.txt / tokens.txt missing beside the model');
  let meta: Record<string, string>;
  try {
    meta = readOnnxMetadata(model);
  } catch (err) {
    throw bad((err as Error).message);
  }
  const missing = REQUIRED_METADATA.filter((k) => meta[k] === undefined);
  if (missing.length) throw bad(`不是 SenseVoice 模型，缺少元数据 / not a SenseVoice model, metadata missing: ${missing.join(', ')}`);
  const lines = fs.readFileSync(tokens, 'utf8').split('\n').filter((l) => l.trim()).length;
  if (String(lines) !== meta.vocab_size) throw bad(`tokens.txt 有 ${lines} 行，模型词表为 ${meta.vocab_size} / tokens.txt does not match the model`);
  return tokens;
}

/** `tingjian model pull sensevoice`: both files, each verified by SHA-256 before it replaces anything. */
export async function pullSenseVoice(opts: PullOptions): Promise<PullResult> {
  const dir = senseVoiceDir(opts.config);
  const base = opts.config.SENSEVOICE_MODEL_BASE_URL.replace(/\/+$/, '');
  let bytes = 0;
  let alreadyPresent = true;
  for (const f of SENSEVOICE_FILES) {
    const dest = path.join(dir, f.file);
    if (fs.existsSync(dest) && (await hashFile(dest, 'sha256')) === f.sha256) {
      bytes += f.bytes;
      continue;
    }
    alreadyPresent = false;
    bytes += (await downloadVerified(`${base}/${f.file}`, dest, { ...opts, algorithm: 'sha256', digest: f.sha256, hint: HINT })).bytes;
  }
  const model = path.join(dir, SENSEVOICE_FILES[0].file);
  return { path: model, bytes, checksum: `sha256:${SENSEVOICE_FILES[0].sha256}`, alreadyPresent };
}
