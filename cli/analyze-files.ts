import { stat } from 'node:fs/promises';
import { InvalidInputError, ForbiddenError, NotFoundError, errorInfo } from '../core/errors.ts';
import type { Lexicon } from '../lexicons/index.ts';
import { analyzeCall } from '../analyze/analyze-call.ts';
import { fileResult } from '../analyze/file-result.ts';
import type { AudioInfo, CallAnalysis, FileResult } from '../analyze/types.ts';
import { sniffFile, unknownKindError } from '../ingest/sniff.ts';
import { readTranscriptFile } from '../ingest/transcript-file.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { transcribeAudioFile, type ChannelRoles } from '../transcribe/audio-file.ts';
import type { Transcriber } from '../transcribe/transcriber.ts';

export interface AnalyzeFileOptions {
  /** Relative due times (明天上午) resolve against this moment. */
  now: Date;
  lexicon?: Lexicon;
  /** Shown as `file` in the result; defaults to the path as given. */
  displayName?: string;
  /** Recordings only (transcribe/). */
  audio?: {
    config?: Config;
    /** Stereo call recordings with one party per channel: roles come from the channel. */
    channels?: ChannelRoles;
    /** Use `<name>.transcript.json` (or .srt/.vtt/.txt) beside the recording instead of speech-to-text. */
    useSidecar?: boolean;
    transcriber?: Transcriber;
    log?: (message: string) => void;
    onProgress?: (percent: number) => void;
  };
}

/**
 * One file → one result, never a throw: every failure becomes `{ status: 'error', error: { code, message } }` so a
 * batch keeps going. Kind is sniffed from content and name (ingest/sniff.ts).
 */
export async function analyzeFile(path: string, opts: AnalyzeFileOptions): Promise<FileResult> {
  const file = opts.displayName ?? path;
  try {
    const size = await regularFileSize(path);
    const sniffed = await sniffFile(path);
    if (sniffed.kind === 'unknown') throw unknownKindError(sniffed);
    if (sniffed.kind === 'audio') {
      const { analysis, audio } = await analyzeAudioFile(path, opts);
      return fileResult(file, 'audio', analysis, audio);
    }
    const segments = await readTranscriptFile(path, path, size);
    return fileResult(file, 'transcript', analyzeCall(segments, { now: opts.now, lexicon: opts.lexicon }));
  } catch (err) {
    return { file, status: 'error', error: errorInfo(err) };
  }
}

/** Size of `path`, or the reason it cannot be analyzed (missing, unreadable, a directory, not a regular file). */
async function regularFileSize(path: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new NotFoundError('file_not_found', `找不到文件 / file not found: ${path}`);
    if (code === 'EACCES' || code === 'EPERM') throw new ForbiddenError('permission_denied', `没有读取权限 / permission denied: ${path}`);
    throw err;
  }
  if (st.isDirectory()) {
    throw new InvalidInputError('is_directory', `这是一个文件夹，不是文件 / ${path} is a directory: pass the files inside it (e.g. ${path}/*.txt)`);
  }
  if (!st.isFile()) throw new InvalidInputError('not_a_file', `不是普通文件 / not a regular file: ${path}`);
  return st.size;
}

/** Recordings: normalize → speech-to-text (or the sidecar transcript) → the same analysis, with the decoded duration. */
async function analyzeAudioFile(path: string, opts: AnalyzeFileOptions): Promise<{ analysis: CallAnalysis; audio: AudioInfo }> {
  const a = opts.audio ?? {};
  const { segments, durationSec, audio } = await transcribeAudioFile(path, { ...a, config: a.config ?? loadConfig() });
  return { analysis: analyzeCall(segments, { now: opts.now, durationSec, lexicon: opts.lexicon, source: 'audio' }), audio };
}
