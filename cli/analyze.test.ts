import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { analyzeFile } from './analyze-files.ts';
import type { FileResult, FileResultOk } from '../analyze/types.ts';

const run = promisify(execFile);
const repo = new URL('..', import.meta.url).pathname;
const fixture = (name: string) => join(repo, 'fixtures/transcripts', name);
const NOW = '2026-03-02T10:00:00+08:00';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/tingjian.js', 'analyze', ...args], {
      cwd: repo,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
const bad: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingjian-analyze-'));
  bad.empty = join(dir, 'empty.txt');
  writeFileSync(bad.empty, '');
  bad.binary = join(dir, 'photo.txt');
  writeFileSync(bad.binary, readFileSync(join(repo, 'fixtures/audio/image.mp3')));
  bad.gbk = join(dir, 'gbk-visit.txt');
  writeFileSync(bad.gbk, iconv.encode(readFileSync(fixture('cnc-02.txt'), 'utf8'), 'gbk'));
  bad.longLine = join(dir, 'one-line.txt');
  writeFileSync(bad.longLine, '客户：价格太贵了能不能便宜点'.repeat(Math.ceil((1024 * 1024) / 42)));
  bad.missing = join(dir, 'no-such-file.txt');
  bad.directory = join(dir, 'a-folder.txt');
  mkdirSync(bad.directory);
  bad.unknownExt = join(dir, 'minutes.docx');
  writeFileSync(bad.unknownExt, '销售：您好');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyzeFile', () => {
  it('analyzes a transcript into the documented shape', async () => {
    const r = (await analyzeFile(fixture('cnc-02.txt'), { now: new Date(NOW), displayName: 'cnc-02.txt' })) as FileResultOk;
    expect(Object.keys(r).slice(0, 8)).toEqual(['file', 'status', 'kind', 'durationSec', 'segments', 'tagCounts', 'commitments', 'metrics']);
    expect(r).toMatchObject({ file: 'cnc-02.txt', status: 'ok', kind: 'transcript', durationSec: null });
    expect(r.segments[1]).toMatchObject({ start: null, end: null, speaker: 'rep', text: '武厂长，您先别急，报的是什么警？' });
    expect(r.commitments).toContainEqual({ segment: 11, text: '我们保证四十八小时内解决', dueAt: '2026-03-04T10:00:00+08:00', by: 'rep' });
    for (const s of r.segments) for (const t of s.tags) expect(s.text.slice(t.start, t.end)).toBe(t.keyword);
  });

  it('decodes a GBK file to the same analysis as its UTF-8 original', async () => {
    const utf8 = (await analyzeFile(fixture('cnc-02.txt'), { now: new Date(NOW) })) as FileResultOk;
    const gbk = (await analyzeFile(bad.gbk, { now: new Date(NOW) })) as FileResultOk;
    expect(gbk.status).toBe('ok');
    expect(gbk.segments).toEqual(utf8.segments);
    expect(gbk.commitments).toEqual(utf8.commitments);
  });

  it.each([
    ['empty', 'empty_file'],
    ['binary', 'not_text'],
    ['longLine', 'line_too_long'],
    ['missing', 'file_not_found'],
    ['directory', 'is_directory'],
    ['unknownExt', 'unknown_extension'],
  ])('%s input fails with %s', async (key, code) => {
    const started = Date.now();
    const r = await analyzeFile(bad[key], { now: new Date(NOW) });
    expect(r).toMatchObject({ status: 'error', error: { code } });
    expect((r as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('tingjian analyze (spawned CLI)', () => {
  it('prints {results} for a batch, processes every file and exits 1 when any failed', async () => {
    const files = [fixture('sensors-01.txt'), bad.empty, bad.binary, bad.gbk, bad.longLine, bad.missing, bad.directory, bad.unknownExt, fixture('led-03.vtt')];
    const { code, stdout } = await cli(['--json', '--now', NOW, ...files]);
    expect(code).toBe(1);
    const { results } = JSON.parse(stdout) as { results: FileResult[] };
    expect(results.map((r) => r.file)).toEqual(files);
    expect(results.map((r) => (r.status === 'ok' ? 'ok' : r.error.code))).toEqual([
      'ok',
      'empty_file',
      'not_text',
      'ok',
      'line_too_long',
      'file_not_found',
      'is_directory',
      'unknown_extension',
      'ok',
    ]);
    const sensors = results[0] as FileResultOk;
    expect(sensors.kind).toBe('transcript');
    expect(sensors.segments[0]).toMatchObject({ start: 2, end: 9, speaker: 'rep' });
    expect(sensors.durationSec).toBeGreaterThan(280);
    expect(sensors.metrics.repTalkShare).toBeGreaterThan(0.3);
    expect(sensors.metrics.repTalkShare).toBeLessThan(0.9);
    expect(sensors.metrics.longestRepMonologueSec).toBeGreaterThan(0);
    expect(sensors.metrics.repQuestions).toBeGreaterThan(3);
    expect(sensors.commitments.some((c) => c.dueAt === '2026-03-03T12:00:00+08:00')).toBe(true);
    expect(Object.values(sensors.tagCounts).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(10);
  });

  it('exits 0 when every file succeeded and prints a Chinese summary with bracketed tags off a TTY', async () => {
    const { code, stdout } = await cli(['--now', NOW, fixture('cnc-02.txt')]);
    expect(code).toBe(0);
    expect(stdout).toContain('承诺');
    expect(stdout).toContain('【售后｜售后服务】');
    expect(stdout).toContain('截止 2026-03-04 10:00');
    expect(stdout).not.toContain('\x1b[');
    expect(stdout).toContain('失败 0');
  });

  it('runs the main-job command of the README on a file that exists', async () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const file = /npx tingjian analyze (fixtures\/transcripts\/\S+)/.exec(readme)?.[1];
    expect(file).toBeDefined();
    const { code, stdout } = await cli(['--json', file!]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).results[0]).toMatchObject({ status: 'ok', kind: 'transcript' });
  });

  it('rejects a bad --now with exit code 2', async () => {
    const { code, stderr } = await cli(['--now', 'tomorrow', fixture('cnc-02.txt')]);
    expect(code).toBe(2);
    expect(stderr).toContain('--now');
  });
});

describe('renderSummary', () => {
  it('colours tagged words on a TTY and brackets them otherwise', async () => {
    const { renderSummary } = await import('./analyze-summary.ts');
    const { loadLexicon } = await import('../lexicons/index.ts');
    const lexicon = loadLexicon();
    const r = await analyzeFile(fixture('cnc-02.txt'), { now: new Date(NOW) });
    const plain = renderSummary(r, lexicon, false);
    const coloured = renderSummary(r, lexicon, true);
    expect(plain).toContain('【售后｜售后服务】');
    expect(coloured).not.toContain('【售后');
    expect(coloured).toMatch(/\x1b\[1;\d+m售后\x1b\[0m/);
    const err = renderSummary({ file: 'x.txt', status: 'error', error: { code: 'not_text', message: '不是文本' } }, lexicon, false);
    expect(err).toContain('[not_text] 不是文本');
  });
});
