/**
 * Regex sets (src/regex/set.ts): many patterns compiled as a few alternations with their common heads factored out.
 * A set member's program must match an input exactly when one of its patterns does on its own, its literals must
 * admit every input one of its patterns matches, and the members must cover the patterns in order.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileRegex, compileRegexSet, parseRegex, regexSearch, RegexSyntaxError, type RegexSetMember } from '../../src/regex/index.js';
import { generateMatch, Rng } from './support.js';
import { foldString } from '../../src/text/fold.js';
import { ASCII_CLASS_ITEMS, ASCII_INPUT, ASCII_LITERALS, flagsArbitrary, inputsArbitrary, patternArbitrary } from './grammar.js';

const GRAMMAR = { literals: ASCII_LITERALS, classItems: ASCII_CLASS_ITEMS, literalWeight: 4 };
/** Heads many patterns share, so that factoring has prefixes to share (and nearly shared ones to keep apart). */
const HEADS = ['', 'ab', 'abc', 'ab\\d', '^a', '^ab', '[ab]', '[ab]c', '[^ab]', '[^ab]c', 'A', '\\B', '\\bx', '(?:ab)', '(?i)ab', 'a.'];

function members(patterns: readonly string[], flags: Parameters<typeof compileRegex>[1], maxLiterals = 64): RegexSetMember[] {
  const out: RegexSetMember[] = [];
  compileRegexSet(patterns.length, (i) => patterns[i], { ignoreCase: false, multiline: false, dotAll: false, ...flags }, { maxLiterals }, (m) => out.push(m));
  return out;
}

describe('regex sets', () => {
  test('a member matches exactly when one of its patterns does; its literals admit every such input; members cover the list in order', () => {
    const pattern = fc.tuple(fc.constantFrom(...HEADS), patternArbitrary(GRAMMAR, true, 2)).map(([head, body]) => `${head}${body}`);
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 6 }), flagsArbitrary(true), inputsArbitrary(ASCII_INPUT), fc.nat(), (patterns, flags, random, seed) => {
        const valid = patterns.filter((p) => {
          try {
            compileRegex(p, flags);
            return true;
          } catch (e) {
            if (e instanceof RegexSyntaxError) return false;
            throw e;
          }
        });
        if (valid.length === 0) return;
        const set = members(valid, flags);
        // Random inputs, and a text each pattern matches (which the others, sharing a head or nearly, may not).
        const rng = new Rng(seed);
        const inputs = [...random, ...valid.map((p) => generateMatch(parseRegex(p, flags).root, parseRegex(p, flags).flags, rng))];
        expect(set.map((m) => [m.first, m.end]).flat()).toEqual([0, ...set.slice(1).flatMap((m) => [m.first, m.first]), valid.length]);
        const singles = valid.map((p) => compileRegex(p, flags));
        for (const input of inputs) {
          for (const m of set) {
            const own = singles.slice(m.first, m.end).some((r) => regexSearch(r, input));
            expect(regexSearch(m.program, input), `/${valid.slice(m.first, m.end).join('/, /')}/ on ${JSON.stringify(input)}`).toBe(own);
            if (own && m.literals !== null) {
              const text = m.flags.ignoreCase ? foldString(input) : input;
              expect(m.literals.some((l) => text.includes(l))).toBe(true);
            }
          }
        }
      }),
      { numRuns: 600, seed: 1208 },
    );
  });

  test('shared heads are compiled once: 1,000 patterns of one head take fewer instructions than their sum', () => {
    const patterns = Array.from({ length: 1000 }, (_, i) => `^needle-${i}-[a-f0-9]+x$`);
    const set = members(patterns, {}, 0);
    const own = patterns.reduce((sum, p) => sum + compileRegex(p).program.instructionCount, 0);
    const total = set.reduce((sum, m) => sum + m.program.instructionCount, 0);
    expect(total).toBeLessThan(own / 2);
    expect(regexSearch(set[0].program, 'needle-999-beefx')).toBe(true);
    expect(regexSearch(set[0].program, 'needle-1000-beefx')).toBe(false);
  });

  test('a pattern that does not compile throws as compileRegex throws', () => {
    expect(() => members(['a', '(b', 'c'], {})).toThrow(RegexSyntaxError);
    expect(() => members(['a', 'x{1,99999}'], {})).toThrow(/regex too large/);
  });
});
