/** A stretch of the recording, [start, end] in seconds. The output contract stores VAD regions in this shape. */
export type Region = [number, number];

/** Regions widened by `pad` on both sides, clamped to [0, durationSec], with overlapping ones merged. */
export function padRegions(regions: readonly Region[], pad: number, durationSec: number): Region[] {
  const out: Region[] = [];
  for (const [a, b] of [...regions].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(0, a - pad);
    const end = Math.min(durationSec, b + pad);
    if (end <= start) continue;
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** Seconds of [start, end] that lie inside the (sorted, disjoint) regions. */
export function overlapSec(regions: readonly Region[], start: number, end: number): number {
  let sum = 0;
  for (const [a, b] of regions) {
    if (a >= end) break;
    sum += Math.max(0, Math.min(b, end) - Math.max(a, start));
  }
  return sum;
}

export function totalSec(regions: readonly Region[]): number {
  return regions.reduce((sum, [a, b]) => sum + (b - a), 0);
}
