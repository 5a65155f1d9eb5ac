import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { audioFixture } from '../fixtures/audio/index.ts';
import { sniffAudioHeader } from './audio-sniff.ts';

const head = (name: string) => fs.readFileSync(audioFixture(name)).subarray(0, 4096);

describe('sniffAudioHeader', () => {
  it('recognizes WeChat SILK with and without its 0x02 prefix', () => {
    expect(sniffAudioHeader(head('voice.silk'))).toEqual({ kind: 'silk' });
    expect(sniffAudioHeader(Buffer.from('#!SILK_V3\x0c\x00abc', 'latin1'))).toEqual({ kind: 'silk' });
  });

  it('names images and text', () => {
    expect(sniffAudioHeader(head('image.mp3'))).toMatchObject({ kind: 'not_audio', what: expect.stringContaining('PNG') });
    expect(sniffAudioHeader(head('notes.mp3'))).toMatchObject({ kind: 'not_audio', what: expect.stringContaining('text') });
  });

  it('lets every real audio fixture through (AMR starts with printable "#!AMR")', () => {
    for (const name of ['visit.wav', 'visit.mp3', 'visit.m4a', 'visit.ogg', 'visit.webm', 'visit.flac', 'visit.amr', 'truncated.mp3']) {
      expect(sniffAudioHeader(head(name)), name).toEqual({ kind: 'maybe_audio' });
    }
  });
});
