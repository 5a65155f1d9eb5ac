/**
 * npm run bench:mine — wall time and peak RSS of `tingjian mine` (streamed read + runMining + JSON) on planted
 * synthetic data of ~10 k, ~100 k, ~1 M events (81 k leads) and 100 k leads (~1.23 M events), each size in a fresh child process so each peak RSS is its own.
 * Side by side, the same file merely streamed and JSON.parse'd (the floor any JSONL tool pays), and the time of each
 * miner step (the rep-level permutation tests are the "inference" step: rows of per-rep values added per relabelling).
 * Target: 1 M events < 30 s and < 2 GB. Exits 1 when the target is missed.
 * Sizes can be overridden: BENCH_MINE_SIZES=10000,100000 npm run bench:mine
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { forEachPlantedEvent, LEADS_PER_REP } from '../fixtures/events/generate.ts';

const run = promisify(execFile);
const EVENTS_PER_REP = 615.4; // measured: 12 308 events for 20 reps
// The last size is 2 000 reps × 50 = 100 000 leads (~1.23 M events), the lead count the issue names.
const sizes = (process.env.BENCH_MINE_SIZES ?? '10000,100000,1000000,1231000').split(',').map(Number);
const dir = path.join(os.tmpdir(), 'tingjian-bench-mine');
fs.mkdirSync(dir, { recursive: true });
const child = path.join(import.meta.dirname, 'mine.child.ts');

function writeEvents(reps: number): string {
  const file = path.join(dir, `planted-${reps}reps-seed42.jsonl`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let buf: string[] = [];
  forEachPlantedEvent({ reps, seed: 42 }, (e) => {
    buf.push(JSON.stringify(e));
    if (buf.length === 10_000) {
      fs.writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  });
  if (buf.length) fs.writeSync(fd, `${buf.join('\n')}\n`);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return file;
}

async function measure(file: string, mode: string) {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, file, mode], { maxBuffer: 1 << 20 });
  const processMs = performance.now() - t0;
  return { ...JSON.parse(stdout.trim().split('\n').pop()!), processMs };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (v: number) => `${Math.round(v)} MB`;
let failed = false;
console.log(`bench:mine — ${os.cpus().length} CPUs, Node ${process.version}, ${LEADS_PER_REP} leads per rep\n`);
console.log('events     leads   reps  read+mine+json (process)   mine      peak RSS   parse-only baseline   ratio');
for (const target of sizes) {
  const reps = Math.max(10, Math.round(target / EVENTS_PER_REP / 10) * 10);
  const file = writeEvents(reps);
  const m = await measure(file, 'mine');
  const base = await measure(file, 'parse-only');
  console.log(
    `${String(m.events).padEnd(10)} ${String(m.leads).padEnd(7)} ${String(m.reps).padEnd(5)} ` +
      `${s(m.wallMs).padEnd(9)} (${s(m.processMs)})`.padEnd(27) +
      `${s(m.mineMs).padEnd(9)} ${mb(m.maxRssMB).padEnd(10)} ${`${s(base.wallMs)}, ${mb(base.maxRssMB)}`.padEnd(21)} ` +
      `${(m.wallMs / base.wallMs).toFixed(2)}×`,
  );
  console.log(
    `           patterns mined ${m.patternsMined}, findings ${m.findings} (${m.established} established), cap reached ${m.capReached}; ` +
      `relabellings ${m.relabellings}, rank permutations ${m.permutations}; read ${s(m.readMs)}, JSON out ${s(m.jsonMs)} (${m.outputMB.toFixed(1)} MB)`,
  );
  console.log(`           miner steps: ${Object.entries(m.stepMs as Record<string, number>).map(([k, v]) => `${k} ${s(v)}`).join(', ')}`);
  if (m.events >= 900_000 && (m.processMs > 30_000 || m.maxRssMB > 2048)) {
    failed = true;
    console.log(`           ✗ target missed: 1 M events must take < 30 s and < 2 GB`);
  } else if (m.events >= 900_000) {
    console.log(`           ✓ target met: < 30 s and < 2 GB`);
  }
}
process.exitCode = failed ? 1 : 0;
