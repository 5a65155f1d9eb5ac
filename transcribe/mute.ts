import type { Config } from '../core/config.ts';
import { DependencyUnavailableError } from '../core/errors.ts';
import { ffmpegPath } from './ffmpeg-paths.ts';
import { runProcess } from './run-process.ts';

/**
 * Silences spans of a normalized WAV (the segments where personal data was said) with ffmpeg's volume filter,
 * `volume=0` enabled between each span's start and end. Built as data, run without a shell (CONVENTIONS §2).
 */
export function muteArgs(input: string, output: string, spans: Array<{ start: number; end: number }>): string[] {
  const enable = spans.map((s) => `between(t,${s.start.toFixed(3)},${s.end.toFixed(3)})`).join('+');
  return ['-hide_banner', '-nostdin', '-y', '-i', input, '-af', `volume=enable='${enable}':volume=0`, '-c:a', 'pcm_s16le', '-f', 'wav', output];
}

export async function muteSpans(input: string, output: string, spans: Array<{ start: number; end: number }>, config: Pick<Config, 'FFMPEG_PATH'>): Promise<void> {
  const res = await runProcess(ffmpegPath(config), muteArgs(input, output, spans), { timeoutMs: 10 * 60_000 });
  if (res.code !== 0) {
    throw new DependencyUnavailableError('stage_failed', `ffmpeg 静音处理失败 / ffmpeg could not mute the audio: ${res.stderr.split('\n').filter(Boolean).at(-1) ?? res.code}`);
  }
}
