import { mulberry32 } from '../core/random.ts';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A tiny whisper model with random (seeded) weights in the ggml file format that whisper.cpp v1.5.0 loads
 * (layout from its models/convert-pt-to-ggml.py and `whisper_model_load`). No real weights can be downloaded in CI,
 * so tests and the audio bench run the real `main` binary on this file: its text is gibberish, but segments, times,
 * token probabilities and every error path are real.
 */
export interface TestModelOptions {
  seed?: number;
  /** Audio and text state width (the loader asserts both are equal). */
  state?: number;
  /** whisper.cpp 1.5.0 crashes with a single head; two work. */
  heads?: number;
  layers?: number;
  textCtx?: number;
}

const GGML_MAGIC = 0x67676d6c;
/** Multilingual vocabulary size: `whisper_is_multilingual` needs >= 51865, and `-l zh` needs the language tokens. */
const N_VOCAB = 51865;
/** The loader sizes conv biases and positional embeddings from this; whisper.cpp's encoder assumes 1500. */
const N_AUDIO_CTX = 1500;
const N_MELS = 80;
const N_FFT_BINS = 201;
/** Regular (non-special) tokens in the multilingual tokenizer; specials are synthesized by the loader. */
const N_TEXT_TOKENS = 50257;

export function writeTestModel(outPath: string, options: TestModelOptions = {}): { path: string; bytes: number } {
  const buf = buildTestModel(options);
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, buf);
  fs.renameSync(tmp, outPath);
  return { path: outPath, bytes: buf.length };
}

export function buildTestModel(options: TestModelOptions = {}): Buffer {
  const { seed = 20261130, state = 8, heads = 2, layers = 1, textCtx = 64 } = options;
  if (state % heads !== 0) throw new Error(`state (${state}) must be divisible by heads (${heads})`);
  const w = new Writer();
  const rand = mulberry32(seed);
  const noise = (scale: number) => (rand() * 2 - 1) * scale;

  w.i32(GGML_MAGIC);
  for (const v of [N_VOCAB, N_AUDIO_CTX, state, heads, layers, textCtx, state, heads, layers, N_MELS, 1]) w.i32(v);

  w.i32(N_MELS);
  w.i32(N_FFT_BINS);
  w.f32s(melFilters());

  const vocab = gpt2OrderVocab();
  w.i32(vocab.length);
  for (const token of vocab) {
    w.i32(token.length);
    w.bytes(token);
  }

  const f32 = (name: string, ne: number[], fill: () => number) => w.tensor(name, ne, 0, fill);
  const f16 = (name: string, ne: number[], fill: () => number) => w.tensor(name, ne, 1, fill);
  const weight = () => noise(0.5);
  const one = () => 1 + noise(0.1);
  const small = () => noise(0.05);

  f32('encoder.positional_embedding', [state, N_AUDIO_CTX], small);
  f16('encoder.conv1.weight', [3, N_MELS, state], weight);
  f32('encoder.conv1.bias', [1, state], small);
  f16('encoder.conv2.weight', [3, state, state], weight);
  f32('encoder.conv2.bias', [1, state], small);
  f32('encoder.ln_post.weight', [state], one);
  f32('encoder.ln_post.bias', [state], small);
  for (let i = 0; i < layers; i++) blockTensors(`encoder.blocks.${i}.`, false);

  f32('decoder.positional_embedding', [state, textCtx], small);
  // Large token embeddings make the random decoder confident: whisper.cpp then takes no temperature fallbacks
  // (five extra decodes per window otherwise), which keeps tests and the hour-long bench fast.
  f16('decoder.token_embedding.weight', [state, N_VOCAB], () => noise(6));
  f32('decoder.ln.weight', [state], one);
  f32('decoder.ln.bias', [state], small);
  for (let i = 0; i < layers; i++) blockTensors(`decoder.blocks.${i}.`, true);

  return w.toBuffer();

  function blockTensors(prefix: string, cross: boolean): void {
    f32(`${prefix}mlp_ln.weight`, [state], one);
    f32(`${prefix}mlp_ln.bias`, [state], small);
    f16(`${prefix}mlp.0.weight`, [state, 4 * state], weight);
    f32(`${prefix}mlp.0.bias`, [4 * state], small);
    f16(`${prefix}mlp.2.weight`, [4 * state, state], weight);
    f32(`${prefix}mlp.2.bias`, [state], small);
    for (const attn of cross ? ['attn', 'cross_attn'] : ['attn']) {
      f32(`${prefix}${attn}_ln.weight`, [state], one);
      f32(`${prefix}${attn}_ln.bias`, [state], small);
      f16(`${prefix}${attn}.query.weight`, [state, state], weight);
      f32(`${prefix}${attn}.query.bias`, [state], small);
      f16(`${prefix}${attn}.key.weight`, [state, state], weight);
      f16(`${prefix}${attn}.value.weight`, [state, state], weight);
      f32(`${prefix}${attn}.value.bias`, [state], small);
      f16(`${prefix}${attn}.out.weight`, [state, state], weight);
      f32(`${prefix}${attn}.out.bias`, [state], small);
    }
  }
}

