import type { AudioInfo, CallAnalysis, FileKind, FileResultOk } from './types.ts';

/**
 * The one `FileResultOk` that `tingjian analyze --json` prints, the analyze job stores and the API serves, built
 * from a call's analysis. Key order follows the documented JSON shape.
 */
export function fileResult(file: string, kind: FileKind, a: CallAnalysis, audio?: AudioInfo): FileResultOk {
  return {
    file,
    status: 'ok',
    kind,
    durationSec: a.durationSec,
    segments: a.segments,
    tagCounts: a.tagCounts,
    commitments: a.commitments,
    metrics: a.metrics,
    lexiconVersion: a.lexiconVersion,
    ...(a.modelVersion ? { modelVersion: a.modelVersion } : {}),
    ...(audio ? { audio } : {}),
  };
}
