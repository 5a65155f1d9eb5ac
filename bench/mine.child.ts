/**
 * One bench:mine measurement in its own process, so its peak RSS is its own:
 *   node --import tsx bench/mine.child.ts <events.jsonl> <mine|parse-only>
 * Prints one JSON line with timings (ms) and peak RSS (MB).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { readEventsFile } from '../cli/commands/mine.ts';
import { runMining } from '../patterns/mine.ts';

const [file, mode = 'mine'] = process.argv.slice(2);
const t0 = performance.now();
if (mode === 'parse-only') {
  // Baseline: stream the same file and JSON.parse every line, nothing else.
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) if (JSON.parse(line)) n++;
  const wallMs = performance.now() - t0;
  console.log(JSON.stringify({ mode, events: n, wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
} else {
  const parsed = await readEventsFile(file);
  const t1 = performance.now();
  // Time per miner step (onProgress fires as each step starts), so the permutation tests' share is visible.
  const stepMs: Record<string, number> = {};
  let last = { step: '', at: performance.now() };
  const result = runMining(parsed, {
    onProgress: (p) => {
      const now = performance.now();
      if (last.step) stepMs[last.step] = now - last.at;
      last = { step: p.step, at: now };
    },
  });
  const t2 = performance.now();
  const json = JSON.stringify(result);
  const t3 = performance.now();
  console.log(
    JSON.stringify({
      mode,
      events: result.stats.events,
      leads: result.stats.leads,
      reps: result.groups.top.length + result.groups.rest.length,
      patternsMined: result.stats.patternsMined,
      findings: result.findings.length,
      established: result.findings.filter((f) => f.status === 'established').length,
      relabellings: result.inference.group.relabellings,
      permutations: result.inference.rank.permutations,
      capReached: result.stats.patternCapReached,
      stepMs,
      readMs: t1 - t0,
      mineMs: t2 - t1,
      jsonMs: t3 - t2,
      outputMB: json.length / 1e6,
      wallMs: t3 - t0,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
}
