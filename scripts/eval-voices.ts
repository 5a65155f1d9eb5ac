/**
 * `npm run eval:voices` — how well the voice labeller tells real speakers apart, on conversations built from
 * shared/audio-real/voices with known truth, split by speaker: `tune` is what the defaults were tuned on,
 * `heldOut` was never looked at while tuning. Figures are the share of speech time under the right voice (best
 * mapping). Read speech close to the microphone: easier than a real visit.
 *
 * VOICE_SPLIT=tune|heldOut|both (default both); VOICE_LAMBDA, VOICE_PITCH_WEIGHT, VOICE_SWITCH_PENALTY,
 * VOICE_WINDOW_SEC override the defaults for tuning runs.
 */
import { runVoiceEvaluation, type EvalRow } from '../fixtures/audio/voice-eval-run.ts';
import fs from 'node:fs';
import path from 'node:path';
import { VOICES_DIR, VOICE_SPLIT } from '../fixtures/audio/conversations.ts';
import { detectSpeech } from '../transcribe/vad.ts';

const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const opts = {
  lambda: env('VOICE_LAMBDA'),
  pitchWeight: env('VOICE_PITCH_WEIGHT'),
  switchPenalty: env('VOICE_SWITCH_PENALTY'),
  windowSec: env('VOICE_WINDOW_SEC'),
};
const which = process.env.VOICE_SPLIT ?? 'both';

// The four longer real recordings beside the voices (read, device command, net and meeting audio) have no
// speech/silence truth: their speech ratio is printed as a sanity check, not a score.
const realDir = path.join(VOICES_DIR, '..');
console.log('VAD speech ratio on shared/audio-real (no truth, sanity check):');
for (const f of fs.readdirSync(realDir).filter((n) => n.endsWith('.wav')).sort()) {
  const vad = await detectSpeech(path.join(realDir, f));
  console.log(`  ${f.padEnd(44)} ${vad.durationSec.toFixed(1).padStart(5)} s  speech ratio ${vad.speechRatio}  ${vad.regions.length} region(s)`);
}
const groups = (['tune', 'heldOut'] as const).filter((g) => which === 'both' || which === g);

for (const group of groups) {
  const rows = await runVoiceEvaluation(VOICE_SPLIT[group], opts);
  console.log(`\n${group === 'tune' ? 'tuned on' : 'held out (never tuned on)'}: ${VOICE_SPLIT[group].length} speakers, ${rows.length} conversations`);
  printSummary(rows);
  if (process.env.VOICE_VERBOSE) for (const r of rows) console.log(`  ${r.kind.padEnd(22)} ${r.speakers.join(' + ').padEnd(60)} ${(r.score.accuracy * 100).toFixed(1).padStart(5)} %  voices ${r.score.voicesFound}/${r.score.speakers}  missed ${(r.score.missed * 100).toFixed(1)} %`);
}

function printSummary(rows: EvalRow[]): void {
  const speech = rows.reduce((s, r) => s + r.speechSec, 0);
  const recall = rows.reduce((s, r) => s + r.vadRecall * r.speechSec, 0) / speech;
  const falseAlarm = rows.reduce((s, r) => s + r.vadFalseAlarm, 0) / rows.length;
  console.log(`  VAD (Silero, defaults untuned): ${(recall * 100).toFixed(1)} % of speech found, ${(falseAlarm * 100).toFixed(1)} % of silence called speech`);
  for (const kind of [...new Set(rows.map((r) => r.kind))]) {
    const of = rows.filter((r) => r.kind === kind);
    const speech = of.reduce((s, r) => s + r.speechSec, 0);
    const right = of.reduce((s, r) => s + r.speechSec * r.score.accuracy, 0);
    const worst = Math.min(...of.map((r) => r.score.accuracy));
    const exact = of.filter((r) => r.score.voicesFound === r.score.speakers).length;
    console.log(
      `  ${kind.padEnd(22)} n=${String(of.length).padStart(2)}  right voice ${((right / speech) * 100).toFixed(1).padStart(5)} % of speech time` +
        `  (worst ${(worst * 100).toFixed(1)} %)  voice count right ${exact}/${of.length}`,
    );
  }
}
