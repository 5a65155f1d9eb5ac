import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, DependencyUnavailableError } from '../core/errors.ts';
import { runProcess, stderrTail } from './run-process.ts';
import type { TranscribeOptions, Transcriber, TranscriptionResult } from './transcriber.ts';
import { whisperArgs, whisperTimeoutMs } from './whisper-args.ts';
import { ensureWhisperBinary } from './whisper-binary.ts';
import { parseWhisperJson } from './whisper-json.ts';

export interface WhisperCppOptions {
  model: string;
  binOverride?: string;
  threads: number;
  timeoutFactor: number;
  log?: (message: string) => void;
}

/** whisper.cpp's `main` run as a child process per file (execFile-style argument array, no shell, a timeout). */
export class WhisperCppTranscriber implements Transcriber {
  readonly engine = 'whisper.cpp';
  readonly model: string;

  constructor(private readonly opts: WhisperCppOptions) {
    this.model = opts.model;
  }

  async transcribe(wavPath: string, opts: TranscribeOptions): Promise<TranscriptionResult> {
    const bin = await ensureWhisperBinary({ binOverride: this.opts.binOverride, log: this.opts.log });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tingjian-whisper-'));
    try {
      const outBase = path.join(dir, 'out');
      const args = whisperArgs({
        model: this.opts.model,
        wavPath,
        outBase,
        threads: this.opts.threads,
        language: opts.language,
        prompt: opts.prompt,
      });
      const timeoutMs = opts.timeoutMs ?? whisperTimeoutMs(opts.durationSec, this.opts.timeoutFactor);
      const res = await runProcess(bin, args, {
        timeoutMs,
        signal: opts.signal,
        onStderrLine: (line) => {
          const m = opts.onProgress && /progress\s*=\s*(\d+)%/.exec(line);
          if (m) opts.onProgress!(Number(m[1]));
        },
      });
      if (res.timedOut) {
        throw new DependencyUnavailableError(
          'transcribe_timeout',
          `语音识别超时（${Math.round(timeoutMs / 1000)} 秒）。请换用更小的模型（npx tingjian model pull small），` +
            `或调大 WHISPER_TIMEOUT_FACTOR。Transcription timed out; use a smaller model or raise WHISPER_TIMEOUT_FACTOR.`,
        );
      }
      if (res.signal) throw new Error(`whisper.cpp was killed by ${res.signal}`);
      if (res.code !== 0) throw this.failure(res.stderr, res.code);
      // whisper.cpp runs a model file cut off before its tensors as an "empty model for testing", with
      // uninitialized weights and exit code 0: a truncated download must not produce a transcript.
      if (/no tensors loaded/.test(res.stderr)) throw this.failure(res.stderr, res.code);
      const json = await fs.readFile(`${outBase}.json`).catch(() => null);
      // main prints its usage and exits 0 on an unknown flag, so a missing JSON is a failure too.
      if (!json) throw new Error(`whisper.cpp wrote no JSON output: ${stderrTail(res.stderr)}`);
      return {
        segments: parseWhisperJson(json, { durationSec: opts.durationSec, speaker: opts.speaker, keepSilencePhrases: opts.keepSilencePhrases }),
        engine: this.engine,
        model: path.basename(this.opts.model),
        elapsedMs: res.elapsedMs,
      };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  private failure(stderr: string, code: number | null): Error {
    if (/failed to (load model|initialize whisper context)|no tensors loaded|invalid model|bad magic|wrong (size|shape)|map::at/i.test(stderr)) {
      return new ConfigurationError(
        'bad_model',
        `模型文件无法加载（${path.basename(this.opts.model)}）：${stderrTail(stderr, 2)}。请重新下载：npx tingjian model pull small。` +
          ` The model file could not be loaded; download it again.`,
      );
    }
    return new Error(`whisper.cpp exited with code ${code}: ${stderrTail(stderr, 3)}`);
  }
}
