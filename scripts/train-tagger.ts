/**
 * Trains the tagger model (lexicons/model/tagger.json) from the labelled corpus, deterministically: the same corpus,
 * lexicon and options give the same bytes. `npx tsx scripts/train-tagger.ts [--splits=train] [--check]`: the release
 * model is trained on train+dev (the default); `--splits=train` gives the model whose dev figures are reported.
 *
 * - Examples: every utterance of the chosen splits with its neighbours (analyze/tagger.ts lineFeatures), plus one
 *   speech-to-text-like copy of each conversation (fixtures/corpus/asr-noise.ts: no punctuation, 8 % homophones)
 *   with the same labels, so the weights also hold on engine output.
 * - Labels: the 12 categories (every line), 7 behaviours (rep lines only; `commitment` comes from the promise
 *   ledger, not from here) and `role:rep` (rep vs customer lines; third parties are left out).
 * - Model: one logistic regression per label over shared features, AdaGrad, L2, fixed example order.
 * - Thresholds: per label, the F1-best cut on out-of-fold probabilities (4 folds by conversation, clean copies).
 * - Writes the model, then points lexicons/lexicon.json at its sha256, bumping the lexicon version when it changed.
 * `--check` trains and fails if the result differs from the committed file (reproducibility).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../core/random.ts';
import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { CATEGORY_IDS } from '../core/categories.ts';
import { normalizeText } from '../analyze/normalize-text.ts';
import { lexiconViews } from '../analyze/lexicon-view.ts';
import { callLineFeatures, lineFeatures } from '../analyze/tagger.ts';
import { repairHomophones } from '../analyze/homophones.ts';
import { FEATURE_BITS } from '../analyze/features.ts';
import { DEFAULT_LEXICON_DIR, loadLexicon } from '../lexicons/index.ts';
import { sha256Of, type TaggerModelFile } from '../lexicons/model.ts';
import { readCorpus, type Conversation, type Split } from '../fixtures/corpus/corpus.ts';
import { hashString, noisyUtterance } from '../fixtures/corpus/asr-noise.ts';
import { HOLDOUT_SETS, readLabelled } from '../fixtures/labelled/score.ts';

const LABELS = [
  ...CATEGORY_IDS.map((c) => `cat:${c}`),
  ...BEHAVIOR_IDS.filter((b) => b !== 'commitment').map((b) => `beh:${b}`),
  'role:rep',
];
const HYPER = { epochs: 12, learningRate: 0.3, l2: 1e-3, folds: 4, noisyCopies: 1, minFeatureCount: 5 };
// Experiments: --hyper=l2:0.001,epochs:8 (the committed model uses the defaults above).
for (const kv of (process.argv.find((a) => a.startsWith('--hyper='))?.slice(8) ?? '').split(',').filter(Boolean)) {
  const [k, v] = kv.split(':');
  (HYPER as Record<string, number>)[k] = Number(v);
}

interface Example {
  conv: number;
  clean: boolean;
  features: number[];
  /** 1, 0, or -1 = not labelled for this example. */
  y: Int8Array;
}

/** The older per-utterance sets (fixtures/labelled/), as lines without neighbours. */
function labelledExamples(first: number): Example[] {
  const lexicon = loadLexicon(undefined, { model: false });
  const rows = (['utterances', ...HOLDOUT_SETS] as const).flatMap((name) => readLabelled(name));
  return rows.map((r, i) => {
    const text = normalizeText(r.text);
    const { views } = lexiconViews([text], lexicon);
    const y = new Int8Array(LABELS.length).fill(-1);
    LABELS.forEach((l, k) => {
      if (l.startsWith('cat:')) y[k] = r.categories.includes(l.slice(4) as never) ? 1 : 0;
      else if (l.startsWith('beh:') && r.speaker === 'rep') y[k] = r.behaviors.includes(l.slice(4) as never) ? 1 : 0;
    });
    y[LABELS.length - 1] = r.speaker === 'rep' ? 1 : 0;
    return { conv: first + (i % 97), clean: false, features: lineFeatures(text, views[0]), y };
  });
}

