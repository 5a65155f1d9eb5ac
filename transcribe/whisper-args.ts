/** Initial prompt: whisper copies the script and punctuation style of its prompt, and defaults to unpunctuated
 * (often traditional) Chinese without one. */
export const DEFAULT_PROMPT = '以下是一段普通话的销售拜访对话，使用简体中文，并带有标点符号。';

export interface WhisperArgsOptions {
  model: string;
  wavPath: string;
  /** Output path without extension; whisper.cpp appends `.json`. */
  outBase: string;
  threads: number;
  language?: string;
  prompt?: string;
}

/**
 * The whisper.cpp v1.5.0 `main` command line. Pure: tests assert it exactly. `-ojf` writes the full JSON (it
 * implies `-oj`) with per-token probabilities for segment confidence; `-pp` prints progress to stderr.
 */
export function whisperArgs(o: WhisperArgsOptions): string[] {
  return [
    '-m', o.model,
    '-f', o.wavPath,
    '-l', o.language ?? 'zh',
    '-t', String(o.threads),
    '--prompt', o.prompt ?? DEFAULT_PROMPT,
    '-ojf',
    '-of', o.outBase,
    '-pp',
  ];
}

/** Model load plus a multiple of real time (large models on a small CPU run slower than real time). */
export function whisperTimeoutMs(durationSec: number, factor: number): number {
  return Math.round(60_000 + durationSec * factor * 1000);
}
