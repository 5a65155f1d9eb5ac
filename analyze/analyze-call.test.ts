import { describe, expect, it } from 'vitest';
import { analyzeCall } from './analyze-call.ts';
import { loadLexicon } from '../lexicons/index.ts';
import type { Segment } from './types.ts';

const now = new Date('2026-03-02T10:00:00+08:00');
const seg = (start: number | null, speaker: Segment['speaker'], text: string): Segment => ({ start, end: null, speaker, text });

describe('analyzeCall', () => {
  const lexicon = loadLexicon();
  const call: Segment[] = [
    { start: 0, end: 5, speaker: 'rep', text: '王總您好，我是華測傳感的小陳。' },
    { start: 5, end: 12, speaker: 'customer', text: '你们的价格太贵了，能不能便宜点？' },
    { start: 12, end: 12.5, speaker: 'customer', text: '   ' },
    { start: 12.5, end: 30, speaker: 'rep', text: '理解您的顾虑。您这边主要用在什么设备上？' },
    { start: 30, end: 40, speaker: 'customer', text: '注塑机液压系统' },
    { start: 40, end: null, speaker: 'rep', text: '好的，我明天上午把报价单发给您。' },
  ];
  const a = analyzeCall(call, { now, lexicon });

  it('normalizes text (traditional → simplified) and drops empty utterances', () => {
    expect(a.segments).toHaveLength(5);
    expect(a.segments[0].text).toBe('王总您好，我是华测传感的小陈。');
    expect(a.lexiconVersion).toBe(lexicon.version);
  });

  it('tags every speaker with offsets into the normalized text, behaviours for the rep only', () => {
    const price = a.segments[1].tags.find((t) => t.category === 'price_sensitivity');
    expect(price).toBeDefined();
    expect(a.segments[1].text.slice(price!.start, price!.end)).toBe(price!.keyword);
    expect(a.segments[1].behaviors).toEqual([]);
    expect(a.segments[2].behaviors).toEqual(expect.arrayContaining(['use_case_probe']));
    expect(a.tagCounts.price_sensitivity).toBeGreaterThanOrEqual(1);
  });

  it('extracts the commitment with its index in the output segments and due time', () => {
    expect(a.commitments).toEqual([{ segment: 4, text: '我明天上午把报价单发给您', dueAt: '2026-03-03T12:00:00+08:00', by: 'rep' }]);
  });

  it('derives duration and timed metrics from the timestamps', () => {
    expect(a.durationSec).toBeGreaterThan(40);
    expect(a.metrics.repQuestions).toBe(1);
    expect(a.metrics.longestRepMonologueSec).toBeGreaterThan(17);
    expect(a.metrics.interactivityPerMin).toBeGreaterThan(0);
    expect(a.metrics.repTalkShare).toBeGreaterThan(0.5);
  });

  it('uses a given duration and infers unknown speakers from cues', () => {
    const b = analyzeCall(
      [seg(null, 'unknown', '王总您好，我们公司是做传感器的，给您带了资料'), seg(null, 'unknown', '你们家的价格太贵了，别家便宜一半')],
      { now, lexicon, durationSec: 60 },
    );
    expect(b.segments.map((s) => s.speaker)).toEqual(['rep', 'customer']);
    expect(b.durationSec).toBe(60);
    expect(b.metrics.interactivityPerMin).toBe(1);
    expect(b.metrics.longestRepMonologueSec).toBeNull();
  });
});

describe('analyzeCall over the fixture transcripts', () => {
  it('lists a rep commitment for exactly the segments whose behaviours include commitment', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { parseTranscript } = await import('./transcript-parse.ts');
    const dir = new URL('../fixtures/transcripts/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(30);
    let flagged = 0;
    for (const f of files) {
      const a = analyzeCall(parseTranscript(f, readFileSync(new URL(f, dir), 'utf8')), { now });
      const withBehavior = a.segments.flatMap((s, i) => (s.behaviors.includes('commitment') ? [i] : []));
      // A line with two promises has two entries; customer promises are no rep behaviour.
      expect([...new Set(a.commitments.filter((c) => c.by === 'rep').map((c) => c.segment))], f).toEqual(withBehavior);
      flagged += withBehavior.length;
    }
    expect(flagged).toBeGreaterThan(20);
  });
});

describe('analyzeCall on speech-to-text output', () => {
  const lexicon = loadLexicon();
  const asr = (start: number, end: number, text: string, voice?: string): Segment => ({ start, end, speaker: 'unknown', text, ...(voice ? { voice } : {}) });

  it('reads homophones of lexicon terms as the terms, keeping the words as transcribed and counting them as homophones', () => {
    const a = analyzeCall([asr(0, 4, '王总您好我是华通的小韩'), asr(4.5, 9, '你们这个报加有点高能不能便宜点'), asr(9.6, 14, '好的我明添上午把报价单发给您')], {
      now,
      lexicon,
      source: 'audio',
    });
    const hit = a.segments[1].tags.find((t) => t.homophoneOf === '报价');
    expect(hit).toMatchObject({ keyword: '报加', category: 'price_sensitivity' });
    expect(a.segments[1].text.slice(hit!.start, hit!.end)).toBe('报加');
    expect(a.commitments).toEqual([expect.objectContaining({ segment: 2, dueAt: '2026-03-03T12:00:00+08:00', by: 'rep' })]);
    for (const s of a.segments) expect(s.speakerConfidence).toBeGreaterThan(0.5);
  });

  it('gives every segment of one voice one role', () => {
    const a = analyzeCall(
      [asr(0, 3, '王总您好我是华通的小韩', 'S1'), asr(3.5, 6, '你好你好坐', 'S2'), asr(6.5, 9, '嗯', 'S1'), asr(9.5, 12, '我们一天出两千套布草', 'S2')],
      { now, lexicon, source: 'audio' },
    );
    expect(a.segments.map((s) => [s.voice, s.speaker])).toEqual([['S1', 'rep'], ['S2', 'customer'], ['S1', 'rep'], ['S2', 'customer']]);
  });

  it('splits a segment where the speaker changes', () => {
    const a = analyzeCall([asr(0, 8, '您这边一个月大概用多少吨我们一个月用三十吨左右吧')], { now, lexicon, source: 'audio' });
    expect(a.segments.length).toBe(2);
    expect(a.segments.map((s) => s.speaker)).toEqual(['rep', 'customer']);
    expect(a.segments.map((s) => s.text).join('')).toBe('您这边一个月大概用多少吨我们一个月用三十吨左右吧');
    expect(a.segments[0].end).toBe(a.segments[1].start);
  });
});
