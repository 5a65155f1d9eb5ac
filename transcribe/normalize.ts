import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { loadConfig } from '../core/config.ts';
import { audioErrors } from './audio-errors.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { canSplitChannels, normalizeArgs, normalizeTimeoutMs } from './normalize-args.ts';
import { fileUrl, probeAudio, type AudioProbe } from './probe.ts';
import { runProcess, stderrTail } from './run-process.ts';
import { parseSilence } from './silence.ts';
import { readWavInfo } from './wav-info.ts';

export type ChannelMode = 'mix' | 'split';

export interface NormalizeOptions {
  /** Directory for the output WAVs; the caller owns it and removes it. */
  outDir: string;
  /** `split` also writes each channel of a stereo source as its own file (call recorders: one party per channel). */
  channels?: ChannelMode;
  config?: Pick<Config, 'FFMPEG_PATH' | 'FFPROBE_PATH' | 'MAX_AUDIO_SECONDS'>;
  maxSeconds?: number;
  /** Overrides the duration-proportional timeout (tests use it to force `ffmpeg_timeout`). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface NormalizedAudio {
  /** 16 kHz mono s16le WAV, loudness-normalized. */
  wavPath: string;
  /** Present when channels were split: one 16 kHz mono WAV per channel. */
  channelWavs: { left: string; right: string } | null;
  /** Measured from the decoded output, not taken from the container header. */
  durationSec: number;
  /** What the header claimed; differs from durationSec for truncated or mislabelled files. */
  declaredDurationSec: number | null;
  source: { format: string; codec: string; sampleRate: number; channels: number; bitRate: number | null; sizeBytes: number };
  /** Share of the recording that is not silence (silencedetect on the normalized mix), 0..1. */
  speechRatio: number;
  warnings: string[];
  elapsedMs: number;
}

/**
 * Turns any recording into clean 16 kHz mono speech for the speech-to-text engines. Bad input throws AppErrors with
 * specific codes (empty_file, not_audio, unsupported_codec, decode_failed, too_long, ffmpeg_timeout); an ffmpeg killed
 * from outside (signal) throws a plain Error so job runners retry it.
 */
