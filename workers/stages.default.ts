import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { analyzeCall } from '../analyze/analyze-call.ts';
import { decodeText } from '../analyze/decode-text.ts';
import { parseTranscript, TRANSCRIPT_EXTENSIONS } from '../analyze/transcript-parse.ts';
import type { Config } from '../core/config.ts';
import { AppError, isAppError } from '../core/errors.ts';
import { sniffAudioHeader } from '../transcribe/audio-sniff.ts';
import { normalizeAudio } from '../transcribe/normalize.ts';
import { createTranscriber, type Transcriber } from '../transcribe/transcriber.ts';
import type { Stages } from './stages.ts';

/**
 * Binds the pipeline to the real stage functions: analyze/ for transcripts and analysis, transcribe/ for ffmpeg and
 * whisper.cpp. The transcriber (model lookup, binary build) is created on first use, so a worker that only runs
 * the analyze queue never needs a model.
 */
export function createStages(config: Config, opts: { transcriber?: Transcriber } = {}): Stages {
  let transcriber = opts.transcriber ?? null;
  return {
    async sniff(filePath, originalName) {
      const ext = path.extname(originalName).toLowerCase();
      if ((TRANSCRIPT_EXTENSIONS as readonly string[]).includes(ext)) return 'transcript';
      const fh = await fs.open(filePath, 'r');
      try {
        const head = Buffer.alloc(4096);
        const { bytesRead } = await fh.read(head, 0, head.length, 0);
        const verdict = sniffAudioHeader(head.subarray(0, bytesRead));
        // A transcript without a known extension (e.g. exported as "visit") is still a transcript.
        return verdict.kind === 'not_audio' && verdict.what.includes('text') ? 'transcript' : 'audio';
      } finally {
        await fh.close();
      }
    },

    readTranscript: (filePath, originalName) =>
      withOriginalName(filePath, originalName, async () => {
        const { text } = decodeText(await fs.readFile(filePath));
        const name = path.extname(originalName) ? originalName : `${originalName}.txt`;
        return parseTranscript(name, text);
      }),

    normalize: (inputPath, outWavPath, originalName) =>
      withOriginalName(inputPath, originalName, async () => {
        const dir = path.dirname(outWavPath);
        const audio = await normalizeAudio(inputPath, { outDir: dir, config });
        if (audio.wavPath !== outWavPath) await fs.rename(audio.wavPath, outWavPath);
        return { durationSec: audio.durationSec };
      }),

    async transcribe(wavPath, { durationSec, onProgress }) {
      // Concurrent transcriptions share the cores: each whisper run gets its slice instead of all of them.
      const threads = Math.max(1, Math.min(config.WHISPER_THREADS, Math.floor(os.cpus().length / config.CONCURRENCY_TRANSCRIBE)));
      transcriber ??= createTranscriber({ ...config, WHISPER_THREADS: threads });
      const result = await transcriber.transcribe(wavPath, { durationSec: durationSec ?? 0, onProgress });
      return { engine: `${result.engine}:${path.basename(result.model)}`, segments: result.segments };
    },

    analyze: (segments, { now, durationSec, kind }) =>
      // Speech-to-text segments split at pauses rather than at turns, so consecutive ones switch speaker less often.
      analyzeCall(segments, { now, durationSec, ...(kind === 'audio' ? { speakerSwitchProb: 0.5 } : {}) }),
  };
}

/** Stage errors name the file they saw, which is our storage key; users should read the name they uploaded. */
async function withOriginalName<T>(filePath: string, originalName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isAppError(err)) throw err;
    const stored = path.basename(filePath);
    throw new AppError(err.code, err.message.split(filePath).join(originalName).split(stored).join(originalName), err.status, { cause: err });
  }
}
