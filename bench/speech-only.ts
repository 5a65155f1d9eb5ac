/**
 * Speech-only pipeline vs whole-file whisper on the same hour, same model, same threads, in one run (part of
 * `npm run bench:audio`). The hour is built from real voices (shared/audio-real/voices): two-speaker conversations
 * with conversational pauses of 0.2–0.6 s and a 12 s silence each, about 30 % silence in all. The model has whisper
 * base's sizes with random weights (`transcribe/test-model.ts`): its words are gibberish, its compute per window is
 * base's. Ratios are taken in CPU time (this process and its whisper.cpp children), which another job's load on a
 * shared machine moves far less than wall clock; wall clock is printed beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildConversation, voiceClips } from '../fixtures/audio/conversations.ts';
import { transcribeChunked } from '../transcribe/chunked-transcribe.ts';
import { encodeWav } from '../transcribe/pcm.ts';
import { writeTestModel } from '../transcribe/test-model.ts';
import { WhisperCppTranscriber } from '../transcribe/whisper.transcriber.ts';

export interface SpeechOnlyBenchOptions {
  seconds: number;
  threads: number;
  cacheDir: string;
  /** A real ggml model instead of the base-sized random one. */
  model?: string;
}

/**
 * whisper base's encoder and decoder (512 wide, 8 heads, 6 layers), so a 30 s window costs what base's does. The
 * text context is cut from 448 to 64: a random decoder never ends a window by itself — it writes the maximum number
 * of tokens over silence as over speech, with beam search and temperature fallbacks — which would make decoding,
 * not the audio, decide the time (a trained model writes few tokens where nobody speaks).
 */
const BASE_SIZES = { state: 512, heads: 8, layers: 6, textCtx: 64 };

export async function benchSpeechOnly(o: SpeechOnlyBenchOptions): Promise<void> {
  const { file, silenceShare } = buildHour(o.seconds, o.cacheDir);
  const model = o.model ?? baseSizedModel(o.cacheDir);
  const transcriber = new WhisperCppTranscriber({ model, threads: o.threads, timeoutFactor: 20 });
  const durationSec = fs.statSync(file).size / 32000;
  console.log(`\nspeech-only vs whole file — ${(durationSec / 60).toFixed(0)} min of real voices, ${(silenceShare * 100).toFixed(0)} % silence, model ${path.basename(model)}${o.model ? '' : ' (base sizes, random weights)'}, ${o.threads} thread(s)`);
  console.error('转写整段 / whole file through whisper.cpp …');
  const c0 = cpuSec();
  const t0 = performance.now();
  const whole = await transcriber.transcribe(file, { durationSec });
  const wholeMs = performance.now() - t0;
  const wholeCpu = cpuSec() - c0;
  console.error('只转写语音 / speech-only chunks …');
  const c1 = cpuSec();
  const t1 = performance.now();
  const chunked = await transcribeChunked(file, transcriber);
  const chunkedMs = performance.now() - t1;
  const chunkedCpu = cpuSec() - c1;

  const ours = chunkedMs - chunked.engineMs - chunked.vadMs - chunked.voicesMs;
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1).padStart(7)} s`;
  console.log(`  whole file     ${s(wholeMs)}   RTF ${(wholeMs / 1000 / durationSec).toFixed(3)}   ${whole.segments.length} segments`);
  console.log(`  speech-only    ${s(chunkedMs)}   RTF ${(chunkedMs / 1000 / durationSec).toFixed(3)}   ${chunked.segments.length} segments, ${chunked.chunks} chunks, ${(chunked.transcribedSec / 60).toFixed(1)} min sent to the engine`);
  const speedup = wholeCpu / chunkedCpu;
  console.log(`  CPU time: whole file ${wholeCpu.toFixed(1)} s, speech-only ${chunkedCpu.toFixed(1)} s (this process and its engine processes)`);
  console.log(`  speed-up ${speedup.toFixed(2)}× in CPU time, ${(wholeMs / chunkedMs).toFixed(2)}× in wall clock (target ≥ 1.3×: ${speedup >= 1.3 ? 'met' : 'NOT met'})`);
  console.log(`  audio sent to the engine: ${pct(chunked.transcribedSec / durationSec)} of the file (speech plus 0.2 s either side of each region)`);
  const side = (chunked.vadMs + chunked.voicesMs) / chunked.engineMs;
  console.log(`  VAD ${s(chunked.vadMs)} + voice labelling ${s(chunked.voicesMs)} = ${pct(side)} of transcription (target < 5 %: ${side < 0.05 ? 'met' : 'NOT met'})`);
  const overhead = ours / chunked.engineMs;
  console.log(`  our code around the engine (chunk WAVs, mapping, guard, voices attached): ${s(ours)} = ${pct(overhead)} of engine time (target < 5 %: ${overhead < 0.05 ? 'met' : 'NOT met'})`);
  console.log(`  guard: ${chunked.drops.length} drop(s); voices found: ${new Set(chunked.voices.map((v) => v.voice)).size}`);
}

/**
 * CPU seconds of this process plus its finished children (whisper.cpp runs): on a machine shared with other work,
 * wall clock swings with their load, CPU time much less. Children's times are fields 16–17 of /proc/self/stat, in
 * clock ticks (100 per second on Linux).
 */
function cpuSec(): number {
  const own = process.cpuUsage();
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const children = (Number(fields[13]) + Number(fields[14])) / 100;
  return (own.user + own.system) / 1e6 + children;
}

function baseSizedModel(cacheDir: string): string {
  const file = path.join(cacheDir, 'ggml-base-sized-random-ctx64.bin');
  if (!fs.existsSync(file)) writeTestModel(file, BASE_SIZES);
  return file;
}

/** Conversations of every pair of speakers in turn until the hour is full, cached as a 16 kHz mono WAV. */
function buildHour(seconds: number, cacheDir: string): { file: string; silenceShare: number } {
  const file = path.join(cacheDir, `visit-voices-${seconds}s.wav`);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta)) return { file, silenceShare: JSON.parse(fs.readFileSync(meta, 'utf8')).silenceShare };
  const speakers = [...new Set(voiceClips().map((c) => c.speaker))];
  const pairs = speakers.flatMap((a, i) => speakers.slice(i + 1).map((b) => [a, b]));
  const parts: Float32Array[] = [];
  let length = 0;
  let speech = 0;
  for (let i = 0; length < seconds * 16000; i++) {
    const conv = buildConversation({ speakers: pairs[i % pairs.length], turnsEach: 8, seed: 1000 + i, longSilenceSec: 12, pauseSec: [0.2, 0.6] });
    parts.push(conv.samples);
    length += conv.samples.length;
    speech += conv.truth.reduce((sum, t) => sum + t.end - t.start, 0);
  }
  const all = new Float32Array(seconds * 16000);
  let at = 0;
  for (const p of parts) {
    all.set(p.subarray(0, Math.min(p.length, all.length - at)), at);
    at += p.length;
    if (at >= all.length) break;
  }
  const silenceShare = 1 - Math.min(speech, seconds) / (length / 16000);
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(`${file}.tmp`, encodeWav(all));
  fs.renameSync(`${file}.tmp`, file);
  fs.writeFileSync(meta, JSON.stringify({ silenceShare }));
  return { file, silenceShare };
}
