/**
 * Building blocks of the prefilter tables (src/compiler/prefilter.ts): the typed window counts, the two-bit window
 * map, Teddy's masks. The engine tests prove the VM reads them right; these pin down what they hold.
 */
import { describe, expect, test } from 'vitest';
import { teddyMasks, windowMask, WindowCounts } from '../../src/compiler/prefilter.js';
import { windowCommonness } from '../../src/compiler/common-pairs.js';

const key = (s: string): number => (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;

describe('WindowCounts', () => {
  test('counts like a Map, through growth, for keys including 0 and 2^32 - 1', () => {
    const counts = new WindowCounts();
    const reference = new Map<number, number>();
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const k = i % 7 === 0 ? 0 : i % 11 === 0 ? 0xffffffff : x % 5000;
      counts.add(k);
      reference.set(k, (reference.get(k) ?? 0) + 1);
    }
    for (const [k, n] of reference) expect(counts.get(k)).toBe(n);
    expect(counts.get(123456789)).toBe(0);
  });
});

describe('windowMask', () => {
  test('two bits in one word, the word within the map', () => {
    for (const shift of [12, 16, 20]) {
      for (const w of ['mimi', 'katz', '\\cmd', '.exe']) {
        const { word, bits } = windowMask(key(w), shift);
        expect(word).toBeLessThan(2 ** (32 - shift) / 32);
        const set = bits.toString(2).split('').filter((b) => b === '1').length;
        expect(set === 1 || set === 2).toBe(true); // two positions, which may coincide
      }
    }
  });
});

describe('teddyMasks', () => {
  test("every window's fingerprint passes its bucket's masks", () => {
    const windows = ['mimi', 'kiwi', 'lsad', 'sekr', 'toke', 'vaul', 'dpap', 'even', 'gent', 'priv'].map(key);
    const masks = teddyMasks(windows);
    for (const w of windows) {
      let buckets = 0xff;
      for (let k = 0; k < 3; k++) {
        const byte = (w >>> (8 * k)) & 0xff;
        buckets &= masks[k * 32 + (byte & 15)] & masks[k * 32 + 16 + (byte >>> 4)];
      }
      expect(buckets).not.toBe(0);
    }
  });

  test('a fingerprint far from every window passes no bucket', () => {
    const masks = teddyMasks(['mimi', 'kiwi'].map(key));
    const byte = 0x00;
    let buckets = 0xff;
    for (let k = 0; k < 3; k++) buckets &= masks[k * 32 + (byte & 15)] & masks[k * 32 + 16 + (byte >>> 4)];
    expect(buckets).toBe(0);
  });
});

describe('windowCommonness', () => {
  test('counts the common pairs of the least common window', () => {
    const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(windowCommonness(bytes('mimikatz'))).toBe(0);
    expect(windowCommonness(bytes('c:\\windows\\system32\\'))).toBeGreaterThanOrEqual(2);
  });
});
