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
  /** Feature id → offset of its weight row in `weights` (labels.length values). */
  rows: Map<number, number>;
  weights: Float32Array;
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
  bias: number[];
  thresholds: number[];
  trainedOn: TaggerModel['trainedOn'];
  hyper: Record<string, number | string | boolean>;
  /** [featureId, labelIndex, weight, labelIndex, weight, …] per feature; weights rounded to 1e-4. */
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
  if (doc.format !== 'tingjian-tagger' || !n || doc.bias?.length !== n || doc.thresholds?.length !== n || !Array.isArray(doc.rows)) {
    throw invalid(path, 'expected format tingjian-tagger with labels, bias, thresholds and rows of equal length');
  }
  const rows = new Map<number, number>();
  const weights = new Float32Array(doc.rows.length * n);
  doc.rows.forEach((row, r) => {
    rows.set(row[0], r * n);
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
    rows,
    weights,
    trainedOn: doc.trainedOn,
    index: (label) => labelIndex.get(label) ?? -1,
  };
}

/** Logits of every label for a feature id list. */
export function modelLogits(model: TaggerModel, features: readonly number[]): Float64Array {
  const n = model.labels.length;
  const z = Float64Array.from(model.bias);
  const w = model.weights;
  for (const f of features) {
    const off = model.rows.get(f);
    if (off === undefined) continue;
    for (let k = 0; k < n; k++) z[k] += w[off + k];
  }
  return z;
}
