import { readFile, stat } from 'node:fs/promises';
import { InvalidInputError, ForbiddenError, NotFoundError, TooLargeError, errorInfo } from '../core/errors.ts';
import type { Lexicon } from '../lexicons/index.ts';
import { analyzeCall } from '../analyze/analyze-call.ts';
import { decodeText } from '../analyze/decode-text.ts';
import { parseTranscript } from '../analyze/transcript-parse.ts';
import type { AudioInfo, CallAnalysis, FileKind, FileResult, FileResultOk } from '../analyze/types.ts';
import { sniffFile, unknownKindError } from '../ingest/sniff.ts';
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

/** Typed transcripts beyond this are not one call (a 2-hour visit is ~100 KB of text). */
export const MAX_TRANSCRIPT_BYTES = 10 * 1024 * 1024;

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
      return { ...okResult(file, 'audio', analysis), audio };
    }
    return okResult(file, sniffed.kind, await analyzeTranscriptFile(path, size, opts));
  } catch (err) {
    return { file, status: 'error', error: errorInfo(err) };
  }
}

function okResult(file: string, kind: FileKind, a: CallAnalysis): FileResultOk {
  // Key order follows the documented JSON shape.
  return {
    file,
    status: 'ok',
    kind,
    durationSec: a.durationSec,
    segments: a.segments,
    tagCounts: a.tagCounts,
    commitments: a.commitments,
    metrics: a.metrics,
    lexiconVersion: a.lexiconVersion,
  };
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

async function analyzeTranscriptFile(path: string, size: number, opts: AnalyzeFileOptions): Promise<CallAnalysis> {
  if (size > MAX_TRANSCRIPT_BYTES) {
    throw new TooLargeError(
      'file_too_large',
      `转写文件 ${(size / 1024 / 1024).toFixed(1)} MB，超过上限 ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB / transcript too large: split it into one file per call`,
    );
  }
  const { text } = decodeText(await readFile(path));
  const segments = parseTranscript(path, text);
  return analyzeCall(segments, { now: opts.now, lexicon: opts.lexicon });
}

/** Recordings: normalize → speech-to-text (or the sidecar transcript) → the same analysis, with the decoded duration. */
async function analyzeAudioFile(path: string, opts: AnalyzeFileOptions): Promise<{ analysis: CallAnalysis; audio: AudioInfo }> {
  const a = opts.audio ?? {};
  const { segments, durationSec, audio } = await transcribeAudioFile(path, { ...a, config: a.config ?? loadConfig() });
  // Speech-to-text segments split at pauses, not at speaker turns: no alternation prior for role inference.
  const analysis = analyzeCall(segments, { now: opts.now, durationSec, lexicon: opts.lexicon, speakerSwitchProb: 0.5 });
  return { analysis, audio };
}
