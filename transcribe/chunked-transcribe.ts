import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Segment, Speaker } from '../analyze/types.ts';
import { planChunks, toOriginalTime, type Chunk } from './chunk-plan.ts';
import { guardSegments, guardWarnings, type GuardDrop } from './hallucination-guard.ts';
import { SAMPLE_RATE, encodeWav, openPcmWav, readSamples, type PcmWav } from './pcm.ts';
import { padRegions, type Region } from './regions.ts';
import type { Transcriber } from './transcriber.ts';
import { detectSpeech, type VadResult } from './vad.ts';
import { attachVoices, type VoicedSegment } from './voice-attach.ts';
import type { VoiceTurn } from './voice-cluster.ts';
import { labelVoices, type VoiceLabelling } from './voices.ts';

/** One chunk's recognized text, in seconds of the original file: what the job stores as soon as it completes. */
export interface ChunkResult {
  index: number;
  segments: Segment[];
  /** The engine's own time for this chunk. */
  elapsedMs: number;
}

export interface ChunkProgress {
  chunksDone: number;
  chunks: number;
  /** Share of the speech to transcribe that is done, 0..100. */
  percent: number;
  /** From this run's pace; null until a chunk has been timed. */
  etaSec: number | null;
}

export interface ChunkedOptions {
  /** A stored VAD result (a resumed job does not run it again); default: run it. */
  vad?: Pick<VadResult, 'regions' | 'durationSec' | 'speechSec'>;
  /** Chunks already stored by an earlier, interrupted run: not recognized again. */
  done?: readonly ChunkResult[];
  /** Awaited before the next chunk starts, so a result is stored before more work is risked. */
  onChunk?: (result: ChunkResult, progress: ChunkProgress) => Promise<void> | void;
  /** Stored voice turns (default: label them from the audio once all chunks are done). */
  voices?: readonly VoiceTurn[];
  /** Who labels the voices (`voiceLabeller(config)`: sherpa-onnx diarization models if configured); default built-in. */
  labelVoices?: (wavPath: string, regions: readonly Region[]) => Promise<VoiceLabelling>;
  /** Role for every segment when a stereo channel says who speaks (default 'unknown'). */
  speaker?: Speaker;
  language?: string;
  prompt?: string;
  signal?: AbortSignal;
}

export interface ChunkedTranscript {
  segments: VoicedSegment[];
  vad: { speechSec: number; regions: Region[] };
  voices: VoiceTurn[];
  engine: string;
  model: string;
  chunks: number;
  /** Seconds of audio sent to the engine (speech plus padding). */
  transcribedSec: number;
  warnings: string[];
  drops: GuardDrop[];
  /** Engine time summed over the chunks recognized in this run. */
  engineMs: number;
  vadMs: number;
  voicesMs: number;
}

/** Kept around each VAD region: onsets and word tails fall below Silero's threshold. */
const PAD_SEC = 0.2;

/**
 * Speech-only, resumable transcription of a normalized WAV: VAD → chunks of ≤ 30 s of speech cut at pauses → the
 * engine on each chunk (skipping those in `done`, reporting each through `onChunk`) → times mapped back to the file
 * → hallucination guard → voice labels. The job stores chunk results through `onChunk` and passes them back as
 * `done` after a restart, so finished chunks are never redone.
 */
export async function transcribeChunked(wavPath: string, transcriber: Transcriber, opts: ChunkedOptions = {}): Promise<ChunkedTranscript> {
  const wav = await openPcmWav(wavPath);
  const vadStart = performance.now();
  const vad = opts.vad ?? (await detectSpeech(wavPath));
  const vadMs = opts.vad ? 0 : performance.now() - vadStart;
  const chunks = planChunks(vad.regions, { durationSec: vad.durationSec, padSec: PAD_SEC });
  const results = new Map((opts.done ?? []).map((r) => [r.index, r]));
  const total = chunks.reduce((s, c) => s + c.durationSec, 0);
  let doneSec = chunks.filter((c) => results.has(c.index)).reduce((s, c) => s + c.durationSec, 0);
  let runSec = 0;
  let runMs = 0;
  let engineMs = 0;

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tingjian-chunks-'));
  try {
    for (const chunk of chunks) {
      if (results.has(chunk.index)) continue;
      opts.signal?.throwIfAborted();
      const started = performance.now();
      const file = path.join(dir, `chunk-${chunk.index}.wav`);
      await fs.writeFile(file, encodeWav(await chunkSamples(wav, wavPath, chunk)));
      const res = await transcriber.transcribe(file, {
        durationSec: chunk.durationSec,
        speaker: opts.speaker,
        language: opts.language,
        prompt: opts.prompt,
        signal: opts.signal,
        keepSilencePhrases: true,
      });
      await fs.rm(file, { force: true });
      const result: ChunkResult = { index: chunk.index, segments: res.segments.map((s) => toOriginal(s, chunk)), elapsedMs: res.elapsedMs };
      results.set(chunk.index, result);
      engineMs += res.elapsedMs;
      doneSec += chunk.durationSec;
      runSec += chunk.durationSec;
      runMs += performance.now() - started;
      await opts.onChunk?.(result, {
        chunksDone: results.size,
        chunks: chunks.length,
        percent: total ? Math.round((doneSec / total) * 1000) / 10 : 100,
        etaSec: runSec ? Math.round(((total - doneSec) * runMs) / runSec / 1000) : null,
      });
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }

  const raw = chunks.flatMap((c) => results.get(c.index)?.segments ?? []);
  const speech = padRegions(vad.regions, PAD_SEC, vad.durationSec);
  const guarded = guardSegments(raw, speech);
  const voicesStart = performance.now();
  const voices = opts.voices ? [...opts.voices] : (await (opts.labelVoices ?? labelVoices)(wavPath, speech)).turns;
  const voicesMs = opts.voices ? 0 : performance.now() - voicesStart;
  return {
    segments: attachVoices(guarded.segments, voices),
    vad: { speechSec: vad.speechSec, regions: vad.regions },
    voices,
    engine: transcriber.engine,
    model: transcriber.model,
    chunks: chunks.length,
    transcribedSec: Math.round(total * 1000) / 1000,
    warnings: guardWarnings(guarded.drops),
    drops: guarded.drops,
    engineMs,
    vadMs,
    voicesMs,
  };
}

async function chunkSamples(wav: PcmWav, file: string, chunk: Chunk): Promise<Float32Array> {
  const parts = [];
  for (const p of chunk.pieces) parts.push(await readSamples(wav, file, p.from * SAMPLE_RATE, (p.from + p.length) * SAMPLE_RATE));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function toOriginal(s: Segment, chunk: Chunk): Segment {
  if (s.start === null || s.end === null) return { ...s, start: chunk.start, end: chunk.end };
  const start = toOriginalTime(chunk, s.start, 'start');
  return { ...s, start, end: Math.max(start, toOriginalTime(chunk, s.end, 'end')) };
}
