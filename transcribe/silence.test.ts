import { describe, expect, it } from 'vitest';
import { parseSilence } from './silence.ts';
import { parseWavHeader } from './wav-info.ts';

describe('parseSilence', () => {
  it('sums closed and trailing open silences into a speech ratio', () => {
    const lines = [
      '[silencedetect @ 0x1] silence_start: 0',
      '[silencedetect @ 0x1] silence_end: 0.5 | silence_duration: 0.5',
      '[silencedetect @ 0x1] silence_start: 3.5',
    ];
    expect(parseSilence(lines, 4)).toEqual({
      silences: [
        { start: 0, end: 0.5 },
        { start: 3.5, end: 4 },
      ],
      speechRatio: 0.75,
    });
  });

  it('is 1 without silences and 0 for an all-silent file', () => {
    expect(parseSilence([], 10).speechRatio).toBe(1);
    expect(parseSilence(['silence_start: 0'], 10).speechRatio).toBe(0);
  });
});

describe('parseWavHeader', () => {
  const header = (dataSize: number, extra: Buffer = Buffer.alloc(0)) => {
    const b = Buffer.alloc(44);
    b.write('RIFF', 0, 'latin1');
    b.writeUInt32LE((36 + dataSize) % 2 ** 32, 4);
    b.write('WAVE', 8, 'latin1');
    b.write('fmt ', 12, 'latin1');
    b.writeUInt32LE(16, 16);
    b.writeUInt16LE(1, 20);
    b.writeUInt16LE(1, 22);
    b.writeUInt32LE(16000, 24);
    b.writeUInt32LE(32000, 28);
    b.writeUInt16LE(2, 32);
    b.writeUInt16LE(16, 34);
    b.write('data', 36, 'latin1');
    b.writeUInt32LE(dataSize, 40);
    return Buffer.concat([b, extra]);
  };

  it('reads the duration from the data chunk', () => {
    expect(parseWavHeader(header(64_000), 44 + 64_000)).toMatchObject({ sampleRate: 16000, channels: 1, durationSec: 2 });
  });

  it('trusts the file length over a data size the file cannot hold', () => {
    expect(parseWavHeader(header(1 << 30), 44 + 32_000).durationSec).toBe(1);
    expect(parseWavHeader(header(0xffffffff), 44 + 16_000).durationSec).toBe(0.5);
  });

  it('rejects non-WAV data', () => {
    expect(() => parseWavHeader(Buffer.from('not a wav file at all, no'), 25)).toThrow(/RIFF/);
  });
});
