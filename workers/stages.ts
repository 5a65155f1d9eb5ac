import type { CallAnalysis, Segment } from '../analyze/types.ts';

/**
 * The stage functions the pipeline calls, behind one narrow seam so api, workers and the demo share them.
 * `createStages` (workers/stages.default.ts) binds them to ingest/, transcribe/ and analyze/.
 */
export interface Stages {
  /** Decides from the bytes whether a file is a transcript or audio; throws a 4xx AppError for anything else. */
  sniff(filePath: string, originalName: string): Promise<'transcript' | 'audio'>;
  /** Decodes (UTF-8/GBK) and parses a .txt/.srt/.vtt/.json transcript. */
  readTranscript(filePath: string, originalName: string): Promise<Segment[]>;
  /** Normalizes audio to a 16 kHz mono WAV at outWavPath and reports the decoded duration. */
  normalize(inputPath: string, outWavPath: string, originalName: string): Promise<{ durationSec: number | null }>;
  transcribe(
    wavPath: string,
    opts: { durationSec: number | null; onProgress?: (percent: number) => void },
  ): Promise<{ engine: string; segments: Segment[] }>;
  analyze(segments: Segment[], opts: { now: Date; durationSec: number | null; kind: 'audio' | 'transcript' }): CallAnalysis;
}
