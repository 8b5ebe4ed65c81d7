/** The first ill-formed UTF-8 byte, as a strict decoder finds it, and its line and column. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { firstInvalidUtf8, utf8ErrorAt } from '../../src/text/utf8.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodes = (b: Uint8Array): boolean => {
  try {
    strict.decode(b);
    return true;
  } catch {
    return false;
  }
};

/** Bytes that are mostly UTF-8 with now and then a byte from the ranges where sequences go wrong. */
const bytes = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }).map((s) => [...new TextEncoder().encode(s)]) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90, 0x0a), { maxLength: 3 }) },
    ),
    { maxLength: 12 },
  )
  .map((parts) => new Uint8Array(parts.flat()));

describe('firstInvalidUtf8', () => {
  test('agrees with a strict decoder: -1 exactly when it decodes, else the prefix before it decodes and the sequence at it does not', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at === -1).toBe(decodes(b));
        if (at >= 0) {
          expect(decodes(b.subarray(0, at))).toBe(true);
          expect(decodes(b.subarray(0, Math.min(b.length, at + 4)))).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test.each<[string, number[], number]>([
    ['a stray continuation byte', [0x61, 0x80], 1],
    ['an overlong two-byte form', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['cut short at the end', [0x61, 0xe2, 0x82], 1],
    ['cut short by ASCII', [0xe2, 0x61, 0x62], 0],
    ['0xFF', [0x61, 0x62, 0xff], 2],
  ])('%s', (_name, b, at) => {
    expect(firstInvalidUtf8(new Uint8Array(b))).toBe(at);
  });
});

describe('utf8ErrorAt', () => {
  test('line and column as YAML positions count them (UTF-16 units); a leading BOM is not a column', () => {
    const text = (s: string, bad: number[], rest = ''): Uint8Array => new Uint8Array([...new TextEncoder().encode(s), ...bad, ...new TextEncoder().encode(rest)]);
    expect(utf8ErrorAt(text('a: 1\nb: é🙂 ', [0xff], '\n'))).toEqual({ offset: 15, byte: 0xff, line: 2, column: 8 }); // the emoji is two UTF-16 units, as YAML positions count
    expect(utf8ErrorAt(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3]))).toEqual({ offset: 4, byte: 0xc3, line: 1, column: 2 });
    expect(utf8ErrorAt(text('fine\n', []))).toBeNull();
  });
});
