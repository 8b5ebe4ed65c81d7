/**
 * Patterns that make backtracking engines exponential must run in linear time here. Timings are asserted loosely
 * (the bound is generous for a shared CI machine); what matters is that they finish and give the right answer.
 */
import { describe, expect, test } from 'vitest';
import { compileRegex, regexSearch } from '../../src/regex/index.js';

const HUNDRED_KB = 100 * 1024;
const GENEROUS_MS = 5_000;
const A_RUN = 'a'.repeat(HUNDRED_KB);

/** [pattern, input, expected] */
const HOSTILE: readonly (readonly [string, string, boolean])[] = [
  ['(a*)*b', A_RUN, false],
  ['(a*)*b', A_RUN + 'b', true],
  ['(a|a)*b', A_RUN, false],
  ['(a|aa)+$', A_RUN + '!', false],
  ['(a+)+$', A_RUN, true],
  ['(a+)+$', A_RUN + '!', false],
  ['^(a+)+$', A_RUN + '!', false],
  ['(.*a){20}', A_RUN, true],
  ['(.*a){20}', 'a'.repeat(19) + 'b'.repeat(HUNDRED_KB), false],
  ['(x+x+)+y', 'x'.repeat(HUNDRED_KB), false],
  ['(?:a?){50}a{50}', 'a'.repeat(50), true],
  ['(?:a?){50}a{50}', 'a'.repeat(49), false],
  ['((a*)*)*((b*)*)*c', 'ab'.repeat(HUNDRED_KB / 2), false],
  ['(?:()*)*x', A_RUN, false],
  ['(\\w+\\s?)+$', 'word '.repeat(HUNDRED_KB / 5) + '!', false],
  ['\\\\[^\\\\]{1,256}$', '\\'.repeat(HUNDRED_KB), false],
  ['.{1000,}', 'y'.repeat(HUNDRED_KB), true],
];

describe('hostile patterns run in linear time', () => {
  test.each(HOSTILE)('/%s/ on a long input', (pattern, input, expected) => {
    const program = compileRegex(pattern).program;
    const start = performance.now();
    expect(regexSearch(program, input)).toBe(expected);
    expect(performance.now() - start).toBeLessThan(GENEROUS_MS);
  });

  test('an epsilon loop inside an epsilon loop terminates on every position', () => {
    const program = compileRegex('(?:(?:)*|(?:a?)*)*$').program;
    expect(regexSearch(program, 'abc')).toBe(true);
  });

  test('a{100000} is rejected as too large rather than expanded', () => {
    expect(() => compileRegex('a{100000}')).toThrow(/regex too large after expanding \{n,m\}/);
  });

  test('growing the input 4x grows the work about 4x (no superlinear blow-up)', () => {
    const program = compileRegex('(a|a)*(a*)*b').program;
    // Best of several runs, so a busy shared machine does not fake a blow-up.
    const time = (n: number): number => {
      const input = 'a'.repeat(n);
      let best = Infinity;
      for (let k = 0; k < 5; k++) {
        const start = performance.now();
        regexSearch(program, input);
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    time(20_000); // warm up the JIT
    const small = time(25_000);
    const large = time(100_000);
    // Quadratic growth would be 16x; allow generous noise above linear.
    expect(large / Math.max(small, 0.5)).toBeLessThan(12);
  });
});
