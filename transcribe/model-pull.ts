import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { AppError, InvalidInputError, DependencyUnavailableError } from '../core/errors.ts';
import { MODEL_CATALOG, MODEL_NAMES, modelsDir, type ModelName } from './models.ts';

export interface PullOptions {
  config: Pick<Config, 'TINGJIAN_CACHE_DIR' | 'WHISPER_MODEL_BASE_URL'>;
  /** Give up when the server has not answered within this time (no network: fail fast, not after minutes). */
  connectTimeoutMs?: number;
  /** Give up when a started download receives nothing for this long. */
  stallTimeoutMs?: number;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
}

export interface PullResult {
  path: string;
  bytes: number;
  sha1: string;
  alreadyPresent: boolean;
}

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as string[]).includes(name);
}

/**
 * Downloads a ggml model from the whisper.cpp model host (or WHISPER_MODEL_BASE_URL, e.g. a mirror) into the
 * models folder, verifying its SHA-1 before it replaces anything: a cut or tampered download never becomes the
 * model the transcriber picks up.
 */
export async function pullModel(name: string, opts: PullOptions): Promise<PullResult> {
  if (!isModelName(name)) {
    throw new InvalidInputError('unknown_model', `未知模型 "${name}"，可选：${MODEL_NAMES.join(', ')}。Unknown model.`);
  }
  const { file, sha1 } = MODEL_CATALOG[name];
  const dir = modelsDir(opts.config);
  const dest = path.join(dir, file);
  if (fs.existsSync(dest) && (await sha1File(dest)) === sha1) {
    return { path: dest, bytes: fs.statSync(dest).size, sha1, alreadyPresent: true };
  }

  const url = `${opts.config.WHISPER_MODEL_BASE_URL.replace(/\/+$/, '')}/${file}`;
  const host = new URL(url).host;
  const controller = new AbortController();
  const connectTimer = setTimeout(() => controller.abort(), opts.connectTimeoutMs ?? 15_000);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (err) {
    throw unreachable(host, err);
  } finally {
    clearTimeout(connectTimer);
  }
  if (!response.ok || !response.body) {
    throw new DependencyUnavailableError(
      'download_failed',
      `下载 ${file} 失败：${host} 返回 HTTP ${response.status}。请稍后重试，或手动下载后设置 WHISPER_MODEL。` +
        ` Download failed with HTTP ${response.status}.`,
    );
  }

  fs.mkdirSync(dir, { recursive: true });
  const part = `${dest}.part`;
  const total = Number(response.headers.get('content-length')) || null;
  const hash = createHash('sha1');
  const out = fs.createWriteStream(part);
  let received = 0;
  let stallTimer: NodeJS.Timeout | undefined;
  const armStall = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => controller.abort(), opts.stallTimeoutMs ?? 60_000);
  };
  try {
    armStall();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      armStall();
      hash.update(chunk);
      received += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      opts.onProgress?.(received, total);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    fs.rmSync(part, { force: true });
    throw unreachable(host, err);
  } finally {
    clearTimeout(stallTimer);
  }

  const digest = hash.digest('hex');
  if (digest !== sha1) {
    fs.rmSync(part, { force: true });
    throw new DependencyUnavailableError(
      'checksum_mismatch',
      `${file} 校验失败（SHA-1 ${digest}，应为 ${sha1}），已删除下载的文件。请重试；使用镜像时请确认镜像内容完整。` +
        ` Checksum mismatch; the download was discarded.`,
    );
  }
  fs.renameSync(part, dest);
  return { path: dest, bytes: received, sha1: digest, alreadyPresent: false };
}

function unreachable(host: string, err: unknown): AppError {
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'error';
  return new DependencyUnavailableError(
    'network_unavailable',
    `无法连接模型服务器 ${host}（${cause}）。请检查网络；在国内可设置 WHISPER_MODEL_BASE_URL=` +
      `https://hf-mirror.com/ggerganov/whisper.cpp/resolve/main 使用镜像；也可在其他电脑下载 ggml 模型文件后拷贝过来并设置 ` +
      `WHISPER_MODEL=<文件路径>。Cannot reach the model host: check the network, use a mirror via WHISPER_MODEL_BASE_URL, ` +
      `or copy a model file and set WHISPER_MODEL.`, { cause: err },
  );
}

function sha1File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1');
    fs.createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