export async function normalizeAudio(inputPath: string, opts: NormalizeOptions): Promise<NormalizedAudio> {
  const config = opts.config ?? loadConfig();
  const maxSeconds = opts.maxSeconds ?? config.MAX_AUDIO_SECONDS;
  const probe = await probeAudio(inputPath, config);
  const warnings: string[] = [];

  if (probe.declaredDurationSec !== null && probe.declaredDurationSec > maxSeconds && headerIsPlausible(probe)) {
    throw audioErrors.tooLong(inputPath, probe.declaredDurationSec, maxSeconds);
  }

  let split = opts.channels === 'split';
  if (split && !canSplitChannels(probe)) {
    warnings.push(
      `声道分离需要双声道录音，此文件有 ${probe.audio.channels} 个声道，已按混合声道处理。` +
        ` Channel split needs a stereo file; processed as a mix.`,
    );
    split = false;
  }

  await fs.mkdir(opts.outDir, { recursive: true });
  const output = path.join(opts.outDir, 'normalized.wav');
  const channelWavs = split
    ? { left: path.join(opts.outDir, 'normalized.left.wav'), right: path.join(opts.outDir, 'normalized.right.wav') }
    : null;
  const args = normalizeArgs(probe, { output, channelOutputs: channelWavs ?? undefined, maxSeconds });
  const timeoutMs = opts.timeoutMs ?? normalizeTimeoutMs(probe, maxSeconds);

  const bin = ffmpegPath(config);
  const silenceLines: string[] = [];
  let decodeErrors = 0;
  let firstDecodeError = '';
  const res = await runProcess(bin, args, {
    timeoutMs,
    signal: opts.signal,
    onStderrLine: (line) => {
      if (line.includes('silence_')) silenceLines.push(line);
      if (line.startsWith('Error while decoding stream') && decodeErrors++ === 0) firstDecodeError = line;
    },
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw audioErrors.ffmpegMissing(bin);
    throw err;
  });

  if (res.timedOut) throw audioErrors.ffmpegTimeout(inputPath, timeoutMs);
  if (res.signal) throw new Error(`ffmpeg was killed by ${res.signal} while normalizing ${path.basename(inputPath)}`);
  // Messages name the file by its base name only: they reach users and webhooks, server paths must not.
  const stderr = res.stderr.split(fileUrl(inputPath)).join(path.basename(inputPath));
  if (res.code !== 0) throw classifyFfmpegFailure(inputPath, stderr);

  const info = await readWavInfo(output).catch(() => null);
  if (!info || info.dataBytes === 0) {
    throw audioErrors.decodeFailed(inputPath, `没有解码出任何声音 / no audio decoded (${stderrTail(stderr, 2)})`);
  }
  const durationSec = info.durationSec;
  if (durationSec > maxSeconds) throw audioErrors.tooLong(inputPath, durationSec, maxSeconds);

  const declared = probe.declaredDurationSec;
  if (declared !== null && durationSec < declared * 0.98 - 0.5) {
    warnings.push(
      `文件头声明 ${declared.toFixed(1)} 秒，实际只解码出 ${durationSec.toFixed(1)} 秒（文件可能被截断），已按实际时长处理。` +
        ` The header claims ${declared.toFixed(1)} s but only ${durationSec.toFixed(1)} s decode (truncated?).`,
    );
  }
  // Speech codecs carry 30–50 packets a second; more than 2 failed packets a second means a damaged recording
  // whose transcript would be mostly invented, while a handful in an hour is a scratch worth only a warning.
  if (decodeErrors >= 5 && decodeErrors > durationSec * 2) {
    throw audioErrors.decodeFailed(
      inputPath,
      `${decodeErrors} 个数据包无法解码 / ${decodeErrors} packets failed to decode (${firstDecodeError})`,
    );
  }
  if (decodeErrors > 0) warnings.push(`解码时跳过了 ${decodeErrors} 处损坏数据 / skipped ${decodeErrors} damaged packet(s)`);

  return {
    wavPath: output,
    channelWavs,
    durationSec,
    declaredDurationSec: declared,
    source: {
      format: probe.formatName,
      codec: probe.audio.codec,
      sampleRate: probe.audio.sampleRate,
      channels: probe.audio.channels,
      bitRate: probe.bitRate,
      sizeBytes: probe.sizeBytes,
    },
    speechRatio: parseSilence(silenceLines, durationSec).speechRatio,
    warnings,
    elapsedMs: res.elapsedMs,
  };
}

/**
 * A header's duration is believed (for an early too_long) only when the file is big enough to hold it at the
 * header's bit rate: a 2 KB WAV whose header claims 1 GiB of samples is decoded to find its real length.
 */
function headerIsPlausible(probe: AudioProbe): boolean {
  if (!probe.bitRate || !probe.declaredDurationSec) return false;
  return probe.sizeBytes >= ((probe.declaredDurationSec * probe.bitRate) / 8) * 0.9;
}

/** Maps a failed ffmpeg run's stderr to the most specific AppError. */
export function classifyFfmpegFailure(inputPath: string, stderr: string) {
  const decoder = /Decoder \(codec (\S+)\) not found|Unknown decoder '([^']+)'|codec (\S+) is not supported/i.exec(stderr);
  if (decoder) return audioErrors.unsupportedCodec(inputPath, decoder[1] ?? decoder[2] ?? decoder[3]);
  if (/No space left on device/i.test(stderr)) {
    return new Error(`ffmpeg could not write its output: no space left on device (${stderrTail(stderr, 1)})`);
  }
  return audioErrors.decodeFailed(inputPath, stderrTail(stderr, 2) || 'ffmpeg 异常退出 / ffmpeg failed');
}
