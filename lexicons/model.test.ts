import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { CATEGORY_IDS } from '../core/categories.ts';
import { DEFAULT_LEXICON_DIR, loadLexicon } from './index.ts';
import { modelLogits, readTaggerModel, sha256Of } from './model.ts';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
const manifest = JSON.parse(readFileSync(join(DEFAULT_LEXICON_DIR, 'lexicon.json'), 'utf8'));
const modelPath = join(DEFAULT_LEXICON_DIR, manifest.model.path);

describe('the tagger model', () => {
  it('is the file lexicon.json names, with a label per category, per behaviour but commitment, and the role', () => {
    const m = loadLexicon().model;
    expect(m.sha256).toBe(manifest.model.sha256);
    expect(m.version).toBe(manifest.model.version);
    expect(m.labels).toEqual([...CATEGORY_IDS.map((c) => `cat:${c}`), ...BEHAVIOR_IDS.filter((b) => b !== 'commitment').map((b) => `beh:${b}`), 'role:rep']);
    expect(m.trainedOn.splits).not.toContain('test');
    for (const t of m.thresholds) expect(t).toBeGreaterThan(0);
  });

  it('refuses a model whose bytes differ from the sha256 in lexicon.json (a retrain must bump the lexicon)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-model-'));
    temps.push(dir);
    cpSync(DEFAULT_LEXICON_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    const path = join(dir, manifest.model.path);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.bias[0] += 1;
    writeFileSync(path, JSON.stringify(doc) + '\n');
    expect(() => loadLexicon(dir)).toThrow(/sha256/);
    const broken = JSON.stringify({ ...doc, thresholds: [] }) + '\n';
    writeFileSync(path, broken);
    expect(() => readTaggerModel(path, sha256Of(broken))).toThrow(/tingjian-tagger/);
  });

  it('gives the logits of bias plus the weights of the features present, each counted once', () => {
    const m = loadLexicon().model;
    const k = m.index('role:rep');
    expect(modelLogits(m, [])[k]).toBeCloseTo(m.bias[k], 10);
    const someFeature = JSON.parse(readFileSync(modelPath, 'utf8')).rows.find((r: number[]) => r.includes(k, 1))[0];
    const z = modelLogits(m, [someFeature])[k];
    expect(z).not.toBeCloseTo(m.bias[k], 6);
  });
});
