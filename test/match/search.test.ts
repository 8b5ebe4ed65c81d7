/**
 * Literal search against a plain reference: every needle length from 0 up across block boundaries, needles longer
 * than the haystack, matches at the very end, random (fast-check) haystacks over small alphabets so that near misses
 * and repeated candidates are common, UTF-8 text, and multi-megabyte haystacks. Inputs are placed so they end right
 * at allocation boundaries too, which catches reads past the end (the test VM zeroes the padding after them).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadMatchVm, MIXED_ALPHABET, Rng, utf8, type MatchVm } from './support.js';

const MEGABYTE = 1 << 20;

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

/** The definition: least i >= from with the needle at i, or -1; an empty needle is found at from if from <= len. */
function referenceIndexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  if (needle.length === 0) return from <= hay.length ? from : -1;
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

const bytesOf = (s: string): Uint8Array => utf8(s);

function check(hay: Uint8Array, needle: Uint8Array, from = 0): void {
  const [h, n] = m.load(hay, needle);
  const x = m.x;
  expect(x.indexOf(h.ptr, h.len, n.ptr, n.len, from)).toBe(referenceIndexOf(hay, needle, from));
  const starts = needle.length <= hay.length && needle.every((b, i) => b === hay[i]);
  const ends = needle.length <= hay.length && needle.every((b, i) => b === hay[hay.length - needle.length + i]);
  expect(x.startsWith(h.ptr, h.len, n.ptr, n.len) !== 0).toBe(starts);
  expect(x.endsWith(h.ptr, h.len, n.ptr, n.len) !== 0).toBe(ends);
  if (needle.length === hay.length) {
    expect(x.bytesEqual(h.ptr, n.ptr, n.len) !== 0).toBe(starts);
  }
}

const NAMED: readonly [string, string, string, number][] = [
  ['empty needle in empty haystack', '', '', 0],
  ['empty needle at from', 'abc', '', 2],
  ['empty needle at the end', 'abc', '', 3],
  ['empty needle past the end', 'abc', '', 4],
  ['needle longer than haystack', 'abc', 'abcd', 0],
  ['needle equal to haystack', 'abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz', 0],
  ['from past the end', 'abc', 'c', 5],
  ['1-byte match at the very end of 100 bytes', 'x'.repeat(99) + 'y', 'y', 0],
  ['2-byte match at the very end', 'x'.repeat(98) + 'yz', 'yz', 0],
  ['3-byte match at the very end', 'x'.repeat(97) + 'xyz', 'xyz', 0],
  ['long match at the very end', 'a'.repeat(200) + 'needle', 'needle', 0],
  ['first/last bytes match often, the middle rarely', 'nxxxxen'.repeat(40) + 'needle', 'needle', 0],
  ['match before from is skipped', 'needle....needle', 'needle', 1],
  ['UTF-8 needle', 'Grüße aus München, 中文 😀!', 'München', 0],
  ['emoji needle', 'a😀b😁c😂', '😂', 0],
  ['no match', 'powershell.exe -enc', 'cmd.exe', 0],
];

