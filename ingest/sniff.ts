import { open } from 'node:fs/promises';
import { AppError, InvalidInputError, UnsupportedMediaError } from '../core/errors.ts';
import { looksBinary } from '../analyze/decode-text.ts';
import { extensionOf } from '../analyze/transcript-parse.ts';

/**
 * What did the user hand us? Decided from the content first (magic bytes), then the extension: a recording
 * renamed to .txt is still audio, a WeChat voice note has no useful extension, and a PDF named .txt is not a
 * transcript. Audio kinds are handed to transcribe/; transcripts to analyze/transcript-parse.ts.
 */

export type AudioFormat = 'wav' | 'mp3' | 'aac' | 'm4a' | 'ogg' | 'webm' | 'flac' | 'amr' | 'silk' | 'wma';
export type TranscriptFormat = 'txt' | 'srt' | 'vtt' | 'json';

export type Sniffed =
  | { kind: 'transcript'; format: TranscriptFormat }
  /** `confirmed`: a known signature was found; otherwise only the extension says audio and the decoder decides. */
  | { kind: 'audio'; format: AudioFormat; confirmed: boolean }
  | { kind: 'unknown'; code: 'empty_file' | 'not_text' | 'unknown_extension' | 'not_audio'; message: string };

/** The error for a file that is neither a transcript nor audio (its verdict's code and message). */
export function unknownKindError(verdict: Extract<Sniffed, { kind: 'unknown' }>): AppError {
  return verdict.code === 'empty_file' ? new InvalidInputError(verdict.code, verdict.message) : new UnsupportedMediaError(verdict.code, verdict.message);
}

/** Bytes read from the start of a file; enough for every signature and the binary-content check. */
export const SNIFF_BYTES = 65536;

const TRANSCRIPT_EXT: Record<string, TranscriptFormat> = { '.txt': 'txt', '.srt': 'srt', '.vtt': 'vtt', '.json': 'json' };
const AUDIO_EXT: Record<string, AudioFormat> = {
  '.wav': 'wav', '.mp3': 'mp3', '.aac': 'aac', '.m4a': 'm4a', '.mp4': 'm4a', '.3gp': 'm4a', '.ogg': 'ogg', '.oga': 'ogg',
  '.opus': 'ogg', '.webm': 'webm', '.flac': 'flac', '.amr': 'amr', '.silk': 'silk', '.slk': 'silk', '.wma': 'wma',
};

const ascii = (b: Uint8Array, at: number, s: string) => {
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** Audio container/codec from magic bytes, or null. */
export function audioMagic(b: Uint8Array): AudioFormat | null {
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return 'wav';
  if (ascii(b, 0, 'ID3')) return 'mp3';
  if (ascii(b, 4, 'ftyp')) return 'm4a';
  if (ascii(b, 0, 'OggS')) return 'ogg';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  if (ascii(b, 0, 'fLaC')) return 'flac';
  if (ascii(b, 0, '#!AMR')) return 'amr';
  // WeChat / QQ voice: "#!SILK_V3", often behind a 0x02 byte.
  if (ascii(b, 0, '#!SILK_V3') || (b[0] === 0x02 && ascii(b, 1, '#!SILK_V3'))) return 'silk';
  // ASF (WMA) header GUID 3026B2758E66CF11.
  if (b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75 && b[4] === 0x8e && b[5] === 0x66) return 'wma';
  if (b.length >= 4 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) {
    // ADTS AAC: layer bits 00; MPEG audio: layer 01-11, a valid bitrate and sample-rate index.
    if ((b[1] & 0x06) === 0) return (b[1] & 0xf6) === 0xf0 ? 'aac' : null;
    const bitrate = b[2] >> 4;
    const rate = (b[2] >> 2) & 0x03;
    const version = (b[1] >> 3) & 0x03;
    if (bitrate !== 0x0f && rate !== 0x03 && version !== 0x01) return 'mp3';
  }
  return null;
}

/** Classify a file from its name and first bytes (see SNIFF_BYTES). */
export function sniffBytes(fileName: string, head: Uint8Array): Sniffed {
  const ext = extensionOf(fileName);
  if (head.length === 0) return { kind: 'unknown', code: 'empty_file', message: '文件为空 / the file is empty' };
  const transcript = TRANSCRIPT_EXT[ext];
  // UTF-16 transcripts carry NUL bytes, and FF FE even looks like an MPEG frame sync: the BOM decides first.
  const bom16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (transcript && bom16) return { kind: 'transcript', format: transcript };
  const audio = audioMagic(head);
  if (audio) return { kind: 'audio', format: audio, confirmed: true };
  if (transcript) {
    if (looksBinary(head)) {
      return {
        kind: 'unknown',
        code: 'not_text',
        message: `文件扩展名是 ${ext}，但内容不是文本 / the file is named ${ext} but is not text: check that the right file was chosen`,
      };
    }
    return { kind: 'transcript', format: transcript };
  }
  const byExt = AUDIO_EXT[ext];
  if (byExt) {
    // Some recorders write containers we have no signature for; only text is surely not audio (ffmpeg would
    // "play" it through its tty demuxer). transcribe/ rejects images and documents with its own checks.
    if (!looksBinary(head)) {
      return {
        kind: 'unknown',
        code: 'not_audio',
        message: `文件扩展名是 ${ext}，但内容是文本而不是录音 / the ${ext} file holds text, not audio: choose the recording itself`,
      };
    }
    return { kind: 'audio', format: byExt, confirmed: false };
  }
  return {
    kind: 'unknown',
    code: 'unknown_extension',
    message: `不支持的文件类型 "${ext || '(无扩展名)'}" / unsupported file type: use a .txt/.srt/.vtt/.json transcript or an audio recording (mp3, m4a, wav, amr, ogg, webm, flac, silk)`,
  };
}

/** Reads the first SNIFF_BYTES of `path` and classifies it. */
export async function sniffFile(path: string, fileName: string = path): Promise<Sniffed> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return sniffBytes(fileName, buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
