import fs from 'node:fs/promises';

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  dataBytes: number;
  durationSec: number;
}

/**
 * Reads a PCM WAV's fmt and data chunks. Used on files ffmpeg has just written, so the data size is what was
 * actually decoded (a size left at 0/0xFFFFFFFF by a non-seekable writer falls back to the file's length).
 */
export async function readWavInfo(file: string): Promise<WavInfo> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    return parseWavHeader(head, size);
  } finally {
    await fh.close();
  }
}

export function parseWavHeader(head: Buffer, fileSize: number): WavInfo {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: { channels: number; sampleRate: number; bitsPerSample: number } | null = null;
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= head.length) {
      fmt = {
        channels: head.readUInt16LE(body + 2),
        sampleRate: head.readUInt32LE(body + 4),
        bitsPerSample: head.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data chunk before fmt chunk');
      const available = fileSize - body;
      const dataBytes = size === 0 || size === 0xffffffff || size > available ? available : size;
      const frameBytes = (fmt.channels * fmt.bitsPerSample) / 8;
      return { ...fmt, dataBytes, durationSec: dataBytes / frameBytes / fmt.sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV without a data chunk in its first 4 KB');
}