describe('indexOf, startsWith, endsWith, bytesEqual', () => {
  test.each(NAMED)('%s', (_name, hay, needle, from) => {
    check(bytesOf(hay), bytesOf(needle), from);
  });

  test('every haystack length 0-70, needle length 0-40 and match position, from 0 and from just before the match', () => {
    for (let hayLen = 0; hayLen <= 70; hayLen++) {
      for (let needleLen = 0; needleLen <= Math.min(40, hayLen + 1); needleLen++) {
        const needle = new Uint8Array(needleLen).map((_, i) => 0x41 + (i % 7));
        for (let at = -1; at + needleLen <= hayLen; at++) {
          const hay = new Uint8Array(hayLen).fill(0x41); // shares the first byte: maximal candidates
          if (at >= 0) hay.set(needle, at);
          check(hay, needle, 0);
          if (at > 0) check(hay, needle, at);
          if (at >= 0) check(hay, needle, at + 1);
        }
      }
    }
  });

  test('random haystacks over a 2-letter alphabet (fast-check)', () => {
    const letters = fc.constantFrom(0x61, 0x62);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 120 }).map((a) => a.map((b) => 0x61 + (b & 1))),
        fc.array(letters, { minLength: 0, maxLength: 8 }),
        fc.nat(130),
        (hay, needle, from) => check(hay, Uint8Array.from(needle), from),
      ),
      { numRuns: 20000 },
    );
  });

  test('random needles cut from the haystack (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(40), fc.nat(300), (hay, at, n, from) => {
        const start = at % hay.length;
        check(hay, hay.slice(start, start + n), from % (hay.length + 2));
      }),
      { numRuns: 20000 },
    );
  });

  test('UTF-8 text with mixed widths (fast-check)', () => {
    const text = fc.array(fc.constantFrom(...MIXED_ALPHABET), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, (hay, needle) => {
        check(utf8(hay), utf8(needle));
        check(utf8(hay + needle), utf8(needle));
      }),
      { numRuns: 5000 },
    );
  });

  test('never reads past the haystack or the needle (both end at the last byte of memory)', () => {
    const rng = new Rng(0xe0f);
    for (let run = 0; run < 3000; run++) {
      const hay = new Uint8Array(rng.int(80)).map(() => 0x61 + rng.int(3));
      const needle = new Uint8Array(rng.int(12)).map(() => 0x61 + rng.int(3));
      const x = m.x;
      m.vm.reset();
      const n = m.vm.put(needle);
      const h = m.atMemoryEnd(hay);
      expect(x.indexOf(h.ptr, h.len, n.ptr, n.len, 0)).toBe(referenceIndexOf(hay, needle, 0));
      x.startsWith(h.ptr, h.len, n.ptr, n.len);
      x.endsWith(h.ptr, h.len, n.ptr, n.len);
      const h2 = m.vm.put(hay);
      const n2 = m.atMemoryEnd(needle);
      expect(x.indexOf(h2.ptr, h2.len, n2.ptr, n2.len, 0)).toBe(referenceIndexOf(hay, needle, 0));
      if (needle.length <= hay.length) x.bytesEqual(h.ptr, n2.ptr, n2.len);
    }
  });

  test.each([1, 4, 10])('%i MB haystacks: match at the very end, one byte short, absent, at the start', (megabytes) => {
    const size = megabytes * MEGABYTE;
    const rng = new Rng(megabytes);
    const hay = new Uint8Array(size);
    for (let i = 0; i < size; i++) hay[i] = 0x61 + rng.int(4); // a-d: first/last filters fire often
    for (const needle of ['e', 'ae', 'bae', 'abcde', 'abcd'.repeat(8) + 'e'].map(bytesOf)) {
      const withEnd = hay.slice();
      withEnd.set(needle, size - needle.length);
      const [h, n] = m.load(withEnd, needle);
      expect(m.x.indexOf(h.ptr, h.len, n.ptr, n.len, 0)).toBe(size - needle.length);
      expect(m.x.indexOf(h.ptr, h.len - 1, n.ptr, n.len, 0)).toBe(-1);
      expect(m.x.endsWith(h.ptr, h.len, n.ptr, n.len)).toBe(1);
      const [h2, n2] = m.load(hay, needle);
      expect(m.x.indexOf(h2.ptr, h2.len, n2.ptr, n2.len, 0)).toBe(-1);
    }
    const present = hay.slice(size / 2, size / 2 + 24);
    const [h, n] = m.load(hay, present);
    expect(m.x.indexOf(h.ptr, h.len, n.ptr, n.len, 0)).toBe(referenceIndexOf(hay, present, 0));
    expect(m.x.bytesEqual(h.ptr, h.ptr, h.len)).toBe(1);
  });
});
