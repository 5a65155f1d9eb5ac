import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { AppError, DependencyUnavailableError } from '../core/errors.ts';

export interface PullOptions {
  config: Pick<Config, 'TINGJIAN_CACHE_DIR' | 'WHISPER_MODEL_BASE_URL' | 'SENSEVOICE_MODEL_BASE_URL'>;
  /** Give up when the server has not answered within this time (no network: fail fast, not after minutes). */
  connectTimeoutMs?: number;
  /** Give up when a started download receives nothing for this long. */
  stallTimeoutMs?: number;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
}

export interface PullResult {
  path: string;
  bytes: number;
  /** `sha1:<hex>` for a whisper model, `sha256:<hex>` for SenseVoice (the digests their publishers give). */
  checksum: string;
  alreadyPresent: boolean;
}

export interface DownloadOptions extends Omit<PullOptions, 'config'> {
  algorithm: 'sha1' | 'sha256';
  /** The published digest (hex): the download replaces `dest` only when it matches. */
  digest: string;
  /** The settings that fix a failed download, named in its error message. */
  hint: DownloadHint;
}

export interface DownloadHint {
  baseUrlVar: string;
  mirror: string;
  fileVar: string;
}

/**
 * Streams `url` into `dest`.part, hashing as it goes, and renames it over `dest` only when the digest matches: a cut
 * or tampered download never becomes the file a transcriber picks up.
 */
export async function downloadVerified(url: string, dest: string, opts: DownloadOptions): Promise<{ bytes: number }> {
  const file = path.basename(dest);
  const host = new URL(url).host;
  const controller = new AbortController();
  const connectTimer = setTimeout(() => controller.abort(), opts.connectTimeoutMs ?? 15_000);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
  } catch (err) {
    throw unreachable(host, err, opts.hint);
  } finally {
    clearTimeout(connectTimer);
  }
  if (!response.ok || !response.body) {
    throw new DependencyUnavailableError(
      'download_failed',
      `下载 ${file} 失败：${host} 返回 HTTP ${response.status}。请稍后重试，或手动下载后设置 ${opts.hint.fileVar}。` +
        ` Download failed with HTTP ${response.status}.`,
    );
  }

  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const total = Number(response.headers.get('content-length')) || null;
  const hash = createHash(opts.algorithm);
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
    throw unreachable(host, err, opts.hint);
  } finally {
    clearTimeout(stallTimer);
  }

  const digest = hash.digest('hex');
  if (digest !== opts.digest) {
    fs.rmSync(part, { force: true });
    throw new DependencyUnavailableError(
      'checksum_mismatch',
      `${file} 校验失败（${opts.algorithm.toUpperCase()} ${digest}，应为 ${opts.digest}），已删除下载的文件。请重试；使用镜像时请确认镜像内容完整。` +
        ` Checksum mismatch; the download was discarded.`,
    );
  }
  fs.renameSync(part, dest);
  return { bytes: received };
}

function unreachable(host: string, err: unknown, hint: DownloadHint): AppError {
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.name ?? 'error';
  return new DependencyUnavailableError(
    'network_unavailable',
    `无法连接模型服务器 ${host}（${cause}）。请检查网络；在国内可设置 ${hint.baseUrlVar}=` +
      `${hint.mirror} 使用镜像；也可在其他电脑下载模型文件后拷贝过来并设置 ` +
      `${hint.fileVar}=<文件路径>。Cannot reach the model host: check the network, use a mirror via ${hint.baseUrlVar}, ` +
      `or copy a model file and set ${hint.fileVar}.`, { cause: err },
  );
}

export function hashFile(file: string, algorithm: 'sha1' | 'sha256' = 'sha1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    fs.createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
