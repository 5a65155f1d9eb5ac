import fs from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { InvalidInputError, TooLargeError } from '../core/errors.ts';

/**
 * A .xlsx is a zip archive. Before anything is inflated, its central directory says how big every part claims to
 * be: a 0.1 MB workbook that declares a 100 MB cell, or thousands of parts, is refused from those numbers alone.
 * `verifyZip` then inflates each part into nothing, counting, and fails the moment a part outgrows what it declared
 * (an archive that lies about its sizes), before the real reader holds any of it.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  maxUncompressedBytes: number;
  maxEntries?: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const notZip = () => new InvalidInputError('invalid_excel', '无法读取 Excel 文件，请上传 .xlsx 格式的销售日报 / not a readable .xlsx workbook');
const tooBig = (what: string) =>
  new TooLargeError('excel_too_large', `工作簿解压后过大（${what}），请拆分成多个文件 / the workbook is too large once unpacked (${what}): split it into smaller files`);

export async function zipEntries(file: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) { eocd = i; break; }
    if (eocd < 0) throw notZip();
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    // ZIP64 markers: a daily report never needs more than 4 GB or 65 535 parts.
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw tooBig('ZIP64');
    if (count > (limits.maxEntries ?? 500)) throw tooBig(`${count} 个部件 / parts`);
    if (cdOffset + cdSize > size) throw notZip();
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let total = 0;
    for (let at = 0, n = 0; n < count; n++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw notZip();
      const entry: ZipEntry = {
        method: cd.readUInt16LE(at + 10),
        compressedSize: cd.readUInt32LE(at + 20),
        size: cd.readUInt32LE(at + 24),
        name: cd.toString('utf8', at + 46, at + 46 + cd.readUInt16LE(at + 28)),
        localHeaderOffset: cd.readUInt32LE(at + 42),
      };
      if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw tooBig('ZIP64');
      total += entry.size;
      if (total > limits.maxUncompressedBytes) throw tooBig(`${Math.round(total / 1024 / 1024)} MB`);
      entries.push(entry);
      at += 46 + cd.readUInt16LE(at + 28) + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Inflates every part into a counter; `onData` sees the bytes of the parts it names (to count sheet rows). */
export async function verifyZip(file: string, entries: ZipEntry[], onData?: (entry: ZipEntry, chunk: Buffer) => void): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    for (const entry of entries) {
      const header = Buffer.alloc(30);
      await fh.read(header, 0, 30, entry.localHeaderOffset);
      if (header.readUInt32LE(0) !== LOCAL) throw notZip();
      const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (entry.compressedSize === 0) continue;
      let seen = 0;
      const counter = new Writable({
        write(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          if (seen > entry.size) return cb(tooBig(`${entry.name} 超过其声明大小 / larger than it declares`));
          onData?.(entry, chunk);
          cb();
        },
      });
      const raw = fs.createReadStream(file, { start, end: start + entry.compressedSize - 1 });
      if (entry.method === 0) await pipeline(raw, counter);
      else if (entry.method === 8) await pipeline(raw, zlib.createInflateRaw(), counter).catch((err) => {
        throw err instanceof TooLargeError ? err : notZip();
      });
      else throw notZip();
    }
  } finally {
    await fh.close();
  }
}
