import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering the README describes, checked on every import of production code (type-only imports too: they tie
 * two files' meanings together). A folder may import its own layer or lower ones; leads/service is a layer of its
 * own above leads/. Tests, fixtures, bench and scripts sit outside the layers and may import anything, but nothing
 * in a layer may import them.
 */
const LAYERS: string[][] = [
  ['core'],
  ['lexicons'],
  ['analyze'],
  ['patterns', 'leads'],
  ['db'],
  ['ingest'],
  ['transcribe'],
  ['leads/service', 'report'],
  ['workers'],
  ['api'],
  ['cli'],
];
const OUTSIDE = new Set(['fixtures', 'bench', 'scripts', '.']);
const root = import.meta.dirname;

const isTest = (f: string) => /\.(test|int\.test|browser\.test)\.ts$|testing\.ts$|test-helpers\.ts$/.test(f);
const folderOf = (f: string) => {
  const parts = f.split('/');
  if (parts.length === 1) return '.';
  return parts[0] === 'leads' && parts[1] === 'service' && parts.length > 2 ? 'leads/service' : parts[0];
};
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

function productionGraph(): Map<string, string[]> {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !isTest(f) && !f.endsWith('.d.ts') && !OUTSIDE.has(folderOf(f)));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  const graph = productionGraph();

  it('finds the production files and their imports, and would see a cycle', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('workers/ports.ts')).toContain('leads/service/ports.ts');
    const looped = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('puts every production folder in a layer', () => {
    const unplaced = [...new Set([...graph.keys()].map(folderOf))].filter((f) => layerOf(f) < 0);
    expect(unplaced).toEqual([]);
  });

  it('imports only from the same layer or a lower one, and never from fixtures, bench or scripts', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(folderOf(file));
      for (const t of targets) {
        const folder = folderOf(t);
        if (OUTSIDE.has(folder) || layerOf(folder) > from) violations.push(`${file} → ${t}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycle between files or between folders', () => {
    expect(cycles(graph)).toEqual([]);
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const a = folderOf(file);
      const list = folders.get(a) ?? [];
      for (const t of targets) if (folderOf(t) !== a && !list.includes(folderOf(t))) list.push(folderOf(t));
      folders.set(a, list);
    }
    expect(cycles(folders)).toEqual([]);
  });
});
