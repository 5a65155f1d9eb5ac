/**
 * Recognizes, from a file's first bytes, the inputs ffmpeg would misread or fail on with an unhelpful message:
 * WeChat SILK voice (ffmpeg has no decoder for it), documents and images that reps pick by mistake, and text
 * (ffmpeg's `tty` demuxer happily "plays" a .txt file as video).
 */
export type SniffVerdict =
  | { kind: 'maybe_audio' }
  | { kind: 'silk' }
  | { kind: 'not_audio'; what: string };

const SIGNATURES: Array<{ what: string; bytes: number[]; offset?: number }> = [
  { what: 'PNG 图片 / PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { what: 'JPEG 图片 / JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { what: 'GIF 图片 / GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { what: 'WebP 图片 / WebP image', bytes: [0x57, 0x45, 0x42, 0x50], offset: 8 },
  { what: 'PDF 文档 / PDF document', bytes: [0x25, 0x50, 0x44, 0x46] },
  { what: 'ZIP/Office 文档 / ZIP or Office document', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { what: 'RAR 压缩包 / RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
  { what: '7z 压缩包 / 7z archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
  { what: 'gzip 压缩包 / gzip archive', bytes: [0x1f, 0x8b] },
  { what: '可执行程序 / executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
];

const SILK = Buffer.from('#!SILK_V3');

export function sniffAudioHeader(head: Buffer): SniffVerdict {
  // WeChat prepends one 0x02 byte to the standard SILK v3 magic.
  if (startsWith(head, SILK, 0) || startsWith(head, SILK, 1)) return { kind: 'silk' };
  for (const sig of SIGNATURES) {
    if (startsWith(head, Buffer.from(sig.bytes), sig.offset ?? 0)) return { kind: 'not_audio', what: sig.what };
  }
  if (looksLikeText(head)) return { kind: 'not_audio', what: '文本 / text' };
  return { kind: 'maybe_audio' };
}

function startsWith(buf: Buffer, prefix: Buffer, offset: number): boolean {
  return buf.length >= offset + prefix.length && buf.subarray(offset, offset + prefix.length).equals(prefix);
}

/** No NUL bytes and valid UTF-8 (allowing a multi-byte sequence cut at the end) or GBK-like high bytes only. */
function looksLikeText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  let controls = 0;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) controls++;
  if (controls > head.length * 0.01) return false;
  const decoded = head.toString('utf8');
  const replacements = (decoded.match(/\uFFFD/g) ?? []).length;
  // Anything with many invalid sequences may still be GBK text; audio payloads nearly always contain NUL bytes.
  return replacements <= 3 || head.every((b) => b >= 0x09);
}
