/**
 * The one place that initialises nodejieba. `nodejieba.load()` aborts the whole process when a dictionary path is
 * missing and rebuilds its tries on every call, so it runs at most once per process (with the first lexicon's user
 * dictionary); words of any other lexicon loaded later are added with `insertWord`, which is idempotent but takes
 * no frequency (nodejieba's binding), so a second lexicon's words get jieba's median weight and its demotions are
 * not applied. One process normally uses one lexicon; tests that load a temp copy get slightly different cuts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigurationError } from '../core/errors.ts';

type NodeJieba = typeof import('nodejieba');
const require = createRequire(import.meta.url);
const nodejieba: NodeJieba = require('nodejieba');

let loadedDict: string | null = null;
const insertedDicts = new Set<string>();

export function ensureJieba(userDictPath: string, words: readonly string[]): void {
  if (loadedDict === userDictPath || insertedDicts.has(userDictPath)) return;
  if (!existsSync(userDictPath)) {
    throw new ConfigurationError('lexicon_invalid', `jieba 用户词典不存在 / jieba user dictionary missing: ${userDictPath}`);
  }
  if (loadedDict === null) {
    nodejieba.load({ userDict: userDictPath });
    loadedDict = userDictPath;
    return;
  }
  for (const w of words) nodejieba.insertWord(w);
  insertedDicts.add(userDictPath);
}

/** Segment with HMM on (new words such as product names are still grouped). Call after `ensureJieba`. */
export function jiebaCut(text: string): string[] {
  if (loadedDict === null) {
    throw new ConfigurationError('lexicon_not_loaded', 'call loadLexicon() before segmenting / 请先加载词库');
  }
  return nodejieba.cut(text, true);
}
