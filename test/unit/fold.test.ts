import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { foldCodePoint, foldString, wellFormed } from '../../src/text/fold.js';

describe('foldCodePoint', () => {
  test.each<[string, number, number]>([
    ['A', 0x41, 0x61],
    ['Z', 0x5a, 0x7a],
    ['a stays', 0x61, 0x61],
    ['@ stays', 0x40, 0x40],
    ['[ stays', 0x5b, 0x5b],
    ['À', 0xc0, 0xe0],
    ['× stays (between the Latin-1 runs)', 0xd7, 0xd7],
    ['Ÿ', 0x178, 0xff],
    ['Ā (stride 2)', 0x100, 0x101],
    ['ā stays (stride 2)', 0x101, 0x101],
    ['İ stays: its toLowerCase is two code points (scripts/gen-casefold.mjs)', 0x130, 0x130],
    ['Σ', 0x3a3, 0x3c3],
    ['ς stays', 0x3c2, 0x3c2],
    ['Cyrillic Д', 0x414, 0x434],
    ['Kelvin sign', 0x212a, 0x6b],
    ['Ⅻ (Roman numeral)', 0x216b, 0x217b],
    ['full-width Ａ', 0xff21, 0xff41],
    ['Deseret 𐐀 (astral)', 0x10400, 0x10428],
    ['emoji stays', 0x1f642, 0x1f642],
    ['ß stays', 0xdf, 0xdf],
  ])('%s', (_name, cp, expected) => {
    expect(foldCodePoint(cp)).toBe(expected);
  });
  // Planes 0 and 1 hold every cased letter; above them toLowerCase is the identity.
  test('every code point of planes 0-1: the one-to-one lowercase of String.prototype.toLowerCase, else itself', () => {
    const mismatches: string[] = [];
    for (let cp = 0; cp <= 0x1ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const lower = [...String.fromCodePoint(cp).toLowerCase()];
      const expected = lower.length === 1 ? lower[0].codePointAt(0)! : cp;
      if (foldCodePoint(cp) !== expected) mismatches.push(cp.toString(16));
    }
    expect(mismatches).toEqual([]);
  });
});

describe('foldString', () => {
  test.each<[string, string]>([
    ['', ''],
    ['CMD.EXE', 'cmd.exe'],
    ['C:\\Windows\\System32', 'c:\\windows\\system32'],
    ['ÄÖÜ', 'äöü'],
    ['İSTANBUL', 'İstanbul'], // U+0130 is left as it is on both sides
    ['ΣΑΣ', 'σασ'], // no final-sigma rule
    ['Straße', 'straße'], // no full folding to ss
    ['🙂A', '🙂a'],
    ['\u{10400}', '\u{10428}'],
  ])('%j -> %j', (input, expected) => {
    expect(foldString(input)).toBe(expected);
  });
  test('lone surrogates pass through', () => {
    expect(foldString('A\ud800B')).toBe('a\ud800b');
  });
  test('property: idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = foldString(s);
        expect(foldString(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
  test('property: keeps the number of code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect([...foldString(s)].length).toBe([...s].length);
      }),
      { numRuns: 1000 },
    );
  });
  test('property: ASCII agrees with toLowerCase', () => {
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)) }), (s) => {
      expect(foldString(s)).toBe(s.toLowerCase());
    }));
  });
  test('property: upper and lower ASCII letters fold alike', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(foldString(s.toUpperCase().replace(/[^\x00-\x7f]/g, ''))).toBe(foldString(s.toLowerCase().replace(/[^\x00-\x7f]/g, '')));
    }));
  });
});

describe('wellFormed', () => {
  test.each<[string, string]>([
    ['abc', 'abc'],
    ['🙂', '🙂'],
    ['a\ud800', 'a\ufffd'],
    ['\udc00b', '\ufffdb'],
    ['\udc00\ud800', '\ufffd\ufffd'],
  ])('%j', (input, expected) => {
    expect(wellFormed(input)).toBe(expected);
  });
  test('property: what TextEncoder/TextDecoder make of the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(wellFormed(s)).toBe(new TextDecoder().decode(new TextEncoder().encode(s)));
      }),
      { numRuns: 1000 },
    );
  });
});
