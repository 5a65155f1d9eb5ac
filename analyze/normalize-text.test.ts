import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { normalizeText } from './normalize-text.ts';
import { decodeText, looksBinary } from './decode-text.ts';

describe('normalizeText', () => {
  it('turns full-width letters, digits and symbols half-width but keeps Chinese punctuation', () => {
    expect(normalizeText('Ｍ１０螺栓，４８小时内到货？折扣５％！')).toBe('M10螺栓，48小时内到货？折扣5%！');
  });

  it('converts traditional to simplified, including Taiwan phrasing', () => {
    expect(normalizeText('這個軟體的價格太貴了，交貨週期多長？')).toBe('这个软件的价格太贵了，交货周期多长？');
  });

  it('leaves simplified text alone (no phrase rewriting without traditional characters)', () => {
    expect(normalizeText('我们用的是滑鼠牌的配件')).toBe('我们用的是滑鼠牌的配件');
  });

  it('collapses whitespace, removes spaces between CJK and invisible characters', () => {
    expect(normalizeText('  你好\u3000 我是 小王\u200b ， PLC  S7 系列\t\n')).toBe('你好我是小王，PLC S7 系列');
  });

  it('is idempotent', () => {
    const once = normalizeText('價格 Ｏｋ ，我們　再談');
    expect(normalizeText(once)).toBe(once);
  });
});

describe('decodeText', () => {
  const sample = '销售：王总您好，这个价格能不能再便宜点？';

  it('decodes UTF-8 with and without BOM', () => {
    expect(decodeText(Buffer.from(sample, 'utf8'))).toEqual({ text: sample, encoding: 'utf-8' });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample, 'utf8')]);
    expect(decodeText(bom)).toEqual({ text: sample, encoding: 'utf-8' });
  });

  it('detects and decodes GBK / GB18030', () => {
    const gbk = iconv.encode(sample, 'gbk');
    expect(decodeText(gbk)).toEqual({ text: sample, encoding: 'gb18030' });
  });

  it('decodes UTF-16 with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(sample, 'utf-16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(sample, 'utf-16be')]);
    expect(decodeText(le).text).toBe(sample);
    expect(decodeText(be).text).toBe(sample);
  });

  it('rejects binary data as not_text and empty input as empty_file', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(looksBinary(png)).toBe(true);
    expect(() => decodeText(png)).toThrow(expect.objectContaining({ code: 'not_text' }));
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = 0x80 + ((i * 7919) % 127);
    expect(() => decodeText(noise)).toThrow(expect.objectContaining({ code: 'not_text' }));
    expect(() => decodeText(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'empty_file' }));
    expect(() => decodeText(Buffer.from(' \n\r\n '))).toThrow(expect.objectContaining({ code: 'empty_file' }));
  });
});

describe('normalizeText keeps simplified particles in mixed text', () => {
  it('does not turn 么 into 幺 (OpenCC Taiwan variants)', () => {
    expect(normalizeText('價格是么？好么')).toBe('价格是么？好么');
    expect(normalizeText('是么')).toBe('是么');
  });
});
