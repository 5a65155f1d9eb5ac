import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigurationError } from './errors.ts';

const PREFIX = 'enc:v1:';

/**
 * Seals secrets we must be able to read back (webhook signing secrets, the DingTalk 加签 secret, transcripts before
 * redaction) with AES-256-GCM under a key derived from TINGJIAN_SECRET_KEY. A database dump without the key shows
 * none of them; GCM's tag makes a tampered value fail to open instead of decrypting to garbage.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('secret key must be at least 32 characters');
    // HKDF turns any long random string (hex, base64, a passphrase) into exactly 32 key bytes.
    this.key = Buffer.from(hkdfSync('sha256', secret, 'tingjian', 'secret-box v1', 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  open(sealed: string): string {
    if (!isSealed(sealed)) throw new Error('not a sealed value');
    const [iv, tag, body] = sealed.slice(PREFIX.length).split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  /** Values written before encryption existed are read as they are; `sealLegacy` at start-up re-writes them. */
  openOrPlain(value: string): string {
    return isSealed(value) ? this.open(value) : value;
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** A fresh key for `TINGJIAN_SECRET_KEY` (printed by `tingjian secret-key`, written for embedded mode). */
export function newSecretKey(): string {
  return randomBytes(32).toString('base64url');
}

/** For repositories built without a key (CLI reads, unit fakes): reaching a secret then is a configuration error. */
export function requireBox(box: SecretBox | undefined): SecretBox {
  if (!box) throw new ConfigurationError('secret_key_missing', '此操作需要 TINGJIAN_SECRET_KEY / this needs TINGJIAN_SECRET_KEY');
  return box;
}
