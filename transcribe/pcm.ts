import fs from 'node:fs/promises';
import { parseWavHeader, type WavInfo } from './wav-info.ts';

/** The normalized audio format every stage after ffmpeg reads: 16 kHz mono signed 16-bit. */
export const SAMPLE_RATE = 16000;

export interface PcmWav extends WavInfo {
  /** Byte offset of the first sample. */
  dataOffset: number;
}

/** Opens a 16 kHz mono s16le WAV (normalizeAudio's output) and says where its samples are. */
export async function openPcmWav(file: string): Promise<PcmWav> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    const info = parseWavHeader(head, size);
    if (info.sampleRate !== SAMPLE_RATE || info.channels !== 1 || info.bitsPerSample !== 16) {
      throw new Error(
        `expected 16 kHz mono 16-bit PCM (normalizeAudio's output), got ${info.sampleRate} Hz, ${info.channels} channel(s), ${info.bitsPerSample} bit`,
      );
    }
    return { ...info, dataOffset: dataStart(head) };
  } finally {
    await fh.close();
  }
}

function dataStart(head: Buffer): number {
  let offset = 12;
  while (offset + 8 <= head.length) {
    if (head.toString('latin1', offset, offset + 4) === 'data') return offset + 8;
    const size = head.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  throw new Error('WAV without a data chunk in its first 4 KB');
}

/** A whole in-memory 16 kHz mono s16le WAV as floats (short clips: fixtures, tests). */
export function decodePcmWav(buf: Buffer): Float32Array {
  const info = parseWavHeader(buf.subarray(0, 4096), buf.length);
  if (info.sampleRate !== SAMPLE_RATE || info.channels !== 1 || info.bitsPerSample !== 16) {
    throw new Error(`expected 16 kHz mono 16-bit PCM, got ${info.sampleRate} Hz, ${info.channels} channel(s), ${info.bitsPerSample} bit`);
  }
  const start = dataStart(buf.subarray(0, 4096));
  return s16ToFloat(buf.subarray(start, start + info.dataBytes));
}

/** Samples [from, to) (in samples) as floats in [-1, 1]. */
export async function readSamples(wav: PcmWav, file: string, from: number, to: number): Promise<Float32Array> {
  const total = wav.dataBytes / 2;
  const a = Math.max(0, Math.min(total, Math.floor(from)));
  const b = Math.max(a, Math.min(total, Math.floor(to)));
  const bytes = Buffer.alloc((b - a) * 2);
  const fh = await fs.open(file, 'r');
  try {
    await fh.read(bytes, 0, bytes.length, wav.dataOffset + a * 2);
  } finally {
    await fh.close();
  }
  return s16ToFloat(bytes);
}

/**
 * Streams the whole file in blocks of `blockSec` seconds so an hour (115 MB of samples, 230 MB as floats) is
 * never held at once, and the event loop gets a turn between blocks (a worker must keep renewing its job lock).
 */
export async function* streamSamples(file: string, blockSec = 10): AsyncGenerator<Float32Array> {
  const wav = await openPcmWav(file);
  const fh = await fs.open(file, 'r');
  try {
    const blockBytes = blockSec * SAMPLE_RATE * 2;
    for (let pos = 0; pos < wav.dataBytes; pos += blockBytes) {
      const len = Math.min(blockBytes, wav.dataBytes - pos) & ~1;
      if (len === 0) break;
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, wav.dataOffset + pos);
      if (bytesRead === 0) break;
      yield s16ToFloat(buf.subarray(0, bytesRead & ~1));
    }
  } finally {
    await fh.close();
  }
}

export function s16ToFloat(bytes: Buffer): Float32Array {
  // Buffers from fs may start at any byte offset; Int16Array needs an even one.
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : Buffer.from(bytes);
  const ints = new Int16Array(aligned.buffer, aligned.byteOffset, aligned.length >> 1);
  const out = new Float32Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = ints[i] / 32768;
  return out;
}

/** A 16 kHz mono s16le WAV of `samples` (chunks handed to an engine that reads files). */
export function encodeWav(samples: Float32Array): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    data.writeInt16LE(Math.round(v < 0 ? v * 32768 : v * 32767), i * 2);
  }
  const head = Buffer.alloc(44);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8, 'latin1');
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(SAMPLE_RATE, 24);
  head.writeUInt32LE(SAMPLE_RATE * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36, 'latin1');
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}
