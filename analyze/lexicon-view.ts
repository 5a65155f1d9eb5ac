import type { Lexicon } from '../lexicons/index.ts';
import { isQuestion } from './question.ts';
import { tagText } from './tagging.ts';
import type { LexiconView } from './tagger.ts';
import { tokenizeAll, type Token } from './tokenize.ts';

/**
 * The lexicon's reading of every line of a call (tokens, keyword and pattern hits, question), computed for every
 * line whoever speaks: they are the model's features, and the role is not known yet. (The behaviour rules of
 * behaviors.json are not among them: as features they changed no dev figure, and cost a tenth of the analysis.) A hit on a
 * span that homophone repair rewrote (`repaired[i]`, analyze/homophones.ts) keeps the words as transcribed (`shown`)
 * and names the term it sounds like in `homophoneOf`.
 */
export function lexiconViews(
  texts: string[],
  lexicon: Lexicon,
  repaired?: Array<Array<[number, number]>>,
  shown?: string[],
): { tokens: Token[][]; views: LexiconView[] } {
  const tokens = tokenizeAll(texts, lexicon);
  const views = texts.map((text, i) => {
    const tags = tagText(text, tokens[i], lexicon);
    const spans = repaired?.[i] ?? [];
    if (spans.length) {
      for (const t of tags) {
        if (!spans.some(([s, e]) => t.start < e && t.end > s)) continue;
        const said = (shown?.[i] ?? text).slice(t.start, t.end);
        if (said !== t.keyword) (t.homophoneOf = t.keyword), (t.keyword = said);
      }
    }
    return { tags, question: isQuestion(text) };
  });
  return { tokens, views };
}
