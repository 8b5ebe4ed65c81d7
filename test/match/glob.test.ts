/**
 * Glob programs (src/compiler/encode/glob.ts) run by the VM (assembly/match/glob.ts) against the reference matcher
 * src/eval/glob.ts: named cases, the program layout, random token lists over mixed-width text matched against
 * instantiations of the pattern and their mutations (fast-check), case-insensitive matching over folded values, and
 * multi-megabyte values.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as G from '../../src/compiler/encode/glob.js';
import { globMatch, globShape } from '../../src/eval/glob.js';
import { ANY, ONE, SigmaString, type StringToken } from '../../src/rule/sigma-string.js';
import { foldString } from '../../src/text/fold.js';
import { assemblyConstants, loadMatchVm, MIXED_ALPHABET, Rng, utf8, type MatchVm } from './support.js';

const MEGABYTE = 1 << 20;

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

function reference(tokens: readonly StringToken[], value: string): boolean {
  return globMatch(globShape(tokens), value);
}

function vmMatch(tokens: readonly StringToken[], value: string): boolean {
  return m.glob(G.encodeGlob(tokens), value);
}

/** Case-insensitive as the compiler does it: folded pattern text, folded value (by the VM's foldUtf8). */
function vmMatchFolded(tokens: readonly StringToken[], value: string): boolean {
  const folded = tokens.map((t) => (t.kind === 'text' ? { kind: 'text' as const, text: foldString(t.text) } : t));
  return m.glob(G.encodeGlob(folded), m.fold(value));
}

function referenceFolded(tokens: readonly StringToken[], value: string): boolean {
  const folded = tokens.map((t) => (t.kind === 'text' ? { kind: 'text' as const, text: foldString(t.text) } : t));
  return reference(folded, foldString(value));
}

const sigma = (pattern: string): readonly StringToken[] => SigmaString.parse(pattern).tokens;

/** [pattern (Sigma syntax), value, expected] */
const NAMED: readonly [string, string, boolean][] = [
  ['', '', true],
  ['', 'a', false],
  ['abc', 'abc', true],
  ['abc', 'abcd', false],
  ['abc*', 'abcdef', true],
  ['*def', 'abcdef', true],
  ['*cd*', 'abcdef', true],
  ['*', '', true],
  ['**', 'anything', true],
  ['?', '', false],
  ['?', 'é', true],
  ['?', '😀', true],
  ['?', 'ab', false],
  ['??', '😀😀', true],
  ['a?c', 'a😀c', true],
  ['a?c', 'ac', false],
  ['*a?c', 'xxabcxa😀c', true],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'ac', false],
  ['a*a', 'a', false],
  ['a*a', 'aa', true],
  ['*a*a*', 'a', false],
  ['*a*a*', 'aba', true],
  ['*?', '', false],
  ['*?', 'x', true],
  ['?*', '中', true],
  ['*??*', 'x', false],
  ['*??*', '😀😀', true],
  ['*\\\\*', 'C:\\Windows', true],
  ['\\*literal\\?', '*literal?', true],
  ['\\*literal\\?', 'xliteraly', false],
  ['*.exe', 'powershell.exe', true],
  ['*\\powershell.exe', 'C:\\Windows\\System32\\powershell.exe', true],
  ['*-enc*', 'powershell.exe -encodedcommand', true],
  ['*a?b*c?d*', 'xxa1byyc2dzz', true],
  ['*a?b*c?d*', 'xxa1byyc2', false],
  ['a?b*?c', 'aXbYc', true],
  ['a?b*?c', 'aXbc', false],
  ['*ab?', 'abab', false],
  ['*ab?', 'ababx', true],
  ['ab*ab', 'ab', false],
  ['ab*ab', 'abab', true],
];

