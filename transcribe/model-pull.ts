import fs from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../core/errors.ts';
import { downloadVerified, hashFile, type PullOptions, type PullResult } from './download.ts';
import { MODEL_CATALOG, MODEL_NAMES, modelsDir, type ModelName } from './models.ts';
import { SENSEVOICE_NAME, pullSenseVoice } from './sensevoice-model.ts';

export type { PullOptions, PullResult } from './download.ts';

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as string[]).includes(name);
}

/**
 * Downloads a ggml model from the whisper.cpp model host (or WHISPER_MODEL_BASE_URL, e.g. a mirror) into the
 * models folder, verifying its SHA-1 before it replaces anything: a cut or tampered download never becomes the
 * model the transcriber picks up.
 */
export async function pullModel(name: string, opts: PullOptions): Promise<PullResult> {
  if (name === SENSEVOICE_NAME) return pullSenseVoice(opts);
  if (!isModelName(name)) {
    throw new InvalidInputError('unknown_model', `未知模型 "${name}"，可选：${[...MODEL_NAMES, SENSEVOICE_NAME].join(', ')}。Unknown model.`);
  }
  const { file, sha1 } = MODEL_CATALOG[name];
  const dir = modelsDir(opts.config);
  const dest = path.join(dir, file);
  if (fs.existsSync(dest) && (await hashFile(dest)) === sha1) {
    return { path: dest, bytes: fs.statSync(dest).size, checksum: `sha1:${sha1}`, alreadyPresent: true };
  }

  const url = `${opts.config.WHISPER_MODEL_BASE_URL.replace(/\/+$/, '')}/${file}`;
  const { bytes } = await downloadVerified(url, dest, {
    ...opts,
    algorithm: 'sha1',
    digest: sha1,
    hint: { baseUrlVar: 'WHISPER_MODEL_BASE_URL', mirror: 'https://hf-mirror.com/ggerganov/whisper.cpp/resolve/main', fileVar: 'WHISPER_MODEL' },
  });
  return { path: dest, bytes, checksum: `sha1:${sha1}`, alreadyPresent: false };
}

