import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeText } from '../analyze/decode-text.ts';
import { parseTranscript } from '../analyze/transcript-parse.ts';
import type { Segment } from '../analyze/types.ts';
import { TooLargeError } from '../core/errors.ts';

/** Typed transcripts beyond this are not one call (a 2-hour visit is ~100 KB of text). */
export const MAX_TRANSCRIPT_BYTES = 10 * 1024 * 1024;

/**
 * A transcript file → its utterances: size-checked before it is read, decoded (UTF-8/GBK/GB18030/UTF-16) and parsed
 * by the format its name says. `name` is what the user called the file (an upload's original name); a name without
 * an extension is read as .txt, since a CRM may send a transcript as a nameless blob. The CLI, the normalize job and
 * the audio path's sidecar transcripts all read transcripts here.
 */
export async function readTranscriptFile(filePath: string, name: string, size?: number): Promise<Segment[]> {
  const bytes = size ?? (await stat(filePath)).size;
  if (bytes > MAX_TRANSCRIPT_BYTES) {
    throw new TooLargeError(
      'file_too_large',
      `转写文件 ${(bytes / 1024 / 1024).toFixed(1)} MB，超过上限 ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB / transcript too large: split it into one file per call`,
    );
  }
  const { text } = decodeText(await readFile(filePath));
  return parseTranscript(path.extname(name) ? name : `${name}.txt`, text);
}
