import path from 'node:path';
import { InvalidInputError, NotFoundError, TooLargeError, UnsupportedMediaError, ConfigurationError } from '../core/errors.ts';

/**
 * Every way a recording can be unusable, as AppErrors with stable codes and a message that says what to do.
 * These are properties of the file, so retrying cannot help (workers mark them failed, not retry). Transient
 * failures (a tool killed by a signal, a full disk) are plain Errors thrown elsewhere.
 */
const name = (file: string) => path.basename(file);

export const audioErrors = {
  fileNotFound: (file: string) =>
    new NotFoundError('file_not_found', `找不到文件 ${name(file)}，请检查路径。File not found: ${file}`),

  emptyFile: (file: string) =>
    new InvalidInputError(
      'empty_file',
      `${name(file)} 是空文件（0 字节），上传可能中断了，请重新导出或上传录音。The file is empty; upload the recording again.`,
    ),

  notAudio: (file: string, what: string) =>
    new UnsupportedMediaError(
      'not_audio',
      `${name(file)} 不是音频文件（${what}）。请上传录音（m4a/mp3/wav/amr/ogg/webm/flac）；转写稿请用 .txt/.srt/.vtt/.json。` +
        ` Not an audio file (${what}).`,
    ),

  silk: (file: string) =>
    new UnsupportedMediaError(
      'unsupported_codec',
      `${name(file)} 是微信语音 SILK v3 格式，ffmpeg 无法解码。请先用 silk-v3-decoder 转成 mp3/wav，` +
        `或在微信里用“转发为文件/录音转文字”导出后再上传。WeChat SILK v3 voice is not supported: convert it to mp3/wav first ` +
        `(e.g. with silk-v3-decoder).`,
    ),

  unsupportedCodec: (file: string, codec: string) =>
    new UnsupportedMediaError(
      'unsupported_codec',
      `${name(file)} 的音频编码 ${codec} 当前的 ffmpeg 不支持。请转成 mp3/m4a/wav 后上传，或设置 FFMPEG_PATH 指向更新的 ffmpeg。` +
        ` Codec ${codec} is not supported by this ffmpeg; convert the file or set FFMPEG_PATH to a newer ffmpeg.`,
    ),

  decodeFailed: (file: string, detail: string) =>
    new UnsupportedMediaError(
      'decode_failed',
      `${name(file)} 解码失败，文件可能已损坏：${detail}。请从录音设备重新导出。Decoding failed (file damaged?): ${detail}`,
    ),

  tooLong: (file: string, seconds: number, maxSeconds: number) =>
    new TooLargeError(
      'too_long',
      `${name(file)} 时长 ${formatDuration(seconds)}，超过上限 ${formatDuration(maxSeconds)}。请分段后上传，` +
        `或调大 MAX_AUDIO_SECONDS。Recording longer than the configured maximum; split it or raise MAX_AUDIO_SECONDS.`,
    ),

  ffmpegTimeout: (file: string, timeoutMs: number) =>
    new UnsupportedMediaError(
      'ffmpeg_timeout',
      `${name(file)} 音频转换超时（${Math.round(timeoutMs / 1000)} 秒后终止）。文件可能损坏或机器过忙，请稍后重试或重新导出录音。` +
        ` ffmpeg did not finish in time.`,
    ),

  ffmpegMissing: (binary: string) =>
    new ConfigurationError(
      'ffmpeg_not_found',
      `找不到 ffmpeg/ffprobe（${binary}）。请运行 npm ci 重新安装依赖，或设置 FFMPEG_PATH / FFPROBE_PATH。` +
        ` ffmpeg/ffprobe not found: reinstall dependencies or set FFMPEG_PATH / FFPROBE_PATH.`,
    ),
};

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} 小时 ${m} 分` : m > 0 ? `${m} 分 ${s % 60} 秒` : `${s} 秒`;
}