describe('glob programs', () => {
  test('the AssemblyScript constants mirror the encoder', () => {
    const as = assemblyConstants('assembly/match/glob.ts');
    for (const name of [
      'GLOB_EQUALS', 'GLOB_PREFIX', 'GLOB_SUFFIX', 'GLOB_CONTAINS', 'GLOB_GENERAL', 'GLOB_NEVER',
      'GLOB_ANCHOR_START', 'GLOB_ANCHOR_END', 'GLOB_HEADER_BYTES', 'GLOB_KIND_OFFSET', 'GLOB_FLAGS_OFFSET',
      'GLOB_SEGMENT_COUNT_OFFSET', 'GLOB_MIN_BYTES_OFFSET', 'SEGMENT_HEADER_BYTES', 'SEGMENT_PART_COUNT_OFFSET',
      'SEGMENT_BYTE_LENGTH_OFFSET', 'PART_HEAD_BYTES', 'PART_ONES',
    ] as const) {
      expect(as.get(name), name).toBe((G as Record<string, unknown>)[name]);
    }
  });

  test('layout of a general program', () => {
    // `ab?*` then `é` then `*?x`: head [text ab, one], middle [text é], tail [one, text x]
    const program = G.encodeGlob(sigma('ab?*é*?x'));
    const view = new DataView(program.buffer);
    expect(program[G.GLOB_KIND_OFFSET]).toBe(G.GLOB_GENERAL);
    expect(program[G.GLOB_FLAGS_OFFSET]).toBe(G.GLOB_ANCHOR_START | G.GLOB_ANCHOR_END);
    expect(view.getUint32(G.GLOB_SEGMENT_COUNT_OFFSET, true)).toBe(3);
    expect(view.getUint32(G.GLOB_MIN_BYTES_OFFSET, true)).toBe(2 + 1 + 2 + 1 + 1);
    expect(view.getUint32(G.GLOB_BYTE_LENGTH_OFFSET, true)).toBe(program.length);
    expect(program.length % 4).toBe(0);
    let at = G.GLOB_HEADER_BYTES;
    expect(view.getUint32(at, true)).toBe(2); // parts of the head
    expect(view.getUint32(at + 8, true)).toBe(2); // text "ab"
    expect(String.fromCharCode(program[at + 12], program[at + 13])).toBe('ab');
    expect(view.getUint32(at + 16, true)).toBe((G.PART_ONES | 1) >>> 0);
    at += view.getUint32(at + G.SEGMENT_BYTE_LENGTH_OFFSET, true);
    expect(view.getUint32(at + 8, true)).toBe(2); // "é" is 2 bytes
  });

  test('shapes get their own kinds; ill-formed text never matches', () => {
    expect(G.encodeGlob(sigma('abc'))[0]).toBe(G.GLOB_EQUALS);
    expect(G.encodeGlob(sigma('abc*'))[0]).toBe(G.GLOB_PREFIX);
    expect(G.encodeGlob(sigma('*abc'))[0]).toBe(G.GLOB_SUFFIX);
    expect(G.encodeGlob(sigma('*abc*'))[0]).toBe(G.GLOB_CONTAINS);
    expect(G.encodeGlob(sigma('*'))[0]).toBe(G.GLOB_CONTAINS);
    expect(G.encodeGlob(sigma('a?c'))[0]).toBe(G.GLOB_GENERAL);
    const lone = [{ kind: 'text' as const, text: 'a\ud800' }, ANY];
    expect(G.encodeGlob(lone)[0]).toBe(G.GLOB_NEVER);
    expect(vmMatch(lone, 'a\ufffd')).toBe(false);
    expect(reference(lone, 'a\ufffd')).toBe(false);
    expect(() => G.encodeGlob([{ kind: 'placeholder', name: 'x' }])).toThrow(/placeholder/);
  });

  test.each(NAMED)('%j against %j', (pattern, value, expected) => {
    const tokens = sigma(pattern);
    expect(reference(tokens, value)).toBe(expected);
    expect(vmMatch(tokens, value)).toBe(expected);
  });
});

