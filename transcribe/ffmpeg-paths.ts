import { createRequire } from 'node:module';
import type { Config } from '../core/config.ts';

const require = createRequire(import.meta.url);

/** The ffmpeg binary: FFMPEG_PATH (e.g. a newer system ffmpeg) or the static build from @ffmpeg-installer. */
export function ffmpegPath(config: Pick<Config, 'FFMPEG_PATH'>): string {
  if (config.FFMPEG_PATH) return config.FFMPEG_PATH;
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/** @ffmpeg-installer ships no ffprobe, so probing uses @ffprobe-installer unless FFPROBE_PATH is set. */
export function ffprobePath(config: Pick<Config, 'FFPROBE_PATH'>): string {
  if (config.FFPROBE_PATH) return config.FFPROBE_PATH;
  return (require('@ffprobe-installer/ffprobe') as { path: string }).path;
}
