/**
 * Regenerates the jieba user dictionary: the hand-kept domain terms plus every multi-character keyword, so keywords
 * segment whole, plus demotions. Run after editing categories: `npm run lexicon:dict`.
 *
 * Every line carries a frequency. A user word without one gets cppjieba's median weight, which is far below common
 * words such as 合同 or 价格 and makes jieba prefer rare neighbours (合同里 → 进合/同里); so each word keeps at least
 * its frequency from jieba's main dictionary, and never less than MIN_FREQ. Words in jieba/demote.txt are dictionary
 * words that swallow a keyword in sales talk (价格比 in 价格比我预期的高) and get frequency 1.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DEFAULT_LEXICON_DIR } from './index.ts';

const MIN_FREQ = 2000;
const require = createRequire(import.meta.url);
const nodejieba = require('nodejieba') as { DEFAULT_DICT: string };

const mainFreq = new Map<string, { freq: number; tag: string }>();
for (const line of readFileSync(nodejieba.DEFAULT_DICT, 'utf8').split('\n')) {
  const [word, freq, tag] = line.split(' ');
  if (word && freq) mainFreq.set(word, { freq: Number(freq), tag: tag ?? 'n' });
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

const dir = process.argv[2] ?? DEFAULT_LEXICON_DIR;
const manifest = JSON.parse(readFileSync(join(dir, 'lexicon.json'), 'utf8'));
const words = new Set<string>(lines(join(dir, 'jieba', 'domain-terms.txt')));
const catDir = join(dir, manifest.categoriesDir);
for (const file of readdirSync(catDir).filter((f) => f.endsWith('.json')).sort()) {
  const cat = JSON.parse(readFileSync(join(catDir, file), 'utf8'));
  for (const k of cat.keywords as string[]) if (k.length > 1 && !/\s/.test(k)) words.add(k);
}
const demoted = lines(join(dir, 'jieba', 'demote.txt'));
const out: string[] = [];
for (const w of words) {
  const known = mainFreq.get(w);
  out.push(`${w} ${Math.max(known?.freq ?? 0, MIN_FREQ)} ${known?.tag ?? 'n'}`);
}
for (const w of demoted) {
  if (words.has(w)) throw new Error(`${w} is both a keyword/domain term and demoted`);
  out.push(`${w} 1 ${mainFreq.get(w)?.tag ?? 'x'}`);
}
writeFileSync(join(dir, manifest.userDict), out.join('\n') + '\n');
console.log(`写入 ${out.length} 个词 / wrote ${out.length} entries to ${manifest.userDict}`);
