import type { MultipartFile } from '@fastify/multipart';
import { pipeline, Transform, type Readable } from 'node:stream';
import { InvalidInputError, TooLargeError } from '../core/errors.ts';

/**
 * The file stream of a multipart part, failing once it passes the size limit. @fastify/multipart only truncates
 * an oversized file (the 413 comes after the part has been read to its end), so a consumer that stores the stream
 * would keep the truncated copy; destroying the stream at the limit makes every store abort and clean up instead.
 */
export function limitedFile(part: MultipartFile, limitBytes: number): Readable {
  const guard = new Transform({
    transform: (chunk, _enc, cb) => cb(null, chunk),
    // busboy marks the file truncated before it ends it: failing the last step keeps every store from completing.
    flush: (cb) => cb(part.file.truncated ? tooLarge(limitBytes) : null),
  });
  // pipeline, not pipe: the part may already be errored when it is handed over (a truncated body), and pipeline
  // carries that error to whoever reads the guard; the consumer sees every error there, so none is handled here.
  return pipeline(part.file, guard, () => {});
}

const tooLarge = (limit: number) => new TooLargeError('file_too_large', `文件超过上限 ${limit} 字节 / the file exceeds the ${limit}-byte limit`);

/** File names are data, but a control character (NUL above all) cannot be stored or shown: refuse them at the door. */
export function fileNameOf(part: MultipartFile, fallback: string): string {
  const name = part.filename || fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    part.file.resume();
    throw new InvalidInputError('invalid_file_name', '文件名含有控制字符，请重命名后再上传 / the file name contains control characters: rename the file and upload it again');
  }
  return name.slice(0, 255);
}
