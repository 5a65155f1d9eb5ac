import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { audioMagic, sniffBytes, sniffFile } from './sniff.ts';

const audioDir = new URL('../fixtures/audio/', import.meta.url);
const transcriptDir = new URL('../fixtures/transcripts/', import.meta.url);

describe('sniff real fixture files', () => {
  it.each([
    ['visit.wav', 'wav'],
    ['visit.mp3', 'mp3'],
    ['visit.m4a', 'm4a'],
    ['visit.ogg', 'ogg'],
    ['visit.webm', 'webm'],
    ['visit.flac', 'flac'],
    ['visit.amr', 'amr'],
    ['voice.silk', 'silk'],
  ])('%s is audio (%s) by its signature', async (file, format) => {
    expect(await sniffFile(new URL(file, audioDir).pathname)).toEqual({ kind: 'audio', format, confirmed: true });
  });

  it('classifies the bad audio fixtures', async () => {
    expect(await sniffFile(new URL('empty.m4a', audioDir).pathname)).toMatchObject({ kind: 'unknown', code: 'empty_file' });
    expect(await sniffFile(new URL('notes.mp3', audioDir).pathname)).toMatchObject({ kind: 'unknown', code: 'not_audio' });
    // No signature: left to the decoder, which knows images and noise from audio.
    expect(await sniffFile(new URL('random.wav', audioDir).pathname)).toEqual({ kind: 'audio', format: 'wav', confirmed: false });
  });

  it('finds transcripts by extension and text content', async () => {
    expect(await sniffFile(new URL('sensors-01.txt', transcriptDir).pathname)).toEqual({ kind: 'transcript', format: 'txt' });
    expect(await sniffFile(new URL('sensors-03.srt', transcriptDir).pathname)).toEqual({ kind: 'transcript', format: 'srt' });
    expect(await sniffFile(new URL('led-03.vtt', transcriptDir).pathname)).toEqual({ kind: 'transcript', format: 'vtt' });
  });
});

describe('sniffBytes', () => {
  const text = Buffer.from('销售：您好', 'utf8');

  it('lets content win over the name: audio renamed to .txt is audio', () => {
    const wav = readFileSync(new URL('visit.wav', audioDir));
    expect(sniffBytes('call.txt', wav)).toMatchObject({ kind: 'audio', format: 'wav' });
    expect(sniffBytes('no-extension', wav)).toMatchObject({ kind: 'audio', format: 'wav' });
  });

  it('rejects binary content named .txt and unknown extensions', () => {
    const png = readFileSync(new URL('image.mp3', audioDir));
    expect(sniffBytes('call.txt', png)).toMatchObject({ kind: 'unknown', code: 'not_text' });
    expect(sniffBytes('call.docx', text)).toMatchObject({ kind: 'unknown', code: 'unknown_extension' });
    expect(sniffBytes('call', text)).toMatchObject({ kind: 'unknown', code: 'unknown_extension' });
  });

  it('accepts GBK and UTF-16 (BOM) transcripts', () => {
    expect(sniffBytes('a.txt', iconv.encode('销售：您好', 'gbk'))).toEqual({ kind: 'transcript', format: 'txt' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('销售：您好', 'utf-16le')]);
    expect(sniffBytes('a.TXT', utf16)).toEqual({ kind: 'transcript', format: 'txt' });
  });

  it('recognizes frame-synced MPEG, ADTS AAC and the WeChat SILK variants', () => {
    expect(audioMagic(Uint8Array.from([0xff, 0xfb, 0x90, 0x64]))).toBe('mp3');
    expect(audioMagic(Uint8Array.from([0xff, 0xf1, 0x50, 0x80]))).toBe('aac');
    expect(audioMagic(Buffer.from('#!SILK_V3abc'))).toBe('silk');
    expect(audioMagic(Buffer.from('\x02#!SILK_V3abc', 'latin1'))).toBe('silk');
    expect(audioMagic(Buffer.from('#!AMR\n'))).toBe('amr');
    expect(audioMagic(Uint8Array.from([0xff, 0xfb, 0xf0, 0x64]))).toBeNull(); // bitrate index 15 is invalid
    expect(audioMagic(text)).toBeNull();
  });
});
