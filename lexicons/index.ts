/**
 * Loads the lexicon (categories, behaviour rules, tagging rules, jieba user dictionary) from data files, validates
 * it, and makes sure nodejieba knows every domain term. Results are cached per directory; a broken lexicon throws
 * a `lexicon_invalid` ConfigurationError listing every problem so a bad edit never silently changes analysis.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../core/errors.ts';
import { BEHAVIOR_IDS, type BehaviorId } from '../core/behaviors.ts';
import { CATEGORY_IDS, CATEGORY_LABELS, type CategoryId } from '../core/categories.ts';
import { ensureJieba } from './jieba.ts';
import { readTaggerModel, type TaggerModel } from './model.ts';

export const DEFAULT_LEXICON_DIR = dirname(fileURLToPath(import.meta.url));

export interface CategoryLexicon {
  id: CategoryId;
  name: string;
  description: string;
  keywords: string[];
  /** Phrases that contain a keyword's characters but mean something else (价值观 is not 价). */
  guards: string[];
  /** Hits are dropped in a clause where the speaker says the topic is no concern (我们不担心质量). */
  dismissible: boolean;
  /** Regular expressions for open classes (amounts of money, model numbers); a match must start on a token. */
  patterns: RegExp[];
  /** Pattern hits are dropped in a clause that also has a hit of one of these categories (三十万 in a budget clause). */
  yieldTo: CategoryId[];
}

export interface BehaviorRule {
  id: BehaviorId;
  name: string;
  description: string;
  question: 'required' | 'forbidden' | 'any';
  requireDueTime: boolean;
  cues: string[];
  patterns: RegExp[];
  /** Every group must match; an item written as /…/ is a regular expression, anything else a phrase. */
  allOf: Array<Array<string | RegExp>>;
  exclude: string[];
}

export interface KeywordEntry {
  category: CategoryId;
  keyword: string;
}

export interface Lexicon {
  version: string;
  dir: string;
  userDictPath: string;
  /** Words of the jieba user dictionary (first column), without demoted entries. */
  userDictWords: string[];
  categories: CategoryLexicon[];
  behaviors: BehaviorRule[];
  dismissals: string[];
  clauseDelimiters: string;
  /** decision_chain titles that are only a form of address when used as one (王总，…; 老板您好). */
  addressTitles: string[];
  /** Time words and promise verbs that speech-to-text homophones are repaired to, besides the keywords and cues. */
  repairTerms: string[];
  /** The trained tagger (lexicons/model/), whose sha256 lexicon.json names. */
  model: TaggerModel;
  /** Lower-cased keyword → entry, for token-span lookup. */
  keywordIndex: Map<string, KeywordEntry>;
}

const cache = new Map<string, Lexicon>();

/**
 * Load and validate the lexicon in `dir` (default: this folder). Cached per resolved directory. `model: false` skips
 * the trained tagger, for the training script that is about to write it.
 */
export function loadLexicon(dir: string = DEFAULT_LEXICON_DIR, opts: { model?: boolean } = {}): Lexicon {
  const root = resolve(dir);
  const withModel = opts.model !== false;
  const key = withModel ? root : `${root}\u0000no-model`;
  const cached = cache.get(key);
  if (cached) return cached;
  const lexicon = readLexicon(root, withModel);
  ensureJieba(lexicon.userDictPath, lexicon.userDictWords);
  cache.set(key, lexicon);
  return lexicon;
}

function fail(root: string, problems: string[]): never {
  throw new ConfigurationError(
    'lexicon_invalid',
    `词库无效 / invalid lexicon at ${root}:\n- ${problems.join('\n- ')}`,
  );
}

function readJson(path: string, problems: string[]): any {
  if (!existsSync(path)) {
    problems.push(`missing file ${path}`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${path} is not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}

function stringList(value: unknown, where: string, problems: string[], allowEmpty = false): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push(`${where} must be an array of strings`);
    return [];
  }
  const list = value.map((v: string) => v.trim());
  if (!allowEmpty && list.length === 0) problems.push(`${where} is empty`);
  if (list.some((v) => v === '')) problems.push(`${where} contains an empty string`);
  const seen = new Set<string>();
  for (const v of list) {
    if (seen.has(v.toLowerCase())) problems.push(`${where} lists "${v}" twice`);
    seen.add(v.toLowerCase());
  }
  return list;
}

