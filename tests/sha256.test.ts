import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256Hex } from '../lib/sha256';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('the SHA-256 behind event ids and token checks', () => {
  test('gives the published digest of "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test.each(['', '数据万象', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'x'.repeat(100_000)])('matches node:crypto on %#', (text) => {
    expect(sha256Hex(text)).toBe(reference(text));
  });

  test('matches node:crypto on any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => sha256Hex(text) === reference(text)),
      { numRuns: 500 },
    );
  });
});
