import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseTranscript } from './transcript-parse.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('parseTranscript .txt', () => {
  it('reads times, role prefixes and derives ends from the next start', () => {
    const segs = parseTranscript(
      'a.txt',
      '[00:02] 销售：刘工您好，我是华测传感的小陈。\n\n[00:09] 客户: 哦小陈啊，坐。\n[01:00:05.5] S:价格方面\n[1:00:09] C：太贵了\n',
    );
    expect(segs).toEqual([
      { start: 2, end: 9, speaker: 'rep', text: '刘工您好，我是华测传感的小陈。' },
      { start: 9, end: 3605.5, speaker: 'customer', text: '哦小陈啊，坐。' },
      { start: 3605.5, end: 3609, speaker: 'rep', text: '价格方面' },
      { start: 3609, end: null, speaker: 'customer', text: '太贵了' },
    ]);
  });

  it('maps names through the # 角色 header and ignores other comments', () => {
    const segs = parseTranscript(
      'b.txt',
      '# 角色: 马院长=客户, 小宋=销售，刘科长=customer\n# 记录人：张三\n小宋：马院长好\n马院长：坐吧\n刘科长：我先说\n',
    );
    expect(segs.map((s) => [s.speaker, s.text])).toEqual([
      ['rep', '马院长好'],
      ['customer', '坐吧'],
      ['customer', '我先说'],
    ]);
    expect(segs.every((s) => s.start === null && s.end === null)).toBe(true);
  });

  it('treats a colon phrase used once as text, a name used on several lines as a speaker', () => {
    const segs = parseTranscript('c.txt', '注意：这个型号要提前订\n王总：你们报价太贵了\n王总：别家便宜一半\n');
    expect(segs[0]).toMatchObject({ speaker: 'unknown', text: '注意：这个型号要提前订' });
    expect(segs[1]).toMatchObject({ speaker: 'customer', text: '你们报价太贵了' });
  });

  it('keeps lines without prefixes as unknown utterances in order', () => {
    const segs = parseTranscript('d.txt', '喂，老郑啊\n哦，什么事？\n');
    expect(segs.map((s) => s.speaker)).toEqual(['unknown', 'unknown']);
  });

  it('fails with specific codes', () => {
    expect(code(() => parseTranscript('e.txt', '\n  \n# 角色: 小王=销售\n'))).toBe('empty_transcript');
    expect(code(() => parseTranscript('e.txt', '# 角色: 小王=老板\n小王：你好'))).toBe('invalid_transcript');
    expect(code(() => parseTranscript('e.txt', '啊'.repeat(20_001)))).toBe('line_too_long');
    expect(code(() => parseTranscript('e.docx', '你好'))).toBe('unknown_extension');
    expect(code(() => parseTranscript('noext', '你好'))).toBe('unknown_extension');
  });
});

describe('parseTranscript .srt / .vtt', () => {
  it('parses SRT cues with prefixes and multi-line text', () => {
    const srt = '1\n00:00:00,595 --> 00:00:05,683\n销售：喂，是徐总吗？\n\n2\n00:00:06,482 --> 00:00:12,210\n客户：记得，\n<i>你们是做传感器的吧</i>\n';
    expect(parseTranscript('x.srt', srt)).toEqual([
      { start: 0.595, end: 5.683, speaker: 'rep', text: '喂，是徐总吗？' },
      { start: 6.482, end: 12.21, speaker: 'customer', text: '记得， 你们是做传感器的吧' },
    ]);
  });

  it('parses WebVTT with notes, cue ids, settings and voice tags', () => {
    const vtt =
      'WEBVTT\n\nNOTE 拜访录音\n\nc1\n00:01.000 --> 00:03.500 align:start\n<v 销售>孙经理您好</v>\n\n00:00:04.000 --> 00:00:09.000\n客户：想问一下路灯\n';
    expect(parseTranscript('x.vtt', vtt)).toEqual([
      { start: 1, end: 3.5, speaker: 'rep', text: '孙经理您好' },
      { start: 4, end: 9, speaker: 'customer', text: '想问一下路灯' },
    ]);
    expect(code(() => parseTranscript('x.vtt', '00:01.000 --> 00:02.000\n你好'))).toBe('invalid_transcript');
    expect(code(() => parseTranscript('x.srt', '这不是字幕文件'))).toBe('invalid_transcript');
  });
});

