/**
 * UTF-8 code points and case folding in the VM against src/text/fold.ts: foldCodePoint on every code point,
 * foldUtf8 equal to the UTF-8 of foldString on named, random and multi-megabyte strings, and the capacity bound
 * (foldUtf8 never writes past foldedCapacity(len)).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { foldCodePoint, foldString } from '../../src/text/fold.js';
import { fromUtf8, loadMatchVm, MIXED_ALPHABET, Rng, utf8, type MatchVm } from './support.js';

const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_START = 0xd800;
const SURROGATE_END = 0xdfff;
const MEGABYTE = 1 << 20;
const GUARD_BYTES = 64;
const GUARD = 0xa5;

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

describe('code points', () => {
  test('foldCodePoint agrees with the reference on every code point', () => {
    const fold = m.x.foldCodePoint;
    const mismatches: string[] = [];
    for (let cp = 0; cp <= MAX_CODE_POINT; cp++) {
      const got = fold(cp) >>> 0;
      if (got !== foldCodePoint(cp)) mismatches.push(`U+${cp.toString(16)}: ${got} vs ${foldCodePoint(cp)}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  test('encodeUtf8 and decodeUtf8 round-trip every scalar value, byte for byte with TextEncoder', () => {
    const buf = m.vm.alloc(8);
    const bad: number[] = [];
    for (let cp = 0; cp <= MAX_CODE_POINT; cp++) {
      if (cp >= SURROGATE_START && cp <= SURROGATE_END) continue;
      const n = m.x.encodeUtf8(cp, buf);
      const expected = utf8(String.fromCodePoint(cp));
      const got = m.vm.read(buf, n);
      if (n !== expected.length || got.some((b, i) => b !== expected[i]) || m.x.decodeUtf8(buf) >>> 0 !== cp) bad.push(cp);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  test('folding only ever grows a code point from 2 to 3 bytes (what foldedCapacity relies on)', () => {
    const growth: string[] = [];
    for (let cp = 0; cp <= MAX_CODE_POINT; cp++) {
      const f = foldCodePoint(cp);
      if (utf8Length(f) > utf8Length(cp)) growth.push(`${utf8Length(cp)}->${utf8Length(f)}`);
    }
    expect(new Set(growth)).toEqual(new Set(['2->3']));
    expect(m.x.foldedCapacity(10)).toBe(15);
    expect(m.x.foldedCapacity(0)).toBe(0);
  });

  test('advanceCodePoints and retreatCodePoints step over whole sequences', () => {
    const [s] = m.load('aé中😀b');
    // byte offsets of code points: a=0, é=1, 中=3, 😀=6, b=10, end=11
    expect(m.x.advanceCodePoints(s.ptr, s.len, 0, 4)).toBe(10);
    expect(m.x.advanceCodePoints(s.ptr, s.len, 1, 4)).toBe(11);
    expect(m.x.advanceCodePoints(s.ptr, s.len, 1, 5)).toBe(-1);
    expect(m.x.retreatCodePoints(s.ptr, 0, 11, 2)).toBe(6);
    expect(m.x.retreatCodePoints(s.ptr, 3, 11, 3)).toBe(3);
    expect(m.x.retreatCodePoints(s.ptr, 3, 11, 4)).toBe(-1);
  });
});

const NAMED: readonly [string, string][] = [
  ['empty', ''],
  ['ASCII under 16 bytes', 'Hello, World!'],
  ['ASCII across blocks', 'C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\POWERSHELL.EXE -EncodedCommand ABC'],
  ['exactly 16 ASCII bytes', 'ABCDEFGHIJKLMNOP'],
  ['17 ASCII bytes', 'ABCDEFGHIJKLMNOPQ'],
  ['the bytes around the letters', '@AZ[`az{'],
  ['Latin-1', 'ÀÉÎÕÜ àéîõü ÿŸ'],
  ['U+023A grows to 3 bytes', 'ȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺȺ'],
  ['U+023E after 15 ASCII bytes', 'ABCDEFGHIJKLMNOȾ and more text here'],
  ['Kelvin sign shrinks to ASCII', 'KKK 100 K'],
  ['dotted capital I is unchanged', 'İSTANBUL'],
  ['Greek sigma', 'ΣΊΣΥΦΟΣ'],
  ['Cyrillic', 'ПРИВЕТ МИР, Привет мир'],
  ['CJK', '中文字符 ABC 日本語'],
  ['emoji', '😀 SMILE 😀😁😂 END'],
  ['Deseret', '𐐀𐐁𐐂 ABC'],
  ['non-ASCII at the end of a block', 'ABCDEFGHIJKLMNOé'],
  ['non-ASCII straddling a block', 'ABCDEFGHIJKLMNO中XYZ'],
];

describe('foldUtf8', () => {
  test.each(NAMED)('%s', (_name, s) => {
    expect(fromUtf8(m.fold(s))).toBe(foldString(s));
  });

  test('random strings of mixed widths (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MIXED_ALPHABET), { maxLength: 80 }), (chars) => {
        const s = chars.join('');
        expect(fromUtf8(m.fold(s))).toBe(foldString(s));
      }),
      { numRuns: 5000 },
    );
  });

  test('arbitrary Unicode strings (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (raw) => {
        const s = raw.toWellFormed();
        expect(fromUtf8(m.fold(s))).toBe(foldString(s));
      }),
      { numRuns: 5000 },
    );
  });

  test('never writes past foldedCapacity(len), even when every code point grows', () => {
    const rng = new Rng(0xf01d);
    const growers = ['Ⱥ', 'Ⱦ', 'a', 'Z', 'é', 'K', '😀'];
    for (let run = 0; run < 2000; run++) {
      const s = run % 2 === 0 ? rng.string(growers, 70) : 'Ⱥ'.repeat(rng.int(40));
      const [src] = m.load(s);
      const capacity = m.x.foldedCapacity(src.len);
      const dst = m.vm.alloc(capacity + GUARD_BYTES);
      m.vm.bytes().fill(GUARD, dst + capacity, dst + capacity + GUARD_BYTES);
      const n = m.x.foldUtf8(src.ptr, src.len, dst);
      expect(n).toBeLessThanOrEqual(capacity);
      expect(fromUtf8(m.vm.read(dst, n))).toBe(foldString(s));
      expect(m.vm.read(dst + capacity, GUARD_BYTES).every((b) => b === GUARD)).toBe(true);
    }
  });

  test('never reads past its input (which ends at the last byte of memory)', () => {
    const rng = new Rng(0xe0f);
    for (let run = 0; run < 2000; run++) {
      const s = rng.string(MIXED_ALPHABET, 50);
      m.vm.reset();
      const dst = m.vm.alloc(m.x.foldedCapacity(utf8(s).length));
      const src = m.atMemoryEnd(s);
      const n = m.x.foldUtf8(src.ptr, src.len, dst);
      expect(fromUtf8(m.vm.read(dst, n))).toBe(foldString(s));
    }
  });

  test.each([1, 4, 10])('%i MB of mixed text', (megabytes) => {
    const rng = new Rng(megabytes);
    const pieces: string[] = [];
    let size = 0;
    while (size < megabytes * MEGABYTE) {
      const piece = rng.next() < 0.7 ? 'The QUICK Brown FOX jumps; ' : rng.string(MIXED_ALPHABET, 12);
      pieces.push(piece);
      size += piece.length;
    }
    const s = pieces.join('');
    expect(fromUtf8(m.fold(s)) === foldString(s)).toBe(true);
  });
});
