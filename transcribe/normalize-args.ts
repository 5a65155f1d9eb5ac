import type { AudioProbe } from './probe.ts';
import { fileUrl } from './probe.ts';

export const TARGET_SAMPLE_RATE = 16_000;

export interface NormalizeArgsOptions {
  /** The 16 kHz mono mix (always written; speech ratio is measured on it). */
  output: string;
  /** When set (and the source is stereo), each channel is also written as its own 16 kHz mono file. */
  channelOutputs?: { left: string; right: string };
  /** Decoding stops one second past this, so a mislabelled 10-hour file costs at most the limit to reject. */
  maxSeconds: number;
  silenceNoiseDb?: number;
  silenceMinSec?: number;
}

/**
 * Dynamic (per-frame) loudness normalization rather than EBU R128 `loudnorm`: a visit recorded on a phone on the
 * table has a loud rep and a distant customer, and dynaudnorm evens them out — and it runs ~40× faster than
 * loudnorm, which upsamples everything to 192 kHz. Max gain 10× keeps room noise from being pumped up to speech.
 */
const LOUDNESS = 'dynaudnorm=f=200:g=11:p=0.9:m=10';

/** Builds the complete ffmpeg argument list for one recording. Pure: unit tests assert it exactly. */
export function normalizeArgs(probe: AudioProbe, opts: NormalizeArgsOptions): string[] {
  const stream = `0:${probe.audio.index}`;
  const speech = `aformat=sample_fmts=fltp:channel_layouts=mono,aresample=${TARGET_SAMPLE_RATE},${LOUDNESS}`;
  const silence = `silencedetect=noise=${opts.silenceNoiseDb ?? -35}dB:d=${opts.silenceMinSec ?? 0.4}`;
  const input = ['-hide_banner', '-nostdin', '-y', '-i', fileUrl(probe.path)];
  const wavOut = (target: string) => [
    '-map_metadata', '-1',
    '-ac', '1',
    '-ar', String(TARGET_SAMPLE_RATE),
    '-c:a', 'pcm_s16le',
    '-fflags', '+bitexact',
    '-flags:a', '+bitexact',
    '-t', String(opts.maxSeconds + 1),
    '-f', 'wav',
    fileUrl(target),
  ];

  if (!opts.channelOutputs || !canSplitChannels(probe)) {
    return [...input, '-map', stream, '-vn', '-sn', '-dn', '-af', `${speech},${silence}`, ...wavOut(opts.output)];
  }

  // channelsplit needs a declared stereo layout; WAVs from call recorders often carry none.
  const graph = [
    `[${stream}]asplit=2[m][s]`,
    `[m]${speech},${silence}[mix]`,
    `[s]aformat=channel_layouts=stereo,channelsplit=channel_layout=stereo[l][r]`,
    `[l]${speech}[lo]`,
    `[r]${speech}[ro]`,
  ].join(';');
  return [
    ...input,
    '-filter_complex', graph,
    '-map', '[mix]', ...wavOut(opts.output),
    '-map', '[lo]', ...wavOut(opts.channelOutputs.left),
    '-map', '[ro]', ...wavOut(opts.channelOutputs.right),
  ];
}

export function canSplitChannels(probe: AudioProbe): boolean {
  return probe.audio.channels === 2;
}

/**
 * Time allowed for one ffmpeg run: 30 s plus a quarter of the audio's length (our decode runs hundreds of times
 * faster than real time). The length is the larger of the header's claim and what the file size could hold at
 * 8 kbit/s, capped at the configured maximum, so a lying header can neither starve nor prolong the run.
 */
export function normalizeTimeoutMs(probe: AudioProbe, maxSeconds: number): number {
  const bySize = probe.sizeBytes / 1000;
  const estimate = Math.min(Math.max(probe.declaredDurationSec ?? 0, bySize), maxSeconds + 1);
  return Math.round(30_000 + estimate * 250);
}
