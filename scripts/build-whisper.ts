/**
 * postinstall / `npm run build:whisper`: compiles whisper.cpp's `main` into .cache/whisper so the first audio
 * analysis does not pay for it. A failure here does not fail `npm ci` (transcripts work without whisper); the
 * first audio file then retries the build and reports the error with what to install.
 */
import { errorInfo } from '../core/errors.ts';
import { ensureWhisperBinary } from '../transcribe/whisper-binary.ts';

if (process.env.TINGJIAN_SKIP_WHISPER_BUILD === '1') {
  console.error('TINGJIAN_SKIP_WHISPER_BUILD=1: whisper.cpp will be built on first use.');
} else {
  try {
    const bin = await ensureWhisperBinary({ log: (m) => console.error(m) });
    console.error(`whisper.cpp main: ${bin}`);
  } catch (err) {
    const { code, message } = errorInfo(err);
    console.error(`[${code}] ${message}`);
    process.exitCode = process.argv.includes('--strict') ? 1 : 0;
  }
}
