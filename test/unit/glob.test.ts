import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { globMatch, globShape } from '../../src/eval/glob.js';
import { SigmaString, type StringToken } from '../../src/rule/sigma-string.js';

const g = (pattern: string) => globShape(SigmaString.parse(pattern).tokens);
const matches = (pattern: string, s: string) => globMatch(g(pattern), s);

/** The oracle: the same pattern as a JavaScript regex over code points, anchored at both ends. */
function oracle(tokens: readonly StringToken[]): RegExp {
  const body = tokens
    .map((t) => (t.kind === 'any' ? '.*' : t.kind === 'one' ? '.' : t.kind === 'text' ? t.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : ''))
    .join('');
  return new RegExp(`^${body}$`, 'su');
}

describe('globShape picks the cheapest shape', () => {
  test.each<[string, object]>([
    ['', { kind: 'equals', text: '' }],
    ['abc', { kind: 'equals', text: 'abc' }],
    ['abc*', { kind: 'prefix', text: 'abc' }],
    ['*abc', { kind: 'suffix', text: 'abc' }],
    ['*abc*', { kind: 'contains', text: 'abc' }],
    ['*', { kind: 'contains', text: '' }],
    ['a*b', { kind: 'general', anchoredStart: true, anchoredEnd: true }],
    ['a?', { kind: 'general', anchoredStart: true, anchoredEnd: true }],
    ['*a?*', { kind: 'general', anchoredStart: false, anchoredEnd: false }],
    ['*a*b*', { kind: 'general' }],
    ['?', { kind: 'general' }],
  ])('%j', (pattern, shape) => {
    expect(g(pattern)).toMatchObject(shape);
  });
  test('an unresolved placeholder cannot reach the matcher', () => {
    expect(() => globShape(SigmaString.parse('%x%', true).tokens)).toThrow(/placeholder/);
  });
});

describe('globMatch', () => {
  // [pattern, value, matches]
  const CASES: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['abc', 'xabc', false],
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['a*', 'a', true],
    ['a*', 'ba', false],
    ['*a', 'ba', true],
    ['*a*', 'bab', true],
    ['*a*', 'bbb', false],
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'axxbx', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['??', 'ab', true],
    ['*?', '', false],
    ['*?*', 'x', true],
    ['*a?c*', 'xxabcxx', true],
    ['*a*b*c*', 'xaxbxcx', true],
    ['*a*b*c*', 'xcxbxax', false],
    ['a*b*c', 'abcbc', true],
    ['a*b?d', 'abxbcd', true],
    ['*ab*ab', 'abab', true],
    ['*ab*ab', 'aab', false],
    ['?', '🙂', true], // one code point, two UTF-16 units
    ['a?b', 'a🙂b', true],
    ['??', '🙂', false],
    ['*?🙂', 'x🙂', true],
    [String.raw`C:\Windows\*`, 'C:\\Windows*', true],
    [String.raw`C:\Windows\*`, 'C:\\Windows\\x', false],
    [String.raw`C:\\Windows\\*`, 'C:\\Windows\\x', true],
    ['adlog.php?', 'adlog.php?', true],
    ['adlog.php?', 'adlog.phpX', true],
  ];
  test.each(CASES)('%j ~ %j = %s', (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });
  test('matching is exact about case (folding happens before)', () => {
    expect(matches('ABC', 'abc')).toBe(false);
  });
  test('a hostile pattern and value stay fast (no backtracking)', () => {
    const pattern = '*' + 'a*'.repeat(50) + 'b';
    const value = 'a'.repeat(100_000);
    const start = performance.now();
    expect(matches(pattern, value)).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

const alphabet = fc.constantFrom('a', 'b', 'ab', 'é', '🙂', '.');
const tokenArb: fc.Arbitrary<StringToken> = fc.oneof(
  alphabet.map((text) => ({ kind: 'text', text }) as StringToken),
  fc.constant<StringToken>({ kind: 'any' }),
  fc.constant<StringToken>({ kind: 'one' }),
);
const valueArb = fc.array(fc.constantFrom('a', 'b', 'é', '🙂', '.'), { maxLength: 10 }).map((p) => p.join(''));

describe('properties', () => {
  test('*x* is includes', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (x, s) => {
        const shape = globShape(new SigmaString([{ kind: 'any' }, { kind: 'text', text: x }, { kind: 'any' }]).tokens);
        expect(globMatch(shape, s)).toBe(s.includes(x));
      }),
      { numRuns: 500 },
    );
  });
  test('x* is startsWith and *x is endsWith', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (x, s) => {
        expect(globMatch(globShape(new SigmaString([{ kind: 'text', text: x }, { kind: 'any' }]).tokens), s)).toBe(s.startsWith(x));
        expect(globMatch(globShape(new SigmaString([{ kind: 'any' }, { kind: 'text', text: x }]).tokens), s)).toBe(s.endsWith(x));
      }),
      { numRuns: 300 },
    );
  });
  test('globMatch agrees with an anchored regex over code points', () => {
    fc.assert(
      fc.property(fc.array(tokenArb, { maxLength: 7 }), valueArb, (tokens, value) => {
        const s = new SigmaString(tokens);
        expect(globMatch(globShape(s.tokens), value)).toBe(oracle(s.tokens).test(value));
      }),
      { numRuns: 1500 },
    );
  });
  test('a value matches the glob of itself', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(globMatch(globShape(SigmaString.literal(s).tokens), s)).toBe(true);
      }),
    );
  });
});
