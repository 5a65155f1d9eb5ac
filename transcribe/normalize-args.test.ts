import { describe, expect, it } from 'vitest';
import { normalizeArgs, normalizeTimeoutMs } from './normalize-args.ts';
import type { AudioProbe } from './probe.ts';

const probe = (over: Partial<AudioProbe['audio']> = {}, rest: Partial<AudioProbe> = {}): AudioProbe => ({
  path: '/in/客户 拜访 $(touch x).m4a',
  sizeBytes: 480_000,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  probeScore: 100,
  declaredDurationSec: 120,
  bitRate: 32_000,
  audio: { index: 0, codec: 'aac', sampleRate: 48_000, channels: 1, channelLayout: 'mono', ...over },
  hasVideo: false,
  ...rest,
});

const SPEECH = 'aformat=sample_fmts=fltp:channel_layouts=mono,aresample=16000,dynaudnorm=f=200:g=11:p=0.9:m=10';
const wavOut = (file: string) => [
  '-map_metadata', '-1', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-fflags', '+bitexact',
  '-flags:a', '+bitexact', '-t', '14401', '-f', 'wav', `file:${file}`,
];

describe('normalizeArgs', () => {
  it('mixes to 16 kHz mono, normalizes loudness, detects silence, keeps the file name as one argument', () => {
    expect(normalizeArgs(probe(), { output: '/out/n.wav', maxSeconds: 14_400 })).toEqual([
      '-hide_banner', '-nostdin', '-y', '-i', 'file:/in/客户 拜访 $(touch x).m4a',
      '-map', '0:0', '-vn', '-sn', '-dn',
      '-af', `${SPEECH},silencedetect=noise=-35dB:d=0.4`,
      ...wavOut('/out/n.wav'),
    ]);
  });

  it('maps the first audio stream by its index (video files carry audio as stream 1)', () => {
    const args = normalizeArgs(probe({ index: 1 }, { hasVideo: true }), { output: '/o.wav', maxSeconds: 60 });
    expect(args.slice(5, 7)).toEqual(['-map', '0:1']);
    expect(args).toContain('-vn');
  });

  it('splits a stereo source into a mix plus one file per channel', () => {
    const args = normalizeArgs(probe({ channels: 2, channelLayout: null }), {
      output: '/out/n.wav',
      channelOutputs: { left: '/out/l.wav', right: '/out/r.wav' },
      maxSeconds: 14_400,
    });
    expect(args).toEqual([
      '-hide_banner', '-nostdin', '-y', '-i', 'file:/in/客户 拜访 $(touch x).m4a',
      '-filter_complex',
      [
        '[0:0]asplit=2[m][s]',
        `[m]${SPEECH},silencedetect=noise=-35dB:d=0.4[mix]`,
        '[s]aformat=channel_layouts=stereo,channelsplit=channel_layout=stereo[l][r]',
        `[l]${SPEECH}[lo]`,
        `[r]${SPEECH}[ro]`,
      ].join(';'),
      '-map', '[mix]', ...wavOut('/out/n.wav'),
      '-map', '[lo]', ...wavOut('/out/l.wav'),
      '-map', '[ro]', ...wavOut('/out/r.wav'),
    ]);
  });

  it('falls back to a plain mix when a split is asked of a mono source', () => {
    const args = normalizeArgs(probe(), { output: '/o.wav', channelOutputs: { left: '/l', right: '/r' }, maxSeconds: 60 });
    expect(args).not.toContain('-filter_complex');
    expect(args.filter((a) => a.startsWith('file:'))).toEqual(['file:/in/客户 拜访 $(touch x).m4a', 'file:/o.wav']);
  });
});

describe('normalizeTimeoutMs', () => {
  it('grows with the audio length: the header claim or what the size holds at 8 kbit/s, whichever is longer', () => {
    expect(normalizeTimeoutMs(probe({}, { declaredDurationSec: 3600, sizeBytes: 3_000_000 }), 14_400)).toBe(30_000 + 3600 * 250);
    expect(normalizeTimeoutMs(probe({}, { declaredDurationSec: 10, sizeBytes: 40_000 }), 14_400)).toBe(30_000 + 40 * 250);
  });

  it('uses the file size when the header is silent, and caps at the configured maximum', () => {
    expect(normalizeTimeoutMs(probe({}, { declaredDurationSec: null, sizeBytes: 100_000 }), 14_400)).toBe(30_000 + 100 * 250);
    expect(normalizeTimeoutMs(probe({}, { declaredDurationSec: 33_554, sizeBytes: 32_044 }), 60)).toBe(30_000 + 61 * 250);
  });
});
