import { normalizeText } from '../analyze/normalize-text.ts';

/** Characters that do not count for accuracy: whitespace and punctuation (references are unpunctuated). */
const IGNORED = /[\s\p{P}\p{S}]/gu;

/**
 * Character error rate of a hypothesis against a reference: Levenshtein distance over characters ÷ reference
 * length, after normalization (simplified script, half-width) with whitespace and punctuation removed.
 */
export function characterErrorRate(reference: string, hypothesis: string): number {
  const ref = [...normalizeText(reference).replace(IGNORED, '')];
  const hyp = [...normalizeText(hypothesis).replace(IGNORED, '')];
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[hyp.length] / ref.length;
}
