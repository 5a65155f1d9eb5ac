/**
 * `npm run bench:analyze`: throughput of the full analysis stage (decode → parse → normalize → speaker roles →
 * jieba → tagging → behaviours → commitments → metrics) against bare `nodejieba.cut` (HMM on, same user dictionary)
 * over the same ~5 MB of utterance text, side by side in one process, in CPU time. Target: full ≥ 0.5× bare.
 * Also the load time of the trained tagger (lexicons/model/), target < 1 s.
 * Env: BENCH_MB (default 5), BENCH_ROUNDS (default 3; rates are totals over all rounds).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadLexicon } from '../lexicons/index.ts';
import { readTaggerModel } from '../lexicons/model.ts';
import { decodeText } from '../analyze/decode-text.ts';
import { parseTranscript } from '../analyze/transcript-parse.ts';
import { analyzeCall } from '../analyze/analyze-call.ts';

const require = createRequire(import.meta.url);
const nodejieba: typeof import('nodejieba') = require('nodejieba');

const targetBytes = Number(process.env.BENCH_MB ?? 5) * 1024 * 1024;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = join(import.meta.dirname, '..', 'fixtures', 'transcripts');

const files = readdirSync(dir)
  .filter((f) => /\.(txt|srt|vtt|json)$/.test(f))
  .map((name) => {
    const bytes = readFileSync(join(dir, name));
    const utterances = parseTranscript(name, decodeText(bytes).text).map((s) => s.text);
    return { name, bytes, utterances, textBytes: utterances.reduce((a, u) => a + Buffer.byteLength(u), 0) };
  });
// Repeat the fixture files until the utterance text reaches the target size.
const corpus: typeof files = [];
let textBytes = 0;
while (textBytes < targetBytes) {
  for (const f of files) {
    corpus.push(f);
    textBytes += f.textBytes;
    if (textBytes >= targetBytes) break;
  }
}
const mb = textBytes / 1024 / 1024;
const utteranceCount = corpus.reduce((a, f) => a + f.utterances.length, 0);

// The trained tagger alone, as analysis loads it (issue 11: under a second).
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'lexicons', 'lexicon.json'), 'utf8'));
const loadStart = performance.now();
const model = readTaggerModel(join(import.meta.dirname, '..', 'lexicons', manifest.model.path), manifest.model.sha256);
const modelLoadMs = performance.now() - loadStart;
const lexicon = loadLexicon(); // loads jieba with the user dictionary for both sides
const now = new Date('2026-03-02T10:00:00+08:00');
// Warm-up, untimed: one pass over every distinct fixture on both sides, so the JIT has compiled both paths.
for (const f of files) {
  nodejieba.cut(f.utterances.join('\n'), true);
  analyzeCall(parseTranscript(f.name, decodeText(f.bytes).text), { now, lexicon });
}

/** CPU time (user + system) of this process in ms: unlike wall time, it does not count waiting for a busy CPU. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Both sides run per transcript, alternating, so that load from other processes on a shared machine hits them
 * alike, and both are measured in CPU time. Bare: one nodejieba.cut over the file's utterances joined by newlines (its fastest use: the analysis
 * segments the same way, see tokenizeAll). Full: the file's bytes through decode, parse and
 * analyzeCall (whose segmentation is the same nodejieba.cut on the same utterances).
 */
function round(): { bare: number; full: number } {
  let bare = 0;
  let full = 0;
  let words = 0;
  for (const f of corpus) {
    let t = cpuMs();
    words += nodejieba.cut(f.utterances.join('\n'), true).length;
    bare += cpuMs() - t;
    t = cpuMs();
    const a = analyzeCall(parseTranscript(f.name, decodeText(f.bytes).text), { now, lexicon });
    full += cpuMs() - t;
    if (a.segments.length !== f.utterances.length) throw new Error(`${f.name}: analyzed ${a.segments.length} of ${f.utterances.length}`);
  }
  if (words === 0) throw new Error('no words');
  return { bare, full };
}

console.log(`语料 / corpus: ${mb.toFixed(2)} MB of utterance text, ${utteranceCount} utterances, ${corpus.length} transcripts`);
// Totals over all rounds: both sides saw the same machine load, so their ratio is the figure that matters.
let totalBare = 0;
let totalFull = 0;
for (let r = 1; r <= rounds; r++) {
  const { bare: b, full: f } = round();
  totalBare += b;
  totalFull += f;
  console.log(
    `round ${r}: nodejieba.cut ${(mb / (b / 1000)).toFixed(2)} MB/s · full analysis ${(mb / (f / 1000)).toFixed(2)} MB/s · ratio ${(b / f).toFixed(2)}×`,
  );
}
const bareRate = (mb * rounds) / (totalBare / 1000);
const fullRate = (mb * rounds) / (totalFull / 1000);
const ratio = fullRate / bareRate;
console.log(`nodejieba.cut (bare):   ${bareRate.toFixed(2)} MB/s`);
console.log(`full analysis:          ${fullRate.toFixed(2)} MB/s`);
console.log(`ratio full/bare:        ${ratio.toFixed(2)}× (target ≥ 0.50×) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
console.log(`tagger model ${model.version} load: ${modelLoadMs.toFixed(0)} ms (target < 1000 ms) ${modelLoadMs < 1000 ? 'OK' : 'OVER TARGET'}`);
process.exitCode = ratio >= 0.5 && modelLoadMs < 1000 ? 0 : 1;
