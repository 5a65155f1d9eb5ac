import { describe, expect, it } from 'vitest';
import { buildTestModel } from './test-model.ts';

describe('buildTestModel', () => {
  const model = buildTestModel();

  it('writes the ggml header whisper.cpp v1.5.0 expects', () => {
    expect(model.readUInt32LE(0)).toBe(0x67676d6c);
    const hparams = Array.from({ length: 11 }, (_, i) => model.readInt32LE(4 + i * 4));
    // n_vocab, audio ctx/state/head/layer, text ctx/state/head/layer, mels, ftype (f16)
    expect(hparams).toEqual([51865, 1500, 8, 2, 1, 64, 8, 2, 1, 80, 1]);
    expect([model.readInt32LE(48), model.readInt32LE(52)]).toEqual([80, 201]);
  });

  it('puts the vocabulary in GPT-2 byte order, with the space at id 220', () => {
    let offset = 56 + 80 * 201 * 4;
    const nVocab = model.readInt32LE(offset);
    offset += 4;
    const tokens: Buffer[] = [];
    for (let i = 0; i < nVocab; i++) {
      const len = model.readInt32LE(offset);
      tokens.push(model.subarray(offset + 4, offset + 4 + len));
      offset += 4 + len;
    }
    expect(nVocab).toBe(50257);
    expect(tokens[0].toString('latin1')).toBe('!');
    expect(tokens[188]).toEqual(Buffer.from([0]));
    expect(tokens[220].toString('latin1')).toBe(' ');
    expect(new Set(tokens.map((t) => t.toString('hex'))).size).toBe(nVocab);
    // the first tensor record follows the vocabulary
    const nameLen = model.readInt32LE(offset + 4);
    expect(model.toString('utf8', offset + 12 + 2 * 4, offset + 12 + 2 * 4 + nameLen)).toBe('encoder.positional_embedding');
  });

  it('is small and deterministic for a seed', () => {
    expect(model.length).toBeGreaterThan(1_200_000);
    expect(model.length).toBeLessThan(1_600_000);
    expect(buildTestModel().equals(model)).toBe(true);
    expect(buildTestModel({ seed: 1 }).equals(model)).toBe(false);
  });
});
