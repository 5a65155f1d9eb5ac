import type { Region } from './regions.ts';

/** One stretch of original audio copied into a chunk: chunk time [at, at + length) is original [from, from + length). */
export interface ChunkPiece {
  at: number;
  from: number;
  length: number;
}

export interface Chunk {
  index: number;
  /** Length of the chunk's audio: the sum of its pieces. */
  durationSec: number;
  /** Original time of the first and last sample it holds. */
  start: number;
  end: number;
  pieces: ChunkPiece[];
}

export interface ChunkPlanOptions {
  durationSec: number;
  /** whisper decodes 30 s windows: a longer chunk would be cut by whisper itself, a much shorter one pays for 30 s. */
  maxChunkSec?: number;
  /**
   * Kept on each side of every speech region: a word's onset and tail fall below the VAD threshold, and two
   * regions end up separated by at most 2 × padSec of their real pause, so the recognizer still hears a pause.
   */
  padSec?: number;
}

/**
 * Packs speech regions into chunks for the recognizer: only speech (plus padding) goes in, and each chunk is filled
 * greedily up to the limit and cut at the pause before the region that would not fit. Regions whose padding
 * touches stay joined in the audio but can still be cut apart at the middle of their pause, so chunks fill up to
 * ~30 s (whisper pays for a whole 30 s window however short the chunk). Pure; the chunk's pieces map its times
 * back to the original file (`toOriginalTime`).
 */
export function planChunks(regions: readonly Region[], opts: ChunkPlanOptions): Chunk[] {
  const max = opts.maxChunkSec ?? 30;
  const atoms = speechAtoms(regions, opts.padSec ?? 0.2, opts.durationSec)
    .flatMap(([a, b]) => splitLong(a, b, max))
    .map(([a, b]) => [round(a), round(b)] as Region);
  const chunks: Chunk[] = [];
  let pieces: ChunkPiece[] = [];
  let length = 0;
  const close = () => {
    if (!pieces.length) return;
    const last = pieces[pieces.length - 1];
    chunks.push({ index: chunks.length, durationSec: round(length), start: pieces[0].from, end: round(last.from + last.length), pieces });
    pieces = [];
    length = 0;
  };
  for (const [a, b] of atoms) {
    const len = b - a;
    if (length + len > max + 1e-9) close();
    const last = pieces[pieces.length - 1];
    // An atom that starts where the previous one ends continues the same stretch of the original.
    if (last && Math.abs(last.from + last.length - a) < 1e-6) last.length = round(last.length + len);
    else pieces.push({ at: round(length), from: a, length: round(len) });
    length += len;
  }
  close();
  return chunks;
}

/**
 * Each region widened by `pad` on both sides, clamped to the file; where two widened regions would overlap, the
 * boundary is put at the middle of their pause, so the atoms are disjoint and cover exactly the padded speech.
 */
function speechAtoms(regions: readonly Region[], pad: number, durationSec: number): Region[] {
  const sorted = [...regions].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Region[] = [];
  sorted.forEach(([a, b], i) => {
    const prev = sorted[i - 1];
    const next = sorted[i + 1];
    const start = prev && a - prev[1] < 2 * pad ? Math.max(prev[1], (prev[1] + a) / 2) : a - pad;
    const end = next && next[0] - b < 2 * pad ? Math.min(next[0], (b + next[0]) / 2) : b + pad;
    const s = Math.max(0, start, out.length ? out[out.length - 1][1] : 0);
    const e = Math.min(durationSec, end);
    if (e > s) out.push([s, e]);
  });
  return out;
}

/** A region longer than a chunk, cut into equal parts (rare: the VAD ends regions at its own maximum). */
function splitLong(a: number, b: number, max: number): Region[] {
  const parts = Math.ceil((b - a) / max - 1e-9);
  if (parts <= 1) return [[a, b]];
  const step = (b - a) / parts;
  return Array.from({ length: parts }, (_, i) => [a + i * step, i === parts - 1 ? b : a + (i + 1) * step] as Region);
}

/**
 * A time inside the chunk's audio as a time of the original file. A time past the last piece (an engine's segment
 * end that overshoots) maps to the chunk's end. At the seam of two pieces a segment's end belongs to the piece
 * before and its start to the piece after, so a segment never stretches over the silence that was cut out.
 */
export function toOriginalTime(chunk: Chunk, t: number, edge: 'start' | 'end' = 'start'): number {
  const clamped = Math.max(0, Math.min(chunk.durationSec, t));
  let piece = chunk.pieces[0];
  for (const p of chunk.pieces) {
    if (edge === 'start' ? p.at <= clamped + 1e-9 : p.at < clamped - 1e-9) piece = p;
    else break;
  }
  return round(piece.from + Math.min(piece.length, clamped - piece.at));
}

/** Seconds of audio the plan sends to the recognizer. */
export function plannedSec(chunks: readonly Chunk[]): number {
  return round(chunks.reduce((sum, c) => sum + c.durationSec, 0));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
