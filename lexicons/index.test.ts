import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { CATEGORY_IDS } from '../core/categories.ts';
import { DEFAULT_LEXICON_DIR, loadLexicon } from './index.ts';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the real lexicon in a temp dir, edited by `mutate`. */
function brokenCopy(mutate: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'tingjian-lexicon-'));
  temps.push(dir);
  cpSync(DEFAULT_LEXICON_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  mutate(dir);
  return dir;
}

function editJson(path: string, edit: (data: any) => void) {
  const data = JSON.parse(readFileSync(path, 'utf8'));
  edit(data);
  writeFileSync(path, JSON.stringify(data));
}

function loadError(dir: string): { code: string; message: string } {
  try {
    loadLexicon(dir);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected loadLexicon to fail');
}

describe('loadLexicon', () => {
  it('loads the shipped lexicon: 12 categories with ≥30 keywords, 8 behaviours, a version', () => {
    const lex = loadLexicon();
    expect(lex.version).toMatch(/^\d{4}\.\d{2}\.\d{2}-\d+$/);
    expect(lex.categories.map((c) => c.id).sort()).toEqual([...CATEGORY_IDS].sort());
    for (const c of lex.categories) {
      expect(c.keywords.length, c.id).toBeGreaterThanOrEqual(30);
      expect(c.name).toMatch(/[\u4e00-\u9fff]/);
      expect(c.description.length).toBeGreaterThan(5);
    }
    expect(lex.behaviors.map((b) => b.id).sort()).toEqual([...BEHAVIOR_IDS].sort());
    for (const term of ['交货周期', '承兑汇票', '等保三级', '营业执照']) expect(lex.userDictWords).toContain(term);
  });

  it('caches per directory', () => {
    expect(loadLexicon()).toBe(loadLexicon(DEFAULT_LEXICON_DIR + '/'));
  });

  it('loads a valid copy from another directory (jieba stays loaded once; words are inserted)', () => {
    const dir = brokenCopy(() => {});
    const lex = loadLexicon(dir);
    expect(lex).not.toBe(loadLexicon());
    expect(lex.version).toBe(loadLexicon().version);
  });

  it('rejects an unknown category id', () => {
    const dir = brokenCopy((d) => editJson(join(d, 'categories', 'budget.json'), (j) => (j.id = 'budgets')));
    const err = loadError(dir);
    expect(err.code).toBe('lexicon_invalid');
    expect(err.message).toContain('unknown category id "budgets"');
    expect(err.message).toContain('category budget has no file');
  });

  it('rejects a category name other than the documented one', () => {
    const dir = brokenCopy((d) => editJson(join(d, 'categories', 'budget.json'), (j) => (j.name = '预算')));
    expect(loadError(dir).message).toContain('categories/budget.json: name must be "预算范围"');
  });

  it('rejects an unknown behaviour id', () => {
    const dir = brokenCopy((d) => editJson(join(d, 'behaviors.json'), (j) => (j.behaviors[0].id = 'probing')));
    expect(loadError(dir).message).toContain('unknown behaviour id "probing"');
  });

  it('rejects a keyword listed twice in one category and one shared by two categories', () => {
    const dir = brokenCopy((d) => {
      editJson(join(d, 'categories', 'budget.json'), (j) => j.keywords.push('经费'));
      editJson(join(d, 'categories', 'after_sales.json'), (j) => j.keywords.push('价格'));
    });
    const { message } = loadError(dir);
    expect(message).toContain('keywords lists "经费" twice');
    expect(message).toContain('keyword "价格" is in both after_sales and price_sensitivity');
  });

  it('rejects an empty keyword list', () => {
    const dir = brokenCopy((d) => editJson(join(d, 'categories', 'competitor.json'), (j) => (j.keywords = [])));
    expect(loadError(dir).message).toContain('categories/competitor.json: keywords is empty');
  });

  it('rejects a missing jieba user dictionary without aborting the process', () => {
    const dir = brokenCopy((d) => rmSync(join(d, 'jieba', 'user.dict.utf8')));
    expect(loadError(dir).message).toContain('missing jieba user dictionary');
  });

  it('rejects a keyword that the user dictionary does not contain', () => {
    const dir = brokenCopy((d) => editJson(join(d, 'categories', 'budget.json'), (j) => j.keywords.push('预算批复')));
    expect(loadError(dir).message).toContain('keyword "预算批复" (budget) is missing from the jieba user dictionary');
  });

  it('rejects a bad regular expression and an unknown #category in a behaviour rule', () => {
    const dir = brokenCopy((d) =>
      editJson(join(d, 'behaviors.json'), (j) => {
        j.behaviors[0].patterns = ['(unclosed'];
        j.behaviors[0].cues.push('#pricing');
      }),
    );
    const { message } = loadError(dir);
    expect(message).toContain('bad pattern (unclosed');
    expect(message).toContain('"#pricing" names an unknown category');
  });

  it('rejects a missing directory', () => {
    expect(loadError(join(tmpdir(), 'no-such-lexicon-dir')).message).toContain('lexicon directory does not exist');
  });
});
