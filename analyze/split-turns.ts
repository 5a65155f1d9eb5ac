/**
 * Speech-to-text sometimes runs two speakers' turns into one segment (…一年出栏六千多头那现在育肥阶段料肉比大概多少).
 * A segment with no known speaker is cut where its words change side: at each candidate point (after a
 * sentence-final particle or punctuation, or before a reply opener such as 对/是的/好的/没有 or a pronoun), the tagger's role
 * log-odds of the two parts are compared, and the segment is cut at the point where both parts lean clearly and to
 * opposite sides. Times are shared out by characters. One cut per segment: a turn shorter than MIN_PART is not told.
 */
import type { Lexicon } from '../lexicons/index.ts';
import { modelLogits } from '../lexicons/model.ts';
import { featureIds, patternFeatures } from './features.ts';
import type { Repaired } from './homophones.ts';
import type { Segment } from './types.ts';

const MIN_PART = 4;
/** Both parts must lean this far (log-odds) to opposite sides. */
const MIN_LEAN = 3;
const AFTER = /[吗呢吧嘛啊呀哈么？?。！!]/;
const BEFORE = /^(对|是的|是啊|嗯|好的|好嘞|行|可以|没有|没问题|不是|不用|那个|哎|我|您|你|咱|俺|那)/;

function roleLogit(text: string, lexicon: Lexicon): number {
  const model = lexicon.model;
  const k = model.index('role:rep');
  return k < 0 ? 0 : modelLogits(model, featureIds(text, patternFeatures(text)))[k];
}

function cutPoint(text: string, lexicon: Lexicon): number | null {
  let best: { at: number; lean: number } | null = null;
  for (let at = MIN_PART; at <= text.length - MIN_PART; at++) {
    if (!AFTER.test(text[at - 1]) && !BEFORE.test(text.slice(at))) continue;
    const l = roleLogit(text.slice(0, at), lexicon);
    const r = roleLogit(text.slice(at), lexicon);
    if (Math.sign(l) === Math.sign(r)) continue;
    const lean = Math.min(Math.abs(l), Math.abs(r));
    if (lean >= MIN_LEAN && (!best || lean > best.lean)) best = { at, lean };
  }
  return best?.at ?? null;
}

/** Segments (and their repaired texts) with merged turns cut apart. */
export function splitTurns(segments: Segment[], repaired: Repaired[], lexicon: Lexicon): { segments: Segment[]; repaired: Repaired[] } {
  const outS: Segment[] = [];
  const outR: Repaired[] = [];
  segments.forEach((s, i) => {
    const r = repaired[i];
    const at = s.speaker === 'unknown' && r.text.length >= 2 * MIN_PART ? cutPoint(r.text, lexicon) : null;
    if (at === null) return void (outS.push(s), outR.push(r));
    const mid = s.start !== null && s.end !== null ? Math.round((s.start + ((s.end - s.start) * at) / s.text.length) * 100) / 100 : null;
    outS.push({ ...s, end: mid ?? s.end, text: s.text.slice(0, at) }, { ...s, start: mid ?? s.start, text: s.text.slice(at) });
    outR.push(
      { text: r.text.slice(0, at), spans: r.spans.filter(([a]) => a < at).map(([a, b]) => [a, Math.min(b, at)] as [number, number]) },
      { text: r.text.slice(at), spans: r.spans.filter(([, b]) => b > at).map(([a, b]) => [Math.max(0, a - at), b - at] as [number, number]) },
    );
  });
  return { segments: outS, repaired: outR };
}
