import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.ts';
import { ConfigurationError } from '../core/errors.ts';
import { newSecretKey, SecretBox } from '../core/secret-box.ts';

/**
 * The key that seals secrets at rest, from TINGJIAN_SECRET_KEY. A shared Postgres needs the same key in every
 * process, so it must come from the environment; the embedded database (one process, one machine) gets a key file
 * of its own beside the data folder on first start, readable by its owner only.
 */
export function loadSecretBox(config: Pick<Config, 'TINGJIAN_SECRET_KEY' | 'DATABASE_URL' | 'PGLITE_DIR'>): SecretBox {
  if (config.TINGJIAN_SECRET_KEY) return new SecretBox(config.TINGJIAN_SECRET_KEY);
  if (config.DATABASE_URL) {
    throw new ConfigurationError(
      'secret_key_missing',
      '缺少 TINGJIAN_SECRET_KEY：webhook 密钥等敏感数据需用它加密保存。用 `npx tingjian secret-key` 生成一个，在所有进程中设置同一个值。 / ' +
        'TINGJIAN_SECRET_KEY is not set: secrets are stored encrypted with it. Generate one with `npx tingjian secret-key` and set the same value for every process.',
    );
  }
  if (config.PGLITE_DIR.startsWith('memory://')) return new SecretBox(newSecretKey());
  const file = `${path.resolve(config.PGLITE_DIR)}.secret.key`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, newSecretKey() + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return new SecretBox(fs.readFileSync(file, 'utf8').trim());
}
