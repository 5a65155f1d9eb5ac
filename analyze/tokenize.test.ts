import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../lexicons/index.ts';
import { tokenize, tokenizeAll } from './tokenize.ts';

const lex = loadLexicon();

describe('tokenize', () => {
  it('keeps domain terms whole', () => {
    const text = '交货周期太长了，付款能不能用承兑汇票？你们系统过了等保三级吗，营业执照发我一下。';
    const words = tokenize(text, lex).map((t) => t.word);
    for (const term of ['交货周期', '承兑汇票', '等保三级', '营业执照']) expect(words).toContain(term);
  });

  it('keeps every multi-character keyword whole when it stands alone in a sentence', () => {
    const split: string[] = [];
    for (const cat of lex.categories) {
      for (const k of cat.keywords) {
        if (k.length < 2 || !/[\u4e00-\u9fff]/.test(k)) continue;
        const words = tokenize(`就是${k}。`, lex).map((t) => t.word);
        if (!words.includes(k)) split.push(k);
      }
    }
    // A few keywords can fuse with the surrounding particle (就是+X); nearly all must come out whole.
    expect(split.length, split.join(' ')).toBeLessThan(10);
  });

  it('gives offsets that are JS string indices into the text, skipping whitespace', () => {
    const text = '  王总 说😀价格 太贵\t了，IP67 防护';
    const tokens = tokenize(text, lex);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
    expect(tokens.some((t) => t.word.trim() === '')).toBe(false);
    for (let i = 1; i < tokens.length; i++) expect(tokens[i].start).toBeGreaterThanOrEqual(tokens[i - 1].end);
    expect(tokens.map((t) => t.word)).toContain('IP67');
  });

  it('does not split 价值观 or 交流 into keyword pieces', () => {
    const words = tokenize('我们很认同你们的价值观，下次再交流', lex).map((t) => t.word);
    expect(words).toContain('价值观');
    expect(words).toContain('交流');
  });

  it('returns nothing for empty text', () => {
    expect(tokenize('', lex)).toEqual([]);
  });
});

describe('tokenizeAll', () => {
  it('gives every text the tokens and offsets tokenize gives it alone', () => {
    const texts = ['王总您好，交货周期大概多久？', '', '  ', '我们用承兑汇票付款，没问题。', 'DN100的阀门\n一共三十台', '好的'];
    const all = tokenizeAll(texts, lex);
    expect(all).toHaveLength(texts.length);
    texts.forEach((t, i) => expect(all[i], t).toEqual(tokenize(t.replace(/\n/g, ' '), lex)));
    expect(all[0].map((t) => t.word)).toContain('交货周期');
    expect(all[1]).toEqual([]);
  });
});