/**
 * Token byte strings in GPT-2 id order: ids 0..255 are the single bytes in `bytes_to_unicode` order (so id 220 is
 * the space, which whisper.cpp looks up by value), then CJK characters and character pairs so that the gibberish
 * decodes to valid UTF-8 Chinese — including traditional characters, which exercises our conversion.
 */
function gpt2OrderVocab(): Buffer[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const rest: number[] = [];
  for (let b = 0; b < 256; b++) if (!printable.includes(b)) rest.push(b);
  const tokens = [...printable, ...rest].map((b) => Buffer.from([b]));

  const CJK_FIRST = 0x4e00;
  const CJK_COUNT = 0x9fa5 - CJK_FIRST + 1;
  const punctuation = ['，', '。', '？', '！', '、', '：', '；'];
  for (const p of punctuation) tokens.push(Buffer.from(p, 'utf8'));
  for (let k = 0; k < CJK_COUNT; k++) tokens.push(Buffer.from(String.fromCharCode(CJK_FIRST + k), 'utf8'));
  // Two-character tokens, all distinct: (j mod N, (7919 j + floor(j / N)) mod N) is injective for j < N².
  for (let j = 0; tokens.length < N_TEXT_TOKENS - 1; j++) {
    const a = j % CJK_COUNT;
    const b = (j * 7919 + Math.floor(j / CJK_COUNT)) % CJK_COUNT;
    tokens.push(Buffer.from(String.fromCharCode(CJK_FIRST + a, CJK_FIRST + b), 'utf8'));
  }
  // The real multilingual tokenizer has an empty token at 50256 (noted in whisper.cpp's loader).
  tokens.push(Buffer.alloc(0));
  return tokens;
}

/** Triangular filters on the mel scale over the 201 FFT bins of a 400-sample window at 16 kHz. */
function melFilters(): Float32Array {
  const out = new Float32Array(N_MELS * N_FFT_BINS);
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const points = Array.from({ length: N_MELS + 2 }, (_, i) => hz((mel(8000) * i) / (N_MELS + 1)));
  for (let m = 0; m < N_MELS; m++) {
    const [lo, mid, hi] = [points[m], points[m + 1], points[m + 2]];
    for (let k = 0; k < N_FFT_BINS; k++) {
      const f = (k * 8000) / (N_FFT_BINS - 1);
      const v = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      out[m * N_FFT_BINS + k] = (v * 2) / (hi - lo);
    }
  }
  return out;
}


function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = bits & 0x7fffff;
  if (exp <= 0) return sign; // the weights here never underflow to a meaningful subnormal
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

class Writer {
  private chunks: Buffer[] = [];

  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v | 0);
    this.chunks.push(b);
  }

  bytes(b: Buffer): void {
    this.chunks.push(b);
  }

  f32s(values: Float32Array): void {
    this.chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  }

  /** ggml tensor record: n_dims, name length, type (0 f32, 1 f16), dims innermost first, name, data. */
  tensor(name: string, ne: number[], type: 0 | 1, fill: () => number): void {
    const nameBytes = Buffer.from(name, 'utf8');
    this.i32(ne.length);
    this.i32(nameBytes.length);
    this.i32(type);
    for (const d of ne) this.i32(d);
    this.bytes(nameBytes);
    const n = ne.reduce((a, b) => a * b, 1);
    const data = Buffer.alloc(n * (type === 0 ? 4 : 2));
    for (let i = 0; i < n; i++) {
      if (type === 0) data.writeFloatLE(fill(), i * 4);
      else data.writeUInt16LE(toHalf(fill()), i * 2);
    }
    this.chunks.push(data);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
