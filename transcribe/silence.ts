export interface SilenceReport {
  silences: Array<{ start: number; end: number }>;
  speechRatio: number;
}

/**
 * Folds ffmpeg silencedetect log lines (`silence_start: 3.2`, `silence_end: 4.1 | silence_duration: 0.9`) into
 * intervals. A silence still open at the end runs to the end of the audio.
 */
export function parseSilence(lines: readonly string[], durationSec: number): SilenceReport {
  const silences: Array<{ start: number; end: number }> = [];
  let open: number | null = null;
  for (const line of lines) {
    const start = /silence_start:\s*(-?[\d.]+)/.exec(line);
    if (start) {
      open = Math.max(0, Number(start[1]));
      continue;
    }
    const end = /silence_end:\s*([\d.]+)/.exec(line);
    if (end) {
      silences.push({ start: open ?? 0, end: Math.min(durationSec, Number(end[1])) });
      open = null;
    }
  }
  if (open !== null && open < durationSec) silences.push({ start: open, end: durationSec });
  if (durationSec <= 0) return { silences, speechRatio: 0 };
  const silent = silences.reduce((sum, s) => sum + Math.max(0, s.end - s.start), 0);
  return { silences, speechRatio: clamp01(1 - silent / durationSec) };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Math.round(x * 1000) / 1000));
}
