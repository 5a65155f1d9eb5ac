import { SAMPLE_RATE, openPcmWav, readSamples } from './pcm.ts';
import type { Region } from './regions.ts';
import { diarize, type DiarizeOptions, type RegionFrames, type VoiceTurn } from './voice-cluster.ts';
import { frameFeatures } from './voice-features.ts';

export interface VoiceLabelling {
  turns: VoiceTurn[];
  voices: number;
  elapsedMs: number;
}

/**
 * Who spoke when in a normalized WAV, from its VAD speech regions: features are computed region by region (an
 * hour of recording is never in memory at once), then `diarize` labels the voices S1, S2, …
 */
export async function labelVoices(wavPath: string, regions: readonly Region[], opts: DiarizeOptions = {}): Promise<VoiceLabelling> {
  const started = performance.now();
  const wav = await openPcmWav(wavPath);
  const frames: RegionFrames[] = [];
  for (const [start, end] of regions) {
    const samples = await readSamples(wav, wavPath, start * SAMPLE_RATE, end * SAMPLE_RATE);
    frames.push({ start, end, feats: frameFeatures(samples) });
  }
  return finish(frames, opts, started);
}

function finish(frames: RegionFrames[], opts: DiarizeOptions, started: number): VoiceLabelling {
  const turns = diarize(frames, opts);
  return { turns, voices: new Set(turns.map((t) => t.voice)).size, elapsedMs: performance.now() - started };
}