function readLexicon(root: string, withModel: boolean): Lexicon {
  const problems: string[] = [];
  if (!existsSync(root) || !statSync(root).isDirectory()) fail(root, [`lexicon directory does not exist`]);
  const manifest = readJson(join(root, 'lexicon.json'), problems);
  if (!manifest) fail(root, problems);
  if (typeof manifest.version !== 'string' || manifest.version.trim() === '') problems.push('lexicon.json: version must be a non-empty string');
  for (const key of ['userDict', 'categoriesDir', 'behaviors', 'tagging']) {
    if (typeof manifest[key] !== 'string') problems.push(`lexicon.json: "${key}" must be a relative path`);
  }
  if (problems.length) fail(root, problems);

  const userDictPath = join(root, manifest.userDict);
  const userDictWords = readUserDict(userDictPath, problems);
  const categories = readCategories(join(root, manifest.categoriesDir), problems);
  const behaviors = readBehaviors(join(root, manifest.behaviors), problems);
  const tagging = readJson(join(root, manifest.tagging), problems) ?? {};
  const dismissals = stringList(tagging.dismissals, `${manifest.tagging}: dismissals`, problems, true);
  const clauseDelimiters = typeof tagging.clauseDelimiters === 'string' ? tagging.clauseDelimiters : '，,。！!？?；;\n';
  const repairTerms = stringList(tagging.repairTerms ?? [], `${manifest.tagging}: repairTerms`, problems, true);
  const addressTitles = stringList(tagging.addressTitles ?? [], `${manifest.tagging}: addressTitles`, problems, true);
  if (withModel && (typeof manifest.model?.path !== 'string' || !/^[0-9a-f]{64}$/.test(manifest.model?.sha256 ?? ''))) {
    problems.push('lexicon.json: "model" must name { path, sha256, version } of the trained tagger (npx tsx scripts/train-tagger.ts)');
  }

  const keywordIndex = new Map<string, KeywordEntry>();
  const dictSet = new Set(userDictWords.map((w) => w.toLowerCase()));
  for (const cat of categories) {
    for (const keyword of cat.keywords) {
      const key = keyword.toLowerCase();
      const prior = keywordIndex.get(key);
      if (prior && prior.category !== cat.id) {
        problems.push(`keyword "${keyword}" is in both ${prior.category} and ${cat.id}`);
      }
      keywordIndex.set(key, { category: cat.id, keyword });
      // Multi-character Chinese keywords must be dictionary words, or jieba may split them and they never match.
      if (/[\u4e00-\u9fff]/.test(keyword) && keyword.length > 1 && userDictWords.length && !dictSet.has(key)) {
        problems.push(`keyword "${keyword}" (${cat.id}) is missing from the jieba user dictionary ${manifest.userDict} (run: npm run lexicon:dict)`);
      }
    }
  }
  if (problems.length) fail(root, problems);
  // Without the model (training only) any use of it fails loudly instead of analysing with no weights.
  const model = withModel ? readTaggerModel(join(root, manifest.model.path), manifest.model.sha256) : (undefined as unknown as TaggerModel);
  return {
    version: manifest.version.trim(),
    dir: root,
    userDictPath,
    userDictWords,
    categories,
    behaviors,
    dismissals,
    clauseDelimiters,
    repairTerms,
    addressTitles,
    model,
    keywordIndex,
  };
}

/** cppjieba reads every non-empty line as `word [freq] [tag]`, so the file may hold nothing else. */
function readUserDict(path: string, problems: string[]): string[] {
  if (!existsSync(path)) {
    problems.push(`missing jieba user dictionary ${path}`);
    return [];
  }
  const words: string[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      // cppjieba splits on single spaces only: "word", "word tag" or "word freq tag".
      const cols = line.replace(/\r$/, '').split(' ');
      if (!/^\S+( \S+)?( \S+)?$/.test(line.replace(/\r$/, '')) || (cols.length === 3 && !/^\d+$/.test(cols[1]))) {
        problems.push(`${path}:${i + 1}: expected "word [freq] [tag]", got "${line}"`);
        return;
      }
      // Demoted entries (frequency 1) only make sense with a frequency; insertWord would promote them instead.
      if (cols.length === 3 && Number(cols[1]) <= 1) return;
      words.push(cols[0]);
    });
  if (words.length === 0) problems.push(`jieba user dictionary ${path} is empty`);
  return words;
}

