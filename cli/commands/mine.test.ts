import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generatePlantedEvents, generatePlantedEvidence, toJsonl } from '../../fixtures/events/generate.ts';
import { register } from './mine.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/tingjian.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-mine-'));
const input = path.join(dir, 'events.jsonl');
const evidenceFile = path.join(dir, 'evidence.json');
fs.writeFileSync(input, `${toJsonl(generatePlantedEvents({ reps: 30 }))}not json\n`);
fs.writeFileSync(evidenceFile, JSON.stringify(generatePlantedEvidence({ reps: 30 })));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const tingjian = (...args: string[]) => run(process.execPath, [bin, ...args], { maxBuffer: 64 << 20 });

describe('tingjian mine', () => {
  it('prints the issue’s JSON shape with --json', async () => {
    const { stdout } = await tingjian('mine', '--input', input, '--top-share', '0.1', '--evidence', evidenceFile, '--json');
    const r = JSON.parse(stdout);
    expect(Object.keys(r).slice(0, 6)).toEqual(['resultVersion', 'topShare', 'groups', 'findings', 'inference', 'beforeStage']);
    expect(r.topShare).toBe(0.1);
    expect(r.groups.top).toEqual(['r25', 'r15', 'r05']);
    const probe = r.findings.find((f: { id: string }) => f.id === 'before_stage:use_case_probe');
    expect(probe).toMatchObject({ status: 'established', stage: 'price_negotiation', customerType: null, repsTop: 3, leadsTop: 120, leadsRest: 1080 });
    expect(probe.text).toMatchObject({ top: '1.8', rest: '0.7' });
    expect(r.inference).toMatchObject({ unit: 'rep', group: { relabellings: 4060, exhaustive: true } });
    expect(r.patterns[0]).toHaveProperty('maxGapHours');
    expect(r.coaching[0].suggestions[0]).toHaveProperty('evidence');
    expect(r.malformed).toEqual([{ line: 18463, code: 'invalid_json', message: expect.stringContaining('JSON') }]);
  });
});

/** Runs the command in-process (the spawned test above covers the real binary; startup costs seconds). */
async function mineInProcess(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const program = new Command().exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'tingjian', 'mine', ...args]);
    return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
}

describe('tingjian mine (in-process)', () => {
  it('prints a Chinese summary without --json', async () => {
    const { stdout, exitCode } = await mineInProcess('--input', input);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('优秀组（前 10%）：r25、r15、r05');
    expect(stdout).toContain('比较单位是销售本人');
    expect(stdout).toContain(
      '[已确认] 进入「价格谈判」之前，优秀组平均每条线索做 1.8 次「应用场景深挖」，其他销售 0.7 次（全部客户）。优秀组 3 人（120 条线索）· 其他 27 人（1080 条线索）',
    );
    expect(stdout).toContain('第 18463 行 [invalid_json]');
  });

  it('says plainly when the top group is too small for significance', async () => {
    const small = path.join(dir, 'small.jsonl');
    // Five reps: one top rep (p ≥ 1/5) and only 5! = 120 orderings for the rank correlation (p ≥ 1/120).
    fs.writeFileSync(small, toJsonl(generatePlantedEvents({ reps: 10 }).filter((e) => Number(e.rep.slice(1)) <= 5)));
    const { stdout, exitCode } = await mineInProcess('--input', small);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('⚠ 优秀组只有 1 人（共 5 名销售）：以下差异仅供参考，不具统计意义');
    expect(stdout).toContain('三、仅供参考的差异（不具统计意义，不据此辅导');
    expect(stdout).toContain('[仅供参考，不具统计意义] 进入「价格谈判」之前，优秀组平均每条线索做 1.8 次「应用场景深挖」');
  });

  it('fails with a clear code for a missing file, a bad top share or bad evidence', async () => {
    const missing = await mineInProcess('--input', path.join(dir, 'nope.jsonl'), '--json');
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('input_not_found');
    const share = await mineInProcess('--input', input, '--top-share', '1.5');
    expect(share.exitCode).toBe(1);
    expect(share.stderr).toContain('invalid_top_share');
    const badEvidence = path.join(dir, 'bad-evidence.json');
    fs.writeFileSync(badEvidence, JSON.stringify({ recordings: [{ rep: 'r01' }] }));
    const ev = await mineInProcess('--input', input, '--evidence', badEvidence);
    expect(ev.exitCode).toBe(1);
    expect(ev.stderr).toContain('invalid_evidence');
  });
});
