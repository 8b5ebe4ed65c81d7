import { describe, expect, test } from 'vitest';
import {
  compileRegex,
  INVALID_REGEX,
  MAX_NESTING_DEPTH,
  MAX_PROGRAM_INSTRUCTIONS,
  RegexSyntaxError,
} from '../../src/regex/index.js';

/** [name, pattern, expected offset, message fragment] */
type Rejection = readonly [string, string, number, RegExp];

const REJECTIONS: readonly Rejection[] = [
  // Unsupported constructs, each with a pointer to what to do instead
  ['lookahead', 'a(?=b)', 1, /lookahead \(\?=\.\.\.\) is not supported.*linear time.*rewrite the rule without lookaround/],
  ['negative lookahead', 'a(?!b)', 1, /lookahead \(\?!/],
  ['lookbehind', '(?<=a)b', 0, /lookbehind \(\?<=/],
  ['negative lookbehind', '(?<!a)b', 0, /lookbehind \(\?<!/],
  ['backreference', '(a)\\1', 3, /backreference \\1 is not supported.*linear time/],
  ['named backreference \\k', '(?<n>a)\\k<n>', 7, /backreference \\k/],
  ['python named backreference', '(?P<n>a)(?P=n)', 8, /named backreferences/],
  ['atomic group', '(?>a+)b', 0, /atomic groups/],
  ['possessive star', 'a*+b', 2, /possessive quantifiers/],
  ['possessive plus', 'a++b', 2, /possessive quantifiers/],
  ['possessive counted', 'a{2}+', 4, /possessive quantifiers/],
  ['unicode property', '\\p{L}', 0, /Unicode property escapes/],
  ['negated unicode property', '[\\P{L}]', 1, /Unicode property escapes/],
  ['comment group', 'a(?#note)', 1, /comment groups/],
  ['conditional', '(a)?(?(1)b|c)', 4, /conditional groups/],
  ['recursion', 'a(?R)?b', 1, /recursion/],
  ['branch reset', '(?|a|b)', 0, /branch reset/],
  ['inline flags mid-pattern', 'a(?i)b', 1, /only supported at the very start.*re\|i/],
  ['scoped inline flags', '(?i:a)b', 0, /scoped inline flags/],
  ['unsupported inline flag', '(?x)a', 2, /inline flag 'x' is not supported/],
  ['turning flags off', '(?-i)a', 2, /turning flags off/],
  ['empty inline flag group', '(?)a', 0, /empty inline flag group/],
  ['unknown group syntax', '(?~a)', 0, /unsupported group syntax/],
  ['invalid group name', '(?<1a>x)', 0, /invalid group name/],
  ['\\A', '\\Afoo', 0, /use \^/],
  ['\\Z', 'foo\\Z', 3, /use \$/],
  ['\\z', 'foo\\z', 3, /use \$/],
  ['\\Q...\\E', '\\Qa.b\\E', 0, /quoting/],
  ['\\K', 'a\\Kb', 1, /match reset/],
  ['\\h', '\\h', 0, /differs between regex flavours/],
  ['\\c control escape', '\\cA', 0, /control escapes/],
  ['unknown letter escape', '\\q', 0, /unknown escape \\q/],
  ['octal escape', '\\012', 0, /octal escapes/],
  ['backreference-like digit in class', '[\\1]', 1, /backreference/],
  ['\\B in class', '[\\B]', 1, /not valid inside a character class/],
  ['POSIX class', '[[:alpha:]]', 1, /POSIX classes/],
  // Malformed patterns
  ['unbalanced (', '(ab', 0, /unterminated group/],
  ['innermost unbalanced ( is reported', 'a(b(c)', 1, /unterminated group/],
  ['unbalanced )', 'ab)', 2, /unmatched '\)'/],
  ['unterminated class', '[abc', 0, /unterminated character class/],
  ['bad range', '[z-a]', 1, /range out of order.*z-a/],
  ['bad range with escapes', '[\\x7a-\\x61]', 1, /range out of order/],
  ['class escape as range start', '[\\w-z]', 1, /cannot be a range endpoint/],
  ['class escape as range end', '[a-\\d]', 2, /cannot be a range endpoint/],
  ['empty class', '[]a]', 0, /empty class/],
  ['empty negated class', '[^]', 0, /empty class/],
  ['nothing to repeat at start', '*a', 0, /nothing to repeat/],
  ['nothing to repeat after (', '(+a)', 1, /nothing to repeat/],
  ['nothing to repeat after |', 'a|?b', 2, /nothing to repeat/],
  ['nothing to repeat after ^', '^*a', 1, /nothing to repeat/],
  ['nothing to repeat after $', 'a$+', 2, /nothing to repeat/],
  ['nothing to repeat after \\b', '\\b{2}', 2, /nothing to repeat/],
  ['nothing to repeat after inline flags', '(?i)*a', 4, /nothing to repeat/],
  ['quantifier after quantifier', 'a**', 2, /cannot follow another quantifier/],
  ['counted after counted', 'a{2}{3}', 4, /cannot follow another quantifier/],
  ['{n,m} with n > m', 'a{3,2}', 1, /numbers out of order/],
  ['literal { must be escaped', 'a{x', 1, /literal '\{' must be escaped/],
  ['{,n} is ambiguous', 'a{,3}', 1, /literal '\{' must be escaped/],
  ['dangling backslash', 'abc\\', 3, /dangling backslash/],
  ['dangling backslash in class', '[a\\', 2, /dangling backslash/],
  ['bad \\x', '\\xZZ', 0, /two hex digits/],
  ['short \\x', '\\x4', 0, /two hex digits/],
  ['bad \\u', '\\u12', 0, /four hex digits/],
  ['bad \\u{}', '\\u{}', 0, /hex digits/],
  ['\\u{} out of range', '\\u{110000}', 0, /beyond the last Unicode code point/],
  ['lone high surrogate escape', '\\uD800x', 0, /lone surrogate/],
  ['lone low surrogate escape', '\\uDC00', 0, /lone surrogate/],
  ['lone surrogate literal', 'a\ud800', 1, /lone surrogate/],
  // Size limits
  ['a{100000} is too large', 'a{100000}', 1, /regex too large after expanding \{n,m\}/],
  ['nested counted repetition is too large', '(?:(?:ab){200}){200}', 0, /regex too large after expanding \{n,m\}.*limit is 20000/],
  ['huge bound', 'a{99999999999999999999}', 1, /regex too large/],
  ['huge upper bound is not mistaken for {n,}', 'a{1,99999999999999999999}', 1, /regex too large/],
];

describe('rejected patterns', () => {
  test.each(REJECTIONS)('%s: /%s/', (_name, pattern, offset, message) => {
    let error: unknown;
    try {
      compileRegex(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegexSyntaxError);
    const syntaxError = error as RegexSyntaxError;
    expect(syntaxError.code).toBe(INVALID_REGEX);
    expect(syntaxError.code).toBe('INVALID_REGEX');
    expect(syntaxError.message).toMatch(message);
    expect(syntaxError.offset).toBe(offset);
    expect(syntaxError.pattern).toBe(pattern);
  });
});

describe('size and depth limits', () => {
  test('the instruction cap is exported and is 20,000', () => {
    expect(MAX_PROGRAM_INSTRUCTIONS).toBe(20_000);
  });

  test('a program just under the cap compiles, one just over is rejected', () => {
    // `a{n}` compiles to n CHARs plus MATCH.
    expect(compileRegex(`a{${MAX_PROGRAM_INSTRUCTIONS - 1}}`).program.instructionCount).toBe(MAX_PROGRAM_INSTRUCTIONS);
    expect(() => compileRegex(`a{${MAX_PROGRAM_INSTRUCTIONS}}`)).toThrow(/regex too large/);
  });

  test('many repetitions that are each small but large together are rejected', () => {
    const pattern = 'a{5000}'.repeat(5);
    expect(() => compileRegex(pattern)).toThrow(RegexSyntaxError);
  });

  test('repetition of an empty group costs nothing', () => {
    expect(compileRegex('(?:){20000}x').program.instructionCount).toBe(2);
  });

  test('10,000 nested groups are rejected cleanly, not with a stack overflow', () => {
    const depth = 10_000;
    const pattern = '('.repeat(depth) + 'a' + ')'.repeat(depth);
    expect(() => compileRegex(pattern)).toThrow(RegexSyntaxError);
    try {
      compileRegex(pattern);
    } catch (e) {
      expect((e as RegexSyntaxError).offset).toBe(MAX_NESTING_DEPTH);
      expect((e as RegexSyntaxError).message).toMatch(/nested deeper than 256/);
    }
  });

  test('10,000 unbalanced open groups are rejected cleanly', () => {
    expect(() => compileRegex('('.repeat(10_000))).toThrow(RegexSyntaxError);
  });

  test('10,000 unmatched close parens are rejected cleanly', () => {
    expect(() => compileRegex(')'.repeat(10_000))).toThrow(/unmatched/);
  });

  test(`nesting up to ${MAX_NESTING_DEPTH} levels works`, () => {
    const pattern = '(?:'.repeat(MAX_NESTING_DEPTH) + 'a+' + ')*'.repeat(MAX_NESTING_DEPTH) + 'b';
    const compiled = compileRegex(pattern);
    expect(compiled.program.instructionCount).toBeLessThan(MAX_PROGRAM_INSTRUCTIONS);
  });

  test('long flat alternations and concatenations do not recurse per element', () => {
    const branches = Array.from({ length: 3000 }, (_, k) => `w${k}`).join('|');
    expect(() => compileRegex(branches)).not.toThrow();
    expect(() => compileRegex('x'.repeat(19_000))).not.toThrow();
  });
});
