import { describe, expect, it } from 'vitest';
import { characterErrorRate } from './cer.ts';

describe('characterErrorRate', () => {
  it('ignores spacing and punctuation of the reference style, and script differences', () => {
    expect(characterErrorRate('甚至  出现  交易  几乎  停滞  的  情况', '甚至出现交易幾乎停滯的情況。')).toBe(0);
  });

  it('counts substitutions, insertions and deletions against the reference length', () => {
    expect(characterErrorRate('换一首歌', '换一手歌')).toBe(0.25);
    expect(characterErrorRate('换一首歌', '换首歌曲吧')).toBe(0.75);
    expect(characterErrorRate('换一首歌', '')).toBe(1);
  });
});
