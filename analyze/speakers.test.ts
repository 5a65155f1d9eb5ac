import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { assignSpeakers, cueScore, inferLabelRoles, loadSpeakerCues } from './speakers.ts';
import { parseTranscript } from './transcript-parse.ts';
import type { Segment } from './types.ts';

const seg = (text: string, speaker: Segment['speaker'] = 'unknown'): Segment => ({ start: null, end: null, speaker, text });

describe('speaker cues', () => {
  it('loads a validated cue file', () => {
    const cues = loadSpeakerCues();
    expect(cues.version).toMatch(/\S/);
    expect(cues.fillers).toEqual(expect.arrayContaining(['那个', '就是', '嗯', '然后']));
  });

  it('scores rep talk positive and customer talk negative', () => {
    expect(cueScore('我们公司的产品质量您放心，明天给您报价')).toBeGreaterThan(2);
    expect(cueScore('你们家的价格太贵了，别家便宜一半')).toBeLessThan(-2);
    expect(cueScore('好的')).toBe(0);
  });
});

describe('inferLabelRoles', () => {
  it('uses titles and what each name said', () => {
    const roles = inferLabelRoles(
      new Map([
        ['王总', ['嗯，你们这个多少钱']],
        ['小李', ['王总您好，我们公司是做阀门的', '这个您放心']],
        ['张三', ['好的']],
      ]),
    );
    expect(Object.fromEntries(roles)).toEqual({ 王总: 'customer', 小李: 'rep', 张三: 'unknown' });
  });
});

describe('assignSpeakers', () => {
  it('never changes explicit roles and leaves cue-less talk unknown', () => {
    const out = assignSpeakers([seg('你们家太贵了', 'rep'), seg('好的'), seg('嗯')], { switchProb: 0.5 });
    expect(out.map((s) => s.speaker)).toEqual(['rep', 'unknown', 'unknown']);
  });

  it('decides clear utterances and uses alternation between explicit neighbours', () => {
    const out = assignSpeakers([
      seg('王总您好，我是宏达五金的小蔡，我们公司主要做紧固件'),
      seg('你们的价格太贵了，别家便宜'),
      seg('这个您放心，我回去跟领导申请一下给您优惠'),
      seg('行吧', 'customer'),
      seg('那就这样'),
      seg('好', 'customer'),
    ]);
    expect(out.map((s) => s.speaker)).toEqual(['rep', 'customer', 'rep', 'customer', 'rep', 'customer']);
  });

  it('is right on at least 95% of the lines it decides in the labelled fixtures (labels stripped)', () => {
    const dir = new URL('../fixtures/transcripts/', import.meta.url);
    let decided = 0;
    let right = 0;
    let total = 0;
    for (const f of readdirSync(dir).filter((x) => /\.(txt|srt|vtt)$/.test(x))) {
      const truth = parseTranscript(f, readFileSync(new URL(f, dir), 'utf8'));
      if (truth.some((s) => s.speaker === 'unknown')) continue;
      const guessed = assignSpeakers(truth.map((s) => ({ ...s, speaker: 'unknown' as const })));
      guessed.forEach((s, i) => {
        total++;
        if (s.speaker === 'unknown') return;
        decided++;
        if (s.speaker === truth[i].speaker) right++;
      });
    }
    expect(total).toBeGreaterThan(500);
    expect(right / decided).toBeGreaterThanOrEqual(0.95);
    expect(decided / total).toBeGreaterThanOrEqual(0.3);
  });
});

describe('assignSpeakers on the unlabelled fixtures (gold roles by the fixture author)', () => {
  const gold = JSON.parse(readFileSync(new URL('../fixtures/transcripts/gold/expected-roles.json', import.meta.url), 'utf8')).roles as Record<
    string,
    string[]
  >;
  it.each(Object.keys(gold))('%s: decided lines are right, and at least a third are decided', (file) => {
    const segs = assignSpeakers(parseTranscript(file, readFileSync(new URL(`../fixtures/transcripts/${file}`, import.meta.url), 'utf8')));
    expect(segs).toHaveLength(gold[file].length);
    const decided = segs.map((s, i) => [s.speaker, gold[file][i]]).filter(([s]) => s !== 'unknown');
    expect(decided.length / segs.length).toBeGreaterThanOrEqual(0.33);
    expect(decided.filter(([s, g]) => s === g).length / decided.length).toBeGreaterThanOrEqual(0.9);
  });
});
