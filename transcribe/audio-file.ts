import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AudioInfo, Segment } from '../analyze/types.ts';
import type { Config } from '../core/config.ts';
import { readTranscriptFile } from '../ingest/transcript-file.ts';
import { formatDuration } from './audio-errors.ts';
import { normalizeAudio } from './normalize.ts';
import { type Transcriber } from './transcriber.ts';
import { createTranscriber } from './create-transcriber.ts';

/** `rep-left`/`rep-right`: a call recorder put one party on each channel, so roles come from the channel. */
export type ChannelRoles = AudioInfo['channels'];

export function isChannelRoles(s: string): s is ChannelRoles {
  return s === 'mix' || s === 'rep-left' || s === 'rep-right';
}

export interface AudioFileOptions {
  config: Config;
  channels?: ChannelRoles;
  /** Use `<name>.transcript.{json,srt,vtt,txt}` beside the audio instead of the engine when it exists. */
  useSidecar?: boolean;
  /** Created once per batch by the caller; created from config on demand otherwise. */
  transcriber?: Transcriber;
  log?: (message: string) => void;
  /** Speech-to-text progress, 0–100 (per channel when channels are split). */
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

/** What an analysis result records about the audio (no temp paths). */
export type AudioSummary = AudioInfo;

export interface AudioTranscript {
  segments: Segment[];
  /** Decoded duration of the audio. */
  durationSec: number;
  audio: AudioSummary;
}

export const SIDECAR_EXTENSIONS = ['.json', '.srt', '.vtt', '.txt'] as const;

/**
 * One recording → segments: normalize with ffmpeg, then the sidecar transcript or the speech-to-text engine
 * (per channel when roles come from channels). The CLI's analyze calls this; the service runs the same normalizeAudio
 * and Transcriber as separate normalize and transcribe jobs (workers/stages.default.ts), without sidecars or channel roles.
 */
export async function transcribeAudioFile(inputPath: string, opts: AudioFileOptions): Promise<AudioTranscript> {
  const channels = opts.channels ?? 'mix';
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tingjian-audio-'));
  try {
    const audio = await normalizeAudio(inputPath, {
      outDir: dir,
      channels: channels === 'mix' ? 'mix' : 'split',
      config: opts.config,
      signal: opts.signal,
    });
    const summary = (transcript: AudioSummary['transcript']): AudioSummary => ({
      declaredDurationSec: audio.declaredDurationSec,
      speechRatio: audio.speechRatio,
      source: audio.source,
      channels: audio.channelWavs ? channels : 'mix',
      transcript,
      warnings: audio.warnings,
    });

    const sidecar = opts.useSidecar ? await findSidecar(inputPath) : null;
    if (sidecar) {
      const segments = await readTranscriptFile(sidecar, sidecar);
      return { segments, durationSec: audio.durationSec, audio: summary({ from: 'sidecar', file: path.basename(sidecar) }) };
    }

    const transcriber = opts.transcriber ?? createTranscriber(opts.config, { log: opts.log });
    opts.log?.(`语音识别 / transcribing ${path.basename(inputPath)}（${formatDuration(audio.durationSec)}，${transcriber.engine}）…`);
    const base = { durationSec: audio.durationSec, signal: opts.signal, onProgress: opts.onProgress };
    let segments: Segment[];
    if (audio.channelWavs) {
      const repLeft = channels === 'rep-left';
      const left = await transcriber.transcribe(audio.channelWavs.left, { ...base, speaker: repLeft ? 'rep' : 'customer' });
      const right = await transcriber.transcribe(audio.channelWavs.right, { ...base, speaker: repLeft ? 'customer' : 'rep' });
      segments = mergeByStart(left.segments, right.segments);
    } else {
      segments = (await transcriber.transcribe(audio.wavPath, base)).segments;
    }
    return {
      segments,
      durationSec: audio.durationSec,
      audio: summary({ from: 'engine', engine: transcriber.engine, model: path.basename(transcriber.model) }),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `visit.m4a` → the first of visit.transcript.json / .srt / .vtt / .txt that exists. */
export async function findSidecar(audioPath: string): Promise<string | null> {
  const stem = audioPath.slice(0, audioPath.length - path.extname(audioPath).length);
  for (const ext of SIDECAR_EXTENSIONS) {
    const candidate = `${stem}.transcript${ext}`;
    const stat = await fs.stat(candidate).catch(() => null);
    if (stat?.isFile()) return candidate;
  }
  return null;
}

/** Two channels' segments interleaved by start time (stable: at equal starts the left channel goes first). */
export function mergeByStart(a: Segment[], b: Segment[]): Segment[] {
  return [...a, ...b]
    .map((s, i) => ({ s, i }))
    .sort((x, y) => (x.s.start ?? Infinity) - (y.s.start ?? Infinity) || x.i - y.i)
    .map(({ s }) => s);
}