describe('parseTranscript .json', () => {
  it('reads the project format with a speaker map', () => {
    const doc = {
      format: 'tingjian-transcript',
      version: 1,
      speakers: { 小宋: 'rep', 马院长: 'customer' },
      segments: [
        { start: 0, end: 4.2, speaker: '小宋', text: '马院长好' },
        { start: 4.2, speaker: 'customer', text: '坐' },
        { start: 6, end: null, speaker: '马院长', text: '说吧' },
        { start: null, text: '（听不清）' },
      ],
    };
    expect(parseTranscript('x.json', JSON.stringify(doc))).toEqual([
      { start: 0, end: 4.2, speaker: 'rep', text: '马院长好' },
      { start: 4.2, end: 6, speaker: 'customer', text: '坐' },
      { start: 6, end: null, speaker: 'customer', text: '说吧' },
      { start: null, end: null, speaker: 'unknown', text: '（听不清）' },
    ]);
  });

  it('accepts a bare array and whisper.cpp -oj output', () => {
    expect(parseTranscript('a.json', '[{"text":"你好","speaker":"客户"}]')[0].speaker).toBe('customer');
    const whisper = { transcription: [{ offsets: { from: 0, to: 2500 }, text: ' 你好' }] };
    expect(parseTranscript('w.json', JSON.stringify(whisper))).toEqual([{ start: 0, end: 2.5, speaker: 'unknown', text: '你好' }]);
  });

  it('rejects malformed JSON with specific codes', () => {
    expect(code(() => parseTranscript('x.json', '{"segments": ['))).toBe('invalid_json');
    expect(code(() => parseTranscript('x.json', '{"foo": 1}'))).toBe('invalid_transcript');
    expect(code(() => parseTranscript('x.json', '{"segments": [{"text": 5}]}'))).toBe('invalid_transcript');
    expect(code(() => parseTranscript('x.json', '{"segments": [{"text": "a", "start": -1}]}'))).toBe('invalid_transcript');
    expect(code(() => parseTranscript('x.json', '{"segments": []}'))).toBe('empty_transcript');
  });
});

describe('every fixture transcript parses', () => {
  const dir = new URL('../fixtures/transcripts/', import.meta.url);
  const files = readdirSync(dir).filter((f) => /\.(txt|srt|vtt|json)$/.test(f));
  it('has fixtures', () => expect(files.length).toBeGreaterThanOrEqual(20));
  it.each(files)('%s', (f) => {
    const segs = parseTranscript(f, readFileSync(new URL(f, dir), 'utf8'));
    expect(segs.length).toBeGreaterThanOrEqual(15);
    expect(segs.every((s) => s.text.length > 0)).toBe(true);
    for (let i = 1; i < segs.length; i++) {
      if (segs[i].start !== null && segs[i - 1].start !== null) expect(segs[i].start!).toBeGreaterThanOrEqual(segs[i - 1].start!);
    }
  });
});

describe('parseTranscript cue prefixes', () => {
  it('keeps a one-off colon phrase in a cue as text', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:02,000\n注意：这批要加急\n\n2\n00:00:03,000 --> 00:00:04,000\n王总：好\n\n3\n00:00:05,000 --> 00:00:06,000\n王总：你们抓紧\n';
    const segs = parseTranscript('x.srt', srt);
    expect(segs[0]).toMatchObject({ speaker: 'unknown', text: '注意：这批要加急' });
    expect(segs[1]).toMatchObject({ speaker: 'customer', text: '好' });
  });
});

describe('roleWord', () => {
  it('maps role words and nothing inherited from Object', async () => {
    const { roleWord } = await import('./transcript-parse.ts');
    expect([roleWord('销售'), roleWord(' Customer '), roleWord('constructor'), roleWord('toString')]).toEqual(['rep', 'customer', undefined, undefined]);
  });

  it('keeps a diarization voice label from a JSON segment', () => {
    const segs = parseTranscript('v.json', JSON.stringify({ segments: [{ start: 0, end: 1, text: '您好', voice: 'S1' }, { start: 1, end: 2, text: '你好' }] }));
    expect(segs.map((s) => s.voice)).toEqual(['S1', undefined]);
  });
});
