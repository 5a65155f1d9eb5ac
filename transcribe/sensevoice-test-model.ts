import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../core/random.ts';
import { encodeOnnxModel } from './onnx-proto.ts';

/**
 * A tiny SenseVoice model with random (seeded) weights, in the form sherpa-onnx's offline recognizer loads (its
 * offline-sense-voice-model.cc and offline-recognizer-sense-voice-impl.h): inputs `x` [N, T, 560] (80 fbank bins
 * × LFR window 7, after CMVN), `x_length`, `language`, `text_norm` (int32); output CTC logits [N, T + 4, vocab], the
 * four extra frames being the language / emotion / event / text-norm prompt that SenseVoice prepends. Here the
 * prompt is the embedding of the language and text-norm ids, and the "encoder" is one linear layer. No real
 * weights can be downloaded in CI, so tests run the real sherpa-onnx runtime on this: its text is gibberish, but
 * loading, metadata, features, decoding, token times and every error path are real.
 */
export interface SenseVoiceTestModelOptions {
  seed?: number;
  /** Leave these metadata keys out (to test that a broken model is refused before sherpa-onnx sees it). */
  omitMetadata?: string[];
}

const FEAT_DIM = 80 * 7;
const N_PROMPT_IDS = 16;
/** Special tokens at the ids SenseVoice-Small uses for its prompt, then ordinary characters. */
const SPECIALS = ['<unk>', '<s>', '</s>', '<|zh|>', '<|en|>', '<|yue|>', '<|ja|>', '<|ko|>', '<|nospeech|>',
  '<|HAPPY|>', '<|NEUTRAL|>', '<|Speech|>', '<|BGM|>', '<|EMO_UNKNOWN|>', '<|withitn|>', '<|woitn|>'];
const TEXT = '您好我们这款产品的价格交货周期是两周明天上午把报价单发给王经理可以便宜点吗质量售后服务合同付款，。？';

function senseVoiceTestTokens(): string[] {
  return [...SPECIALS, ...new Set(TEXT)];
}

export function buildSenseVoiceTestModel(options: SenseVoiceTestModelOptions = {}): { model: Buffer; tokens: string } {
  const rand = mulberry32(options.seed ?? 20260717);
  const noise = (scale: number) => (rand() * 2 - 1) * scale;
  const tokens = senseVoiceTestTokens();
  const vocab = tokens.length;
  const embed = Float32Array.from({ length: N_PROMPT_IDS * FEAT_DIM }, () => noise(1));
  const weight = Float32Array.from({ length: FEAT_DIM * vocab }, () => noise(0.15));
  // A blank-leaning bias, as a trained CTC model has: most frames emit nothing, so the gibberish has a realistic
  // length instead of one character per 60 ms frame.
  const bias = Float32Array.from({ length: vocab }, (_, i) => (i === 0 ? 4 : noise(0.5)));
  const metadata: Record<string, string> = {
    model_type: 'sense_voice_ctc',
    comment: 'tingjian random-weight SenseVoice test model',
    vocab_size: String(vocab),
    blank_id: '0',
    lfr_window_size: '7',
    lfr_window_shift: '6',
    normalize_samples: '0',
    with_itn: '14',
    without_itn: '15',
    lang_auto: '0',
    lang_zh: '3',
    lang_en: '4',
    lang_yue: '5',
    lang_ja: '6',
    lang_ko: '7',
    // CMVN over log-mel fbank of int16-scaled samples (normalize_samples = 0): typical speech sits around 10 ± 4.
    neg_mean: Array.from({ length: FEAT_DIM }, () => '-10').join(','),
    inv_stddev: Array.from({ length: FEAT_DIM }, () => '0.25').join(','),
  };
  for (const key of options.omitMetadata ?? []) delete metadata[key];
  const model = encodeOnnxModel({
    opset: 17,
    producer: 'tingjian',
    metadata,
    inputs: [
      { name: 'x', type: 'float', shape: ['N', 'T', FEAT_DIM] },
      { name: 'x_length', type: 'int32', shape: ['N'] },
      { name: 'language', type: 'int32', shape: ['N'] },
      { name: 'text_norm', type: 'int32', shape: ['N'] },
    ],
    outputs: [{ name: 'logits', type: 'float', shape: ['N', 'T4', vocab] }],
    initializers: [
      { name: 'embed', type: 'float', dims: [N_PROMPT_IDS, FEAT_DIM], data: embed },
      { name: 'axis1', type: 'int64', dims: [1], data: BigInt64Array.from([1n]) },
      { name: 'weight', type: 'float', dims: [FEAT_DIM, vocab], data: weight },
      { name: 'bias', type: 'float', dims: [vocab], data: bias },
    ],
    nodes: [
      { op: 'Gather', inputs: ['embed', 'language'], outputs: ['lang_e'] },
      { op: 'Gather', inputs: ['embed', 'text_norm'], outputs: ['norm_e'] },
      { op: 'Unsqueeze', inputs: ['lang_e', 'axis1'], outputs: ['lang_p'] },
      { op: 'Unsqueeze', inputs: ['norm_e', 'axis1'], outputs: ['norm_p'] },
      { op: 'Concat', inputs: ['lang_p', 'lang_p', 'norm_p', 'norm_p', 'x'], outputs: ['h'], attributes: { axis: 1 } },
      { op: 'MatMul', inputs: ['h', 'weight'], outputs: ['proj'] },
      { op: 'Add', inputs: ['proj', 'bias'], outputs: ['logits'] },
    ],
  });
  return { model, tokens: tokens.map((t, i) => `${t} ${i}`).join('\n') + '\n' };
}

/** Writes model.onnx and tokens.txt into `dir` (the layout of sherpa-onnx's SenseVoice release folders). */
export function writeSenseVoiceTestModel(dir: string, options: SenseVoiceTestModelOptions = {}): { model: string; tokens: string } {
  const { model, tokens } = buildSenseVoiceTestModel(options);
  fs.mkdirSync(dir, { recursive: true });
  const modelPath = path.join(dir, 'model.onnx');
  const tokensPath = path.join(dir, 'tokens.txt');
  fs.writeFileSync(`${modelPath}.${process.pid}.tmp`, model);
  fs.renameSync(`${modelPath}.${process.pid}.tmp`, modelPath);
  fs.writeFileSync(tokensPath, tokens);
  return { model: modelPath, tokens: tokensPath };
}
