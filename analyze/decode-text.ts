import iconv from 'iconv-lite';
import { AppError, InvalidInputError } from '../core/errors.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * Transcript bytes → text. Chinese offices still save .txt files as GBK (Windows "ANSI" on a Chinese system), so:
 * a BOM decides (UTF-8, UTF-16 LE/BE); else strictly valid UTF-8 is UTF-8; else GB18030, a superset of GBK and
 * GB2312. Bytes that are neither (NULs, many control bytes, undecodable sequences) are `not_text`.
 */
export function decodeText(buf: Uint8Array): { text: string; encoding: TextEncoding } {
  if (buf.length === 0) throw new InvalidInputError('empty_file', '文件为空 / the file is empty: export the transcript again');
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return checked(utf8(buf.subarray(3)), 'utf-8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return checked(iconv.decode(Buffer.from(buf.subarray(2)), 'utf-16le'), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return checked(iconv.decode(Buffer.from(buf.subarray(2)), 'utf-16be'), 'utf-16be');
  if (looksBinary(buf)) throw notText();
  const asUtf8 = utf8(buf);
  if (asUtf8 !== null) return checked(asUtf8, 'utf-8');
  return checked(iconv.decode(Buffer.from(buf), 'gb18030'), 'gb18030');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function utf8(buf: Uint8Array): string | null {
  try {
    return strictUtf8.decode(buf);
  } catch {
    return null;
  }
}

/** A NUL byte never occurs in UTF-8/GBK text; other C0 controls are rare outside tab/newline/CR/form feed/ESC. */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 65536);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
  }
  return controls > n * 0.01;
}

/** Code points that decoding produces for bytes it could not map: U+FFFD, private use, NUL. */
const UNDECODABLE = /[\ufffd\ue000-\uf8ff\u0000]/g;

function checked(text: string | null, encoding: TextEncoding): { text: string; encoding: TextEncoding } {
  if (text === null) throw notText();
  // Strict UTF-8 decoding already failed on bad bytes; GB18030 and UTF-16 map almost anything to something.
  if (encoding !== 'utf-8') {
    const bad = text.match(UNDECODABLE)?.length ?? 0;
    if (bad > Math.max(2, text.length * 0.005)) throw notText();
  }
  if (text.trim() === '') throw new InvalidInputError('empty_file', '文件没有任何文字 / the file has no text in it');
  return { text, encoding };
}

function notText(): AppError {
  return new InvalidInputError(
    'not_text',
    '文件不是文本（可能是二进制或损坏的文件）/ not a text file: upload a .txt/.srt/.vtt/.json transcript in UTF-8 or GBK, or the audio itself',
  );
}
