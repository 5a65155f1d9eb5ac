import { describe, expect, it } from 'vitest';
import { parseWhisperJson, sanitizeJson } from './whisper-json.ts';

/** Builds whisper.cpp -ojf output byte by byte, as its writer does: only `"` and `\` escaped, raw bytes otherwise. */
function whisperFile(segments: Array<{ from: number; to: number; text: Buffer | string; tokens?: Array<{ text: Buffer | string; id: number; p: string }> }>, multilingual = true): Buffer {
  const parts: Buffer[] = [Buffer.from(`{\n\t"model": {\n\t\t"type": "unknown",\n\t\t"multilingual": ${multilingual},\n\t\t"vocab": 51865\n\t},\n\t"transcription": [\n`)];
  segments.forEach((s, i) => {
    parts.push(Buffer.from(`\t\t{\n\t\t\t"timestamps": {"from": "x", "to": "y"},\n\t\t\t"offsets": {\n\t\t\t\t"from": ${s.from},\n\t\t\t\t"to": ${s.to}\n\t\t\t},\n\t\t\t"text": "`));
    parts.push(Buffer.isBuffer(s.text) ? s.text : Buffer.from(s.text));
    parts.push(Buffer.from(`",\n\t\t\t"tokens": [\n`));
    (s.tokens ?? []).forEach((t, j, all) => {
      parts.push(Buffer.from('\t\t\t\t{"text": "'), Buffer.isBuffer(t.text) ? t.text : Buffer.from(t.text));
      parts.push(Buffer.from(`", "id": ${t.id}, "p": ${t.p}}${j === all.length - 1 ? '' : ','}\n`));
    });
    parts.push(Buffer.from(`\t\t\t]\n\t\t}${i === segments.length - 1 ? '' : ','}\n`));
  });
  parts.push(Buffer.from('\t]\n}\n'));
  return Buffer.concat(parts);
}

describe('parseWhisperJson', () => {
  it('reads segments in seconds with the mean probability of the text tokens as confidence', () => {
    const raw = whisperFile([
      {
        from: 0, to: 2500, text: '您好，这款产品多少钱？',
        tokens: [
          { text: '[_BEG_]', id: 50364, p: '0.99' },
          { text: '您好', id: 9000, p: '0.9' },
          { text: '多少钱', id: 9001, p: '0.5' },
          { text: '[_TT_125]', id: 50489, p: '0.2' },
        ],
      },
    ]);
    expect(parseWhisperJson(raw, { durationSec: 10 })).toEqual([
      { start: 0, end: 2.5, speaker: 'unknown', text: '您好，这款产品多少钱？', confidence: 0.7 },
    ]);
  });

  it('survives raw control characters, escaped quotes and nan/inf probabilities', () => {
    const raw = whisperFile([
      { from: 0, to: 1000, text: '他说\\"便宜点\\"\twith\x01tab', tokens: [{ text: 'x', id: 5, p: 'nan' }, { text: 'y', id: 6, p: '0.4' }] },
      { from: 1000, to: 2000, text: '好的', tokens: [{ text: 'z', id: 7, p: '-inf' }] },
    ]);
    const segs = parseWhisperJson(raw, { durationSec: 5 });
    expect(segs.map((s) => s.text)).toEqual(['他说"便宜点" withtab', '好的']);
    expect(segs[0].confidence).toBe(0.4);
    expect(segs[1].confidence).toBeUndefined();
  });

  it('rejoins a character whose UTF-8 bytes were split across two segments', () => {
    const jia = Buffer.from('价', 'utf8'); // e4 bb b7
    const raw = whisperFile([
      { from: 0, to: 1000, text: Buffer.concat([Buffer.from('这个'), jia.subarray(0, 2)]) },
      { from: 1000, to: 2000, text: Buffer.concat([jia.subarray(2), Buffer.from('格太高了')]) },
    ]);
    expect(parseWhisperJson(raw, { durationSec: 5 }).map((s) => s.text)).toEqual(['这个', '价格太高了']);
  });

  it('drops stray continuation bytes instead of printing replacement characters', () => {
    const raw = whisperFile([{ from: 0, to: 1000, text: Buffer.concat([Buffer.from([0xb7, 0x80]), Buffer.from('交期')]) }]);
    expect(parseWhisperJson(raw, { durationSec: 5 })[0].text).toBe('交期');
  });

  it('clamps times into the decoded audio and never lets an end precede its start', () => {
    const raw = whisperFile([
      { from: 700, to: 14_900, text: '一' },
      { from: 30_000, to: 29_000, text: '二' },
    ]);
    expect(parseWhisperJson(raw, { durationSec: 4.2 }).map((s) => [s.start, s.end])).toEqual([
      [0.7, 4.2],
      [4.2, 4.2],
    ]);
  });

  it('converts traditional characters and drops known subtitle-credit hallucinations and empty text', () => {
    const raw = whisperFile([
      { from: 0, to: 1000, text: '這個價格可以優惠嗎' },
      { from: 1000, to: 2000, text: '请不吝点赞 订阅 转发 打赏支持明镜与点点栏目' },
      { from: 2000, to: 3000, text: '   ' },
    ]);
    expect(parseWhisperJson(raw, { durationSec: 5 }).map((s) => s.text)).toEqual(['这个价格可以优惠吗']);
  });

  it('labels segments with the channel speaker when given', () => {
    const raw = whisperFile([{ from: 0, to: 1000, text: '好' }]);
    expect(parseWhisperJson(raw, { durationSec: 5, speaker: 'rep' })[0].speaker).toBe('rep');
  });

  it('treats id 50256 as a text token only in English-only models', () => {
    const tokens = [{ text: 'a', id: 50256, p: '0.2' }, { text: 'b', id: 10, p: '0.6' }];
    expect(parseWhisperJson(whisperFile([{ from: 0, to: 1, text: 'ok', tokens }], true), { durationSec: 1 })[0].confidence).toBe(0.4);
    expect(parseWhisperJson(whisperFile([{ from: 0, to: 1, text: 'ok', tokens }], false), { durationSec: 1 })[0].confidence).toBe(0.6);
  });

  it('salvages the complete segments of a file cut off mid-write', () => {
    const full = whisperFile([
      { from: 0, to: 1000, text: '第一句', tokens: [{ text: 'a', id: 1, p: '0.5' }] },
      { from: 1000, to: 2000, text: '第二句' },
    ]);
    const cut = full.subarray(0, full.indexOf(Buffer.from('第二句')) + 4);
    expect(parseWhisperJson(cut, { durationSec: 5 }).map((s) => s.text)).toEqual(['第一句']);
  });
});

describe('sanitizeJson', () => {
  it('leaves valid JSON unchanged and does not touch words inside strings', () => {
    const json = '{"text": "nan inf -inf", "p": 0.5, "ok": null}';
    expect(sanitizeJson(json)).toBe(json);
    expect(JSON.parse(sanitizeJson('{"a": nan, "b": -inf, "c": "x\ny"}'))).toEqual({ a: null, b: null, c: 'x\ny' });
  });
});