function examplesOf(convs: Conversation[], all: Conversation[]): Example[] {
  const lexicon = loadLexicon(undefined, { model: false });
  const out: Example[] = [];
  convs.forEach((c, ci) => {
    const versions: Array<{ clean: boolean; texts: string[]; spans?: Array<Array<[number, number]>>; shown?: string[] }> = [
      { clean: true, texts: c.utterances.map((u) => normalizeText(u.text)) },
    ];
    for (let k = 0; k < HYPER.noisyCopies; k++) {
      const rnd = mulberry32(hashString(`${c.id}#${k}`));
      const shown = c.utterances.map((u) => normalizeText(noisyUtterance(u.text, all, rnd)));
      const repaired = shown.map((t) => repairHomophones(t, lexicon));
      versions.push({ clean: false, texts: repaired.map((r) => r.text), spans: repaired.map((r) => r.spans), shown });
    }
    for (const v of versions) {
      const { views } = lexiconViews(v.texts, lexicon, v.spans, v.shown);
      c.utterances.forEach((u, i) => {
        if (!v.texts[i]) return;
        const y = new Int8Array(LABELS.length).fill(-1);
        CATEGORY_IDS.forEach((cat, k) => (y[k] = u.categories.includes(cat) ? 1 : 0));
        LABELS.forEach((l, k) => {
          if (l.startsWith('beh:') && u.speaker === 'rep') y[k] = u.behaviors.includes(l.slice(4) as never) ? 1 : 0;
        });
        if (u.speaker !== 'other') y[LABELS.length - 1] = u.speaker === 'rep' ? 1 : 0;
        out.push({ conv: ci, clean: v.clean, features: callLineFeatures(v.texts, views, i), y });
      });
    }
  });
  return out;
}

interface Weights {
  bias: Float64Array;
  w: Map<number, Float64Array>;
}

