import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Segment } from '../analyze/types.ts';
import { loadConfig } from '../core/config.ts';
import { buildConversation } from '../fixtures/audio/conversations.ts';
import { testModelPath } from '../fixtures/audio/index.ts';
import { transcribeChunked, type ChunkProgress, type ChunkResult } from './chunked-transcribe.ts';
import { createTranscriber } from './create-transcriber.ts';
import { encodeWav } from './pcm.ts';
import { padRegions, overlapSec } from './regions.ts';
import type { TranscribeOptions, Transcriber, TranscriptionResult } from './transcriber.ts';
import { ensureWhisperBinary } from './whisper-binary.ts';

// The real whisper.cpp binary with the synthetic model and the real Silero VAD, on a conversation of two real
// voices with a 25 s silence in the middle.
let tmp: string;
let wav: string;
let durationSec: number;
let whisper: Transcriber;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-chunked-test-'));
  const conv = buildConversation({ speakers: ['aishell3-SSB0073', 'aishell3-SSB0005'], turnsEach: 8, seed: 11, longSilenceSec: 25 });
  wav = path.join(tmp, 'visit.wav');
  fs.writeFileSync(wav, encodeWav(conv.samples));
  durationSec = conv.durationSec;
  await ensureWhisperBinary({ log: (m) => console.error(m) });
  whisper = createTranscriber(loadConfig({ WHISPER_MODEL: testModelPath(), TINGJIAN_CACHE_DIR: path.join(tmp, 'cache'), WHISPER_THREADS: '1' }));
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The engine, counting the chunks it is asked to recognize. */
function counting(inner: Transcriber): Transcriber & { calls: number } {
  return {
    engine: inner.engine,
    model: inner.model,
    calls: 0,
    transcribe(file: string, opts: TranscribeOptions) {
      this.calls++;
      return inner.transcribe(file, opts);
    },
  };
}

describe('transcribeChunked', () => {
  it('sends only speech in ≤ 30 s chunks, maps times back, labels voices and reports progress per chunk', async () => {
    const progress: ChunkProgress[] = [];
    const res = await transcribeChunked(wav, whisper, { onChunk: (_, p) => void progress.push(p) });
    expect(res.engine).toBe('whisper.cpp');
    expect(res.chunks).toBeGreaterThanOrEqual(2);
    expect(res.transcribedSec).toBeLessThan(durationSec - 20);
    expect(res.vad.regions.length).toBeGreaterThan(5);
    expect(progress.map((p) => p.chunksDone)).toEqual(Array.from({ length: res.chunks }, (_, i) => i + 1));
    expect(progress.at(-1)).toMatchObject({ percent: 100, etaSec: 0 });
    expect(res.segments.length).toBeGreaterThan(0);
    const speech = padRegions(res.vad.regions, 0.2, durationSec);
    for (const s of res.segments) {
      expect(s.end!).toBeGreaterThanOrEqual(s.start!);
      expect(overlapSec(speech, s.start!, s.end!)).toBeGreaterThan(0);
      expect(['S1', 'S2']).toContain(s.voice);
    }
    expect(new Set(res.voices.map((v) => v.voice))).toEqual(new Set(['S1', 'S2']));
  }, 120_000);

  it('resumes after an interruption: finished chunks are not recognized again and the transcript is the same', async () => {
    const whole = await transcribeChunked(wav, whisper);
    const stored: ChunkResult[] = [];
    const first = counting(whisper);
    const stop = new AbortController();
    const interrupted = await transcribeChunked(wav, first, {
      signal: stop.signal,
      onChunk: (r) => {
        stored.push(r);
        stop.abort();
      },
    }).catch((e: Error) => e);
    expect(interrupted).toBeInstanceOf(Error);
    expect(stored).toHaveLength(1);
    const second = counting(whisper);
    const resumed = await transcribeChunked(wav, second, { done: stored });
    expect(first.calls + second.calls).toBe(whole.chunks);
    expect(resumed.segments).toEqual(whole.segments);
  }, 120_000);

  it('guards the result: text outside speech and silence phrases are dropped and counted in warnings', async () => {
    const invented: Transcriber = {
      engine: 'test',
      model: 'canned',
      // Stands in for an engine that hallucinates: the real models cannot be made to on demand.
      async transcribe(_file: string, opts: TranscribeOptions): Promise<TranscriptionResult> {
        const segments: Segment[] = [
          { start: 0, end: Math.min(2, opts.durationSec), speaker: 'unknown', text: '您好，王经理。' },
          { start: 0, end: Math.min(1, opts.durationSec), speaker: 'unknown', text: '字幕由Amara.org社区提供' },
        ];
        return { segments, engine: 'test', model: 'canned', elapsedMs: 1 };
      },
    };
    const res = await transcribeChunked(wav, invented);
    expect(res.segments.every((s) => s.text === '您好，王经理。')).toBe(true);
    expect(res.drops.filter((d) => d.kind === 'silence_phrase')).toHaveLength(res.chunks);
    expect(res.warnings.join()).toMatch(new RegExp(`已删除 ${res.chunks} 处`));
  }, 60_000);
});
