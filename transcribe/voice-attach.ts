import type { Segment } from '../analyze/types.ts';
import type { VoiceTurn } from './voice-cluster.ts';

/** A segment with the per-recording voice that spoke it (output contract: `voice`, "S1", "S2", …). */
export interface VoicedSegment extends Segment {
  voice: string;
  /** Share of the segment's time that lies under its voice, 0..1 (0: no voice turn overlaps it). */
  voiceConfidence: number;
}

/**
 * Gives each segment the voice whose turns cover most of it. A segment that no turn overlaps (a time the labeller
 * did not see) takes the nearest turn's voice with confidence 0.
 */
export function attachVoices(segments: readonly Segment[], turns: readonly VoiceTurn[]): VoicedSegment[] {
  return segments.map((s) => {
    if (!turns.length || s.start === null || s.end === null) return { ...s, voice: turns[0]?.voice ?? 'S1', voiceConfidence: 0 };
    const under = new Map<string, number>();
    for (const t of turns) {
      const o = Math.min(t.end, s.end) - Math.max(t.start, s.start);
      if (o > 0) under.set(t.voice, (under.get(t.voice) ?? 0) + o);
    }
    if (!under.size) {
      const mid = (s.start + s.end) / 2;
      const nearest = turns.reduce((a, b) => (distance(b, mid) < distance(a, mid) ? b : a));
      return { ...s, voice: nearest.voice, voiceConfidence: 0 };
    }
    const [voice, sec] = [...under].reduce((a, b) => (b[1] > a[1] ? b : a));
    const length = Math.max(1e-6, s.end - s.start);
    return { ...s, voice, voiceConfidence: Math.round(Math.min(1, sec / length) * 100) / 100 };
  });
}

function distance(t: VoiceTurn, x: number): number {
  return x < t.start ? t.start - x : x > t.end ? x - t.end : 0;
}