function train(examples: Example[]): Weights {
  const n = LABELS.length;
  const counts = new Map<number, number>();
  for (const e of examples) for (const f of e.features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const w = new Map<number, Float64Array>();
  const g2 = new Map<number, Float64Array>();
  for (const [f, c] of counts) if (c >= HYPER.minFeatureCount) (w.set(f, new Float64Array(n)), g2.set(f, new Float64Array(n).fill(1e-6)));
  const bias = new Float64Array(n);
  const bg2 = new Float64Array(n).fill(1e-6);
  for (let epoch = 0; epoch < HYPER.epochs; epoch++) {
    for (const e of examples) {
      const rows = e.features.filter((f) => w.has(f));
      for (let k = 0; k < n; k++) {
        if (e.y[k] < 0) continue;
        let z = bias[k];
        for (const f of rows) z += w.get(f)![k];
        const g = 1 / (1 + Math.exp(-z)) - e.y[k];
        bg2[k] += g * g;
        bias[k] -= (HYPER.learningRate * g) / Math.sqrt(bg2[k]);
        for (const f of rows) {
          const wf = w.get(f)!;
          const gf = g + HYPER.l2 * wf[k];
          const acc = g2.get(f)!;
          acc[k] += gf * gf;
          wf[k] -= (HYPER.learningRate * gf) / Math.sqrt(acc[k]);
        }
      }
    }
  }
  return { bias, w };
}

function predict(m: Weights, e: Example): Float64Array {
  const z = Float64Array.from(m.bias);
  for (const f of e.features) {
    const wf = m.w.get(f);
    if (wf) for (let k = 0; k < z.length; k++) z[k] += wf[k];
  }
  return z.map((v) => 1 / (1 + Math.exp(-v)));
}

/** Per label, the cut with the best F1 on out-of-fold predictions of the clean examples. */
function thresholds(examples: Example[], convCount: number): number[] {
  const oof: Array<{ p: Float64Array; y: Int8Array }> = [];
  for (let fold = 0; fold < HYPER.folds; fold++) {
    const m = train(examples.filter((e) => e.conv % HYPER.folds !== fold));
    for (const e of examples) if (e.clean && e.conv % HYPER.folds === fold) oof.push({ p: predict(m, e), y: e.y });
  }
  void convCount;
  return LABELS.map((_, k) => {
    let best = { t: 0.5, f1: -1 };
    for (let t = 0.15; t <= 0.851; t += 0.025) {
      let tp = 0, fp = 0, fn = 0;
      for (const o of oof) {
        if (o.y[k] < 0) continue;
        const hit = o.p[k] >= t;
        if (hit && o.y[k] === 1) tp++;
        else if (hit) fp++;
        else if (o.y[k] === 1) fn++;
      }
      const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
      if (f1 > best.f1 + 1e-9) best = { t: Math.round(t * 1000) / 1000, f1 };
    }
    return best.t;
  });
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
/** Weights are stored as integers in thousandths: a smaller file, and exactly what the loader's Int16 rows hold. */
const WEIGHT_SCALE = 1000;

function modelFile(m: Weights, th: number[], splits: Split[], convs: Conversation[], version: string): TaggerModelFile {
  const rows: number[][] = [];
  for (const f of [...m.w.keys()].sort((a, b) => a - b)) {
    const row: number[] = [f];
    m.w.get(f)!.forEach((v, k) => {
      const r = Math.max(-32767, Math.min(32767, Math.round(v * WEIGHT_SCALE)));
      if (Math.abs(r) >= 30) row.push(k, r);
    });
    if (row.length > 1) rows.push(row);
  }
  return {
    format: 'tingjian-tagger',
    version,
    featureBits: FEATURE_BITS,
    labels: LABELS,
    weightScale: WEIGHT_SCALE,
    bias: [...m.bias].map(round4),
    thresholds: th,
    trainedOn: { splits, conversations: convs.length, utterances: convs.reduce((n, c) => n + c.utterances.length, 0) },
    hyper: HYPER,
    rows,
  };
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const splits = (arg('splits') ?? 'train,dev').split(',') as Split[];
if (splits.includes('test')) throw new Error('the test split is never trained or tuned on');
const convs = readCorpus(splits);
const all = readCorpus(['train', 'dev', 'test']);
const withLabelled = !process.argv.includes('--without-labelled');
const examples = [...examplesOf(convs, all), ...(withLabelled ? labelledExamples(convs.length) : [])];
const th = thresholds(examples, convs.length);
const weights = train(examples);
const manifestPath = join(DEFAULT_LEXICON_DIR, 'lexicon.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const modelPath = join(DEFAULT_LEXICON_DIR, manifest.model?.path ?? 'model/tagger.json');
const body = (v: string) => JSON.stringify(modelFile(weights, th, splits, convs, v)) + '\n';
// The model's own version is the hash of its content without the version field, so retraining names itself.
const version = `m-${sha256Of(body('')).slice(0, 10)}`;
const text = body(version);
const sha = sha256Of(text);
if (process.argv.includes('--check')) {
  const committed = readFileSync(modelPath, 'utf8');
  if (committed !== text) throw new Error(`retraining gave ${sha.slice(0, 12)}…, committed ${sha256Of(committed).slice(0, 12)}…`);
  console.log(`model reproduces byte for byte: ${version}`);
} else {
  writeFileSync(modelPath, text);
  if (manifest.model?.sha256 !== sha) {
    const [day, n] = String(manifest.version).split('-');
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '.');
    manifest.version = day === today ? `${today}-${Number(n) + 1}` : `${today}-1`;
    manifest.model = { path: 'model/tagger.json', sha256: sha, version };
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  }
  console.log(`model ${version} (${examples.length} examples, ${weights.w.size} features, ${(text.length / 1e6).toFixed(2)} MB) · lexicon ${manifest.version}`);
  console.log('thresholds', LABELS.map((l, k) => `${l}=${th[k]}`).join(' '));
}
