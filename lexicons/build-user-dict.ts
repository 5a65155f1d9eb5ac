/**
 * Regenerates the jieba user dictionary from the hand-kept domain terms plus every multi-character keyword, so
 * keywords always segment whole. Run after editing categories: `npm run lexicon:dict`.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LEXICON_DIR } from './index.ts';

const dir = process.argv[2] ?? DEFAULT_LEXICON_DIR;
const manifest = JSON.parse(readFileSync(join(dir, 'lexicon.json'), 'utf8'));
const words = new Set<string>();
for (const line of readFileSync(join(dir, 'jieba', 'domain-terms.txt'), 'utf8').split('\n')) {
  if (line.trim()) words.add(line.trim());
}
const catDir = join(dir, manifest.categoriesDir);
for (const file of readdirSync(catDir).filter((f) => f.endsWith('.json')).sort()) {
  const cat = JSON.parse(readFileSync(join(catDir, file), 'utf8'));
  for (const k of cat.keywords as string[]) if (k.length > 1 && !/\s/.test(k)) words.add(k);
}
writeFileSync(join(dir, manifest.userDict), [...words].join('\n') + '\n');
console.log(`写入 ${words.size} 个词 / wrote ${words.size} words to ${manifest.userDict}`);
