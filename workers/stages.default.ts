import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { analyzeCall } from '../analyze/analyze-call.ts';
import type { Config } from '../core/config.ts';
import { isAppError } from '../core/errors.ts';
import { sniffFile, unknownKindError } from '../ingest/sniff.ts';
import { readTranscriptFile } from '../ingest/transcript-file.ts';
import { normalizeAudio } from '../transcribe/normalize.ts';
import { type Transcriber } from '../transcribe/transcriber.ts';
import { createTranscriber } from '../transcribe/create-transcriber.ts';
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
      // The same classification the CLI's analyze uses (content first, then extension).
      const verdict = await sniffFile(filePath, originalName);
      if (verdict.kind !== 'unknown') return verdict.kind;
      // A CRM may send a blob with no usable name: text is a transcript, anything else goes to the decoder.
      if (verdict.code === 'unknown_extension' && !path.extname(originalName)) {
        return (await sniffFile(filePath, `${originalName}.txt`)).kind === 'transcript' ? 'transcript' : 'audio';
      }
      throw unknownKindError({ ...verdict, message: verdict.message.split(filePath).join(originalName) });
    },

    readTranscript: (filePath, originalName) => withOriginalName(filePath, originalName, () => readTranscriptFile(filePath, originalName)),

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

    analyze: (segments, { now, durationSec, kind }) => analyzeCall(segments, { now, durationSec, source: kind }),
  };
}

/** Stage errors name the file they saw, which is our storage key; users should read the name they uploaded. */
async function withOriginalName<T>(filePath: string, originalName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isAppError(err)) throw err;
    const stored = path.basename(filePath);
    err.message = err.message.split(filePath).join(originalName).split(stored).join(originalName);
    throw err;
  }
}
