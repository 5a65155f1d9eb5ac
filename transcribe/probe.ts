import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { audioErrors } from './audio-errors.ts';
import { sniffAudioHeader } from './audio-sniff.ts';
import { ffprobePath } from './ffmpeg-paths.ts';
import { runProcess, stderrTail } from './run-process.ts';

/** What the container and the first audio stream claim. Durations here are headers' claims, not decoded truth. */
export interface AudioProbe {
  path: string;
  sizeBytes: number;
  formatName: string;
  /** ffprobe's confidence in the container guess (0–100); random bytes get low scores. */
  probeScore: number;
  declaredDurationSec: number | null;
  bitRate: number | null;
  audio: {
    index: number;
    codec: string;
    sampleRate: number;
    channels: number;
    channelLayout: string | null;
  };
  hasVideo: boolean;
}

/** ffmpeg's `file:` protocol prefix keeps names with `:` or a leading `-` from being read as options/protocols. */
export function fileUrl(p: string): string {
  return `file:${path.resolve(p)}`;
}

const PROBE_TIMEOUT_MS = 30_000;
const MIN_PROBE_SCORE = 25;

/**
 * Checks the file (exists, not empty, not text/image/SILK) and asks ffprobe what it holds. Throws the AppErrors of
 * audio-errors.ts for bad input; a probe killed by a signal is a plain Error (transient).
 */
export async function probeAudio(inputPath: string, config: Pick<Config, 'FFPROBE_PATH'>): Promise<AudioProbe> {
  const stat = await fs.stat(inputPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw audioErrors.fileNotFound(inputPath);
    throw err;
  });
  if (!stat.isFile()) throw audioErrors.notAudio(inputPath, '这是目录 / a directory');
  if (stat.size === 0) throw audioErrors.emptyFile(inputPath);

  const head = await readHead(inputPath, 4096);
  const verdict = sniffAudioHeader(head);
  if (verdict.kind === 'silk') throw audioErrors.silk(inputPath);
  if (verdict.kind === 'not_audio') throw audioErrors.notAudio(inputPath, verdict.what);

  const bin = ffprobePath(config);
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', fileUrl(inputPath)];
  const res = await runProcess(bin, args, { timeoutMs: PROBE_TIMEOUT_MS }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw audioErrors.ffmpegMissing(bin);
    throw err;
  });
  if (res.timedOut) throw audioErrors.ffmpegTimeout(inputPath, PROBE_TIMEOUT_MS);
  if (res.signal) throw new Error(`ffprobe was killed by ${res.signal}`);
  if (res.code !== 0) {
    const detail = stderrTail(res.stderr, 1).replaceAll(fileUrl(inputPath), path.basename(inputPath));
    throw audioErrors.notAudio(inputPath, `无法识别的格式 / unrecognized format: ${detail}`);
  }
  return parseProbeJson(inputPath, stat.size, res.stdout);
}

/** Pure: ffprobe's JSON → AudioProbe, or the not_audio error when there is no usable audio stream. */
export function parseProbeJson(inputPath: string, sizeBytes: number, json: string): AudioProbe {
  let data: { format?: Record<string, unknown>; streams?: Array<Record<string, unknown>> };
  try {
    data = JSON.parse(json);
  } catch {
    throw audioErrors.notAudio(inputPath, '无法识别的格式 / unrecognized format');
  }
  const format = data.format ?? {};
  const streams = data.streams ?? [];
  const probeScore = num(format.probe_score) ?? 100;
  const audio = streams.find((s) => s.codec_type === 'audio');
  const hasVideo = streams.some(
    (s) => s.codec_type === 'video' && !(s.disposition as Record<string, number> | undefined)?.attached_pic,
  );
  if (!audio || probeScore < MIN_PROBE_SCORE) {
    const what = hasVideo ? '没有音轨的视频或图片 / video or image without sound' : '无法识别的格式 / unrecognized format';
    throw audioErrors.notAudio(inputPath, what);
  }
  const sampleRate = num(audio.sample_rate) ?? 0;
  const channels = num(audio.channels) ?? 0;
  if (sampleRate <= 0 || channels <= 0) throw audioErrors.notAudio(inputPath, '音轨参数无效 / invalid audio stream');
  const declared = num(format.duration) ?? num(audio.duration);
  return {
    path: inputPath,
    sizeBytes,
    formatName: String(format.format_name ?? 'unknown'),
    probeScore,
    declaredDurationSec: declared !== null && declared > 0 ? declared : null,
    bitRate: num(format.bit_rate) ?? num(audio.bit_rate),
    audio: {
      index: num(audio.index) ?? 0,
      codec: String(audio.codec_name ?? 'unknown'),
      sampleRate,
      channels,
      channelLayout: typeof audio.channel_layout === 'string' ? audio.channel_layout : null,
    },
    hasVideo,
  };
}

function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