/** Tokens over an alphabet that makes near matches likely. */
const tokenArb = (alphabet: readonly string[]): fc.Arbitrary<StringToken[]> =>
  fc
    .array(
      fc.oneof(
        { arbitrary: fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 4 }).map((c) => ({ kind: 'text' as const, text: c.join('') })), weight: 4 },
        { arbitrary: fc.constant(ANY), weight: 2 },
        { arbitrary: fc.constant(ONE), weight: 2 },
      ),
      { maxLength: 8 },
    )
    .map((tokens) => [...new SigmaString(tokens).tokens]);

/** A value the pattern matches (stars and `?` filled at random), or near one after random edits. */
function instantiate(tokens: readonly StringToken[], alphabet: readonly string[], rng: Rng): string {
  let s = '';
  for (const t of tokens) {
    if (t.kind === 'text') s += rng.next() < 0.2 ? t.text.toUpperCase() : t.text;
    else if (t.kind === 'one') s += rng.pick(alphabet);
    else s += rng.string(alphabet, 4);
  }
  const chars = [...s];
  const edits = rng.int(3);
  for (let k = 0; k < edits; k++) {
    const at = rng.int(chars.length + 1);
    if (rng.next() < 0.5) chars.splice(at, 1);
    else chars.splice(at, 0, rng.pick(alphabet));
  }
  return chars.join('');
}

const SMALL_ALPHABET = ['a', 'b', 'A', 'é', '😀', '中', 'Ⱥ', 'ⱥ', 'K', 'k'];

describe('glob matching agrees with the reference (fast-check)', () => {
  test('cased, over instantiations and their mutations', () => {
    fc.assert(
      fc.property(tokenArb(SMALL_ALPHABET), fc.integer(), (tokens, seed) => {
        const rng = new Rng(seed);
        for (let k = 0; k < 8; k++) {
          const value = instantiate(tokens, SMALL_ALPHABET, rng);
          expect(vmMatch(tokens, value)).toBe(reference(tokens, value));
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('case-insensitive: folded pattern over foldUtf8 of the value', () => {
    fc.assert(
      fc.property(tokenArb(MIXED_ALPHABET), fc.integer(), (tokens, seed) => {
        const rng = new Rng(seed);
        for (let k = 0; k < 8; k++) {
          const value = instantiate(tokens, MIXED_ALPHABET, rng);
          expect(vmMatchFolded(tokens, value)).toBe(referenceFolded(tokens, value));
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('random values unrelated to the pattern', () => {
    fc.assert(
      fc.property(tokenArb(SMALL_ALPHABET), fc.array(fc.constantFrom(...SMALL_ALPHABET), { maxLength: 12 }), (tokens, chars) => {
        const value = chars.join('');
        expect(vmMatch(tokens, value)).toBe(reference(tokens, value));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('long values', () => {
  const PATTERNS = ['*a?c*xyz*', '*needle', 'start*', '*😀?é*', '*a*a*a*a*b', 'x*?*y', '*ab?ab?ab?*end'];

  test.each([1, 4, 10])('%i MB values against several patterns', (megabytes) => {
    const rng = new Rng(megabytes);
    const chunk: string[] = [];
    let size = 0;
    while (size < megabytes * MEGABYTE) {
      const piece = rng.string(['a', 'b', 'c', 'x', 'y', ' ', 'é', '😀'], 40);
      chunk.push(piece);
      size += utf8(piece).length;
    }
    const body = chunk.join('');
    for (const value of [body, 'start' + body + 'needle', body + 'ab1ab2ab3end', 'x' + body + 'y']) {
      for (const pattern of PATTERNS) {
        const tokens = sigma(pattern);
        expect(vmMatch(tokens, value), pattern).toBe(reference(tokens, value));
      }
    }
  });

  test('many near-miss candidates stay linear', () => {
    const value = 'ab'.repeat(MEGABYTE); // 2 MB of candidates for `a?a`-style segments, none matching
    const tokens = sigma('*a?ax*');
    const start = performance.now();
    expect(vmMatch(tokens, value)).toBe(false);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
