import path from 'node:path';
import { normalizeText } from '../analyze/normalize-text.ts';
import type { Segment } from '../analyze/types.ts';
import { planChunks, toOriginalTime, type Chunk } from './chunk-plan.ts';
import { SAMPLE_RATE, openPcmWav, readSamples } from './pcm.ts';
import { checkSenseVoiceModel } from './sensevoice-model.ts';
import { sherpaOnnx } from './sherpa.ts';
import type { TranscribeOptions, Transcriber, TranscriptionResult } from './transcriber.ts';
import { detectSpeech } from './vad.ts';
import type { OfflineRecognizer, OfflineRecognizerResult } from 'sherpa-onnx-node';

export interface SenseVoiceOptions {
  /** model.onnx or model.int8.onnx; tokens.txt beside it. */
  model: string;
  threads: number;
}

/** SenseVoice attends over its whole input: longer audio goes through the VAD and is decoded chunk by chunk. */
const MAX_INPUT_SEC = 30;
/** A pause this long between two tokens starts a new segment, as a sentence-ending mark does. */
const SEGMENT_GAP_SEC = 0.8;
const SENTENCE_END = /[。？！?!；;]$/;

/**
 * SenseVoice-Small through sherpa-onnx's offline recognizer, in process (the runtime is an npm package, no binary
 * to build), decoding on libuv's thread pool so the event loop stays free. The model is checked before sherpa-onnx
 * loads it, because sherpa-onnx ends the process on a bad model instead of throwing.
 */
export class SenseVoiceTranscriber implements Transcriber {
  readonly engine = 'sensevoice';
  readonly model: string;
  private recognizer: Promise<OfflineRecognizer> | undefined;
  private language = '';

  constructor(private readonly opts: SenseVoiceOptions) {
    this.model = path.basename(opts.model);
  }

  async transcribe(wavPath: string, opts: TranscribeOptions): Promise<TranscriptionResult> {
    const started = performance.now();
    const recognizer = await this.load(opts.language ?? 'zh');
    const wav = await openPcmWav(wavPath);
    const windows: Chunk[] =
      wav.durationSec <= MAX_INPUT_SEC
        ? [{ index: 0, start: 0, end: wav.durationSec, durationSec: wav.durationSec, pieces: [{ at: 0, from: 0, length: wav.durationSec }] }]
        : planChunks((await detectSpeech(wavPath)).regions, { durationSec: wav.durationSec, maxChunkSec: MAX_INPUT_SEC });
    const segments: Segment[] = [];
    for (const [i, w] of windows.entries()) {
      opts.signal?.throwIfAborted();
      const parts = await Promise.all(
        w.pieces.map((p) => readSamples(wav, wavPath, p.from * SAMPLE_RATE, (p.from + p.length) * SAMPLE_RATE)),
      );
      const samples = concat(parts);
      const stream = recognizer.createStream();
      stream.acceptWaveform({ samples, sampleRate: SAMPLE_RATE });
      const result = await recognizer.decodeAsync(stream);
      for (const s of toSegments(result, w.durationSec)) {
        segments.push({
          ...s,
          start: toOriginalTime(w, s.start!, 'start'),
          end: Math.min(opts.durationSec, toOriginalTime(w, s.end!, 'end')),
          speaker: opts.speaker ?? 'unknown',
        });
      }
      opts.onProgress?.(Math.round(((i + 1) / windows.length) * 100));
    }
    return { segments, engine: this.engine, model: this.model, elapsedMs: performance.now() - started };
  }

  private load(language: string): Promise<OfflineRecognizer> {
    // The language is part of the recognizer's config: a call in another language loads a recognizer for it.
    if (this.recognizer && language === this.language) return this.recognizer;
    const tokens = checkSenseVoiceModel(this.opts.model);
    this.language = language;
    this.recognizer = sherpaOnnx().OfflineRecognizer.createAsync({
      featConfig: { sampleRate: SAMPLE_RATE, featureDim: 80 },
      modelConfig: {
        senseVoice: { model: this.opts.model, language, useInverseTextNormalization: 1 },
        tokens,
        numThreads: this.opts.threads,
        debug: 0,
      },
      decodingMethod: 'greedy_search',
    });
    return this.recognizer;
  }
}

/**
 * Tokens with their times → segments in the window's time: a segment ends at sentence-ending punctuation or at a
 * pause between tokens. Prompt tokens (<|zh|>, <|NEUTRAL|> …) are dropped; ▁ is SentencePiece's word space.
 */
export function toSegments(result: OfflineRecognizerResult, durationSec: number): Segment[] {
  const out: Segment[] = [];
  let text = '';
  let start = 0;
  let last = 0;
  const flush = (end: number) => {
    const t = normalizeText(text);
    if (t) out.push({ start: round(start), end: round(Math.min(durationSec, Math.max(end, start))), speaker: 'unknown', text: t });
    text = '';
  };
  result.tokens.forEach((token, i) => {
    if (/^<\|.*\|>$/.test(token)) return;
    const t = result.timestamps[i] ?? last;
    if (text && t - last >= SEGMENT_GAP_SEC) flush(last + 0.2);
    if (!text) start = t;
    text += token.replace(/▁/g, ' ');
    last = t;
    if (SENTENCE_END.test(token)) flush(Math.min(result.timestamps[i + 1] ?? Infinity, t + 0.3));
  });
  if (text) flush(Math.min(durationSec, last + 0.4));
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
