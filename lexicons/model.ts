/**
 * The trained tagger's weights (lexicons/model/tagger.json, written by scripts/train-tagger.ts): multi-label
 * logistic regression over hashed character n-grams and lexicon features, one output per category, per behaviour
 * and one for the speaker role. Loaded and checked once: the file's sha256 must equal the one lexicon.json names,
 * so a retrained model cannot ship under an unchanged lexicon version.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigurationError } from '../core/errors.ts';

export interface TaggerModel {
  version: string;
  sha256: string;
  featureBits: number;
  labels: string[];
  bias: Float64Array;
  /** Decision threshold per label (chosen by cross-validation on the training conversations). */
  thresholds: Float64Array;
  /** Feature id → offset of its weight row in `weights` (labels.length values), or -1. */
  rowOf(feature: number): number;
  /** Weight × weightScale, as integers: a row of 20 labels is one cache line, and scoring is bound by memory. */
  weights: Int16Array;
  weightScale: number;
  /** What the weights were trained on, for the docs and the analysis record. */
  trainedOn: { splits: string[]; conversations: number; utterances: number; extra?: string };
  /** Index of a label, or -1. */
  index(label: string): number;
}

export interface TaggerModelFile {
  format: 'tingjian-tagger';
  version: string;
  featureBits: number;
  labels: string[];
  /** Stored weights are integers: weight × weightScale. */
  weightScale: number;
  bias: number[];
  thresholds: number[];
  trainedOn: TaggerModel['trainedOn'];
  hyper: Record<string, number | string | boolean>;
  /** [featureId, labelIndex, weight × weightScale, labelIndex, …] per feature. */
  rows: number[][];
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const invalid = (path: string, problem: string) =>
  new ConfigurationError('lexicon_invalid', `模型文件无效 / invalid tagger model ${path}: ${problem} (retrain: npx tsx scripts/train-tagger.ts)`);

/** Reads, checks (hash, shape) and indexes the model file. */
export function readTaggerModel(path: string, expectedSha256: string): TaggerModel {
  if (!existsSync(path)) throw invalid(path, 'missing file');
  const text = readFileSync(path, 'utf8');
  const sha256 = sha256Of(text);
  if (sha256 !== expectedSha256) throw invalid(path, `sha256 ${sha256.slice(0, 12)}… differs from lexicon.json's ${expectedSha256.slice(0, 12)}…`);
  let doc: TaggerModelFile;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid(path, (err as Error).message);
  }
  const n = Array.isArray(doc.labels) ? doc.labels.length : 0;
  if (doc.format !== 'tingjian-tagger' || !n || !(doc.weightScale > 0) || doc.bias?.length !== n || doc.thresholds?.length !== n || !Array.isArray(doc.rows)) {
    throw invalid(path, 'expected format tingjian-tagger with labels, bias, thresholds and rows of equal length');
  }
  const table = new RowTable(doc.rows.length);
  const weights = new Int16Array(doc.rows.length * n);
  doc.rows.forEach((row, r) => {
    table.set(row[0], r * n);
    for (let k = 1; k + 1 < row.length; k += 2) {
      if (!(row[k] >= 0 && row[k] < n)) throw invalid(path, `row ${r} names label ${row[k]}`);
      weights[r * n + row[k]] = row[k + 1];
    }
  });
  const labelIndex = new Map(doc.labels.map((l, i) => [l, i]));
  return {
    version: doc.version,
    sha256,
    featureBits: doc.featureBits,
    labels: doc.labels,
    bias: Float64Array.from(doc.bias),
    thresholds: Float64Array.from(doc.thresholds),
    rowOf: (f) => table.get(f),
    weights,
    weightScale: doc.weightScale,
    trainedOn: doc.trainedOn,
    index: (label) => labelIndex.get(label) ?? -1,
  };
}

/**
 * Feature id → row offset, open addressing over typed arrays: scoring looks up every n-gram of every line, and a
 * Map of numbers cost a tenth of the whole analysis.
 */
class RowTable {
  /** [key, value] pairs side by side: one cache line per probe. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  constructor(size: number) {
    let cap = 1;
    while (cap < size * 2) cap <<= 1;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * 2).fill(-1);
  }
  set(key: number, value: number): void {
    let i = Math.imul(key, 0x9e3779b1) & this.mask;
    while (this.slots[2 * i] !== -1 && this.slots[2 * i] !== key) i = (i + 1) & this.mask;
    this.slots[2 * i] = key;
    this.slots[2 * i + 1] = value;
  }
  get(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = this.slots[2 * i];
      if (k === key) return this.slots[2 * i + 1];
      if (k === -1) return -1;
      i = (i + 1) & this.mask;
    }
  }
}

/** Logits of every label for a feature id list (ids are distinct). */
export function modelLogits(model: TaggerModel, features: readonly number[]): Float64Array {
  const n = model.labels.length;
  const z = new Float64Array(n);
  const w = model.weights;
  for (let j = 0; j < features.length; j++) {
    const off = model.rowOf(features[j]);
    if (off < 0) continue;
    for (let k = 0; k < n; k++) z[k] += w[off + k];
  }
  const scale = model.weightScale;
  for (let k = 0; k < n; k++) z[k] = z[k] / scale + model.bias[k];
  return z;
}