function readCategories(dir: string, problems: string[]): CategoryLexicon[] {
  if (!existsSync(dir)) {
    problems.push(`missing categories directory ${dir}`);
    return [];
  }
  const out: CategoryLexicon[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const data = readJson(join(dir, file), problems);
    if (!data) continue;
    const where = `categories/${file}`;
    if (!(CATEGORY_IDS as readonly string[]).includes(data.id)) {
      problems.push(`${where}: unknown category id "${data.id}" (allowed: ${CATEGORY_IDS.join(', ')})`);
      continue;
    }
    if (out.some((c) => c.id === data.id)) problems.push(`${where}: category ${data.id} defined twice`);
    if (data.name !== CATEGORY_LABELS[data.id as CategoryId]) {
      problems.push(`${where}: name must be "${CATEGORY_LABELS[data.id as CategoryId]}" (the documented name of ${data.id})`);
    }
    if (typeof data.description !== 'string' || !data.description) problems.push(`${where}: description missing`);
    out.push({
      id: data.id,
      name: data.name,
      description: data.description,
      keywords: stringList(data.keywords, `${where}: keywords`, problems),
      guards: stringList(data.guards ?? [], `${where}: guards`, problems, true),
      dismissible: data.dismissible === true,
      patterns: stringList(data.patterns ?? [], `${where}: patterns`, problems, true).flatMap((p) => {
        try {
          return [new RegExp(p, 'gi')];
        } catch (err) {
          problems.push(`${where}: bad pattern ${p}: ${(err as Error).message}`);
          return [];
        }
      }),
      yieldTo: stringList(data.yieldTo ?? [], `${where}: yieldTo`, problems, true).filter((id) => {
        const known = (CATEGORY_IDS as readonly string[]).includes(id);
        if (!known) problems.push(`${where}: yieldTo names unknown category "${id}"`);
        return known;
      }) as CategoryId[],
    });
  }
  for (const id of CATEGORY_IDS) {
    if (!out.some((c) => c.id === id)) problems.push(`category ${id} has no file in ${dir}`);
  }
  return out;
}

function readBehaviors(path: string, problems: string[]): BehaviorRule[] {
  const data = readJson(path, problems);
  if (!data) return [];
  if (!Array.isArray(data.behaviors)) {
    problems.push(`${path}: "behaviors" must be an array`);
    return [];
  }
  const out: BehaviorRule[] = [];
  for (const b of data.behaviors) {
    const where = `behaviors.json: ${b?.id}`;
    if (!(BEHAVIOR_IDS as readonly string[]).includes(b?.id)) {
      problems.push(`behaviors.json: unknown behaviour id "${b?.id}" (allowed: ${BEHAVIOR_IDS.join(', ')})`);
      continue;
    }
    if (out.some((r) => r.id === b.id)) problems.push(`${where} defined twice`);
    if (!['required', 'forbidden', 'any'].includes(b.question)) problems.push(`${where}: question must be required, forbidden or any`);
    const patterns: RegExp[] = [];
    for (const p of stringList(b.patterns ?? [], `${where}: patterns`, problems, true)) {
      try {
        patterns.push(new RegExp(p, 'i'));
      } catch (err) {
        problems.push(`${where}: bad pattern ${p}: ${(err as Error).message}`);
      }
    }
    const allOf = Array.isArray(b.allOf)
      ? b.allOf.map((g: unknown, i: number) =>
          stringList(g, `${where}: allOf[${i}]`, problems).map((item) => compileItem(item, `${where}: allOf[${i}]`, problems)),
        )
      : [];
    const cues = stringList(b.cues ?? [], `${where}: cues`, problems, true);
    for (const c of cues) compileItem(c, `${where}: cues`, problems);
    if (cues.length === 0 && patterns.length === 0 && allOf.length === 0) problems.push(`${where}: needs cues, patterns or allOf`);
    out.push({
      id: b.id,
      name: String(b.name ?? ''),
      description: String(b.description ?? ''),
      question: b.question,
      requireDueTime: b.requireDueTime === true,
      cues,
      patterns,
      allOf,
      exclude: stringList(b.exclude ?? [], `${where}: exclude`, problems, true),
    });
  }
  for (const id of BEHAVIOR_IDS) {
    if (!out.some((r) => r.id === id)) problems.push(`behaviour ${id} has no rule in ${path}`);
  }
  return out;
}

function compileItem(item: string, where: string, problems: string[]): string | RegExp {
  if (item.startsWith('#') && !(CATEGORY_IDS as readonly string[]).includes(item.slice(1))) {
    problems.push(`${where}: "${item}" names an unknown category`);
  }
  if (item.length < 3 || !item.startsWith('/') || !item.endsWith('/')) return item;
  try {
    return new RegExp(item.slice(1, -1), 'i');
  } catch (err) {
    problems.push(`${where}: bad pattern ${item}: ${(err as Error).message}`);
    return item;
  }
}
