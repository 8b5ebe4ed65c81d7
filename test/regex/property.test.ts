/**
 * Property tests: random patterns from a grammar of the supported flavour, compared with JS RegExp where the two
 * provably mean the same (see each block), plus required-literal soundness and parser robustness on arbitrary
 * pattern strings.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  compileRegex,
  NO_FLAGS,
  parseRegex,
  regexSearch,
  RegexSyntaxError,
  type RegexFlags,
} from '../../src/regex/index.js';
import {
  generateMatch,
  jsIsTractable,
  jsTestAtCodePointBoundaries,
  mutate,
  oracleSearch,
  prefilterAdmits,
  Rng,
} from './support.js';
import {
  ASCII_CLASS_ITEMS,
  ASCII_INPUT,
  ASCII_LITERALS,
  flagsArbitrary,
  inputsArbitrary,
  jsFlags,
  patternArbitrary,
  UNICODE_CLASS_ITEMS,
  UNICODE_INPUT,
  UNICODE_LITERALS,
} from './grammar.js';

/** Inputs compared with JS stay short: backtracking cost grows like length^quantifiers. */
const MAX_JS_INPUT = 16;

/** Inputs derived from the pattern itself: near-certain matches and near misses, so both outcomes get exercised. */
function derivedInputs(pattern: string, flags: RegexFlags, seed: number, maxLength = Infinity): string[] {
  const rng = new Rng(seed);
  const root = parseRegex(pattern, flags).root;
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const match = generateMatch(root, flags, rng);
    out.push(match, mutate(match, rng, ASCII_INPUT));
  }
  return out.map((s) => [...s].slice(0, maxLength).join(''));
}

const ASCII_GRAMMAR = { literals: ASCII_LITERALS, classItems: ASCII_CLASS_ITEMS };
const UNICODE_GRAMMAR = { literals: UNICODE_LITERALS, classItems: UNICODE_CLASS_ITEMS };

describe('random patterns agree with JS RegExp and with the set-based oracle', () => {
  test('ASCII patterns and inputs, flags i/m/s, against JS without u (semantics coincide on ASCII)', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        patternArbitrary(ASCII_GRAMMAR, false).filter((pattern) => jsIsTractable(parseRegex(pattern).root)),
        flagsArbitrary(true),
        inputsArbitrary(ASCII_INPUT),
        fc.integer(),
        (pattern, flags, inputs, seed) => {
          const program = compileRegex(pattern, flags).program;
          const reference = new RegExp(pattern, jsFlags(flags));
          for (const input of [...inputs, ...derivedInputs(pattern, flags, seed, MAX_JS_INPUT)]) {
            const expected = reference.test(input);
            // The oracle is checked against JS here, so that it can stand in for JS where JS would not finish.
            if (regexSearch(program, input) !== expected || oracleSearch(pattern, flags, input) !== expected) {
              return false;
            }
            compared++;
          }
          return true;
        },
      ),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(10_000);
  });

  test('nested quantifiers and long inputs, flags i/m/s, against the set-based oracle', () => {
    fc.assert(
      fc.property(
        patternArbitrary(ASCII_GRAMMAR, true),
        flagsArbitrary(true),
        inputsArbitrary(ASCII_INPUT),
        fc.integer(),
        (pattern, flags, inputs, seed) => {
          const program = compileRegex(pattern, flags).program;
          return [...inputs, ...derivedInputs(pattern, flags, seed)].every(
            (input) => regexSearch(program, input) === oracleSearch(pattern, flags, input),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('non-ASCII and astral patterns and inputs, flags m/s, against JS with u (code point semantics)', () => {
    fc.assert(
      fc.property(
        patternArbitrary(UNICODE_GRAMMAR, false).filter((pattern) => jsIsTractable(parseRegex(pattern).root)),
        flagsArbitrary(false),
        inputsArbitrary(UNICODE_INPUT),
        (pattern, flags, inputs) => {
          const program = compileRegex(pattern, flags).program;
          const reference = new RegExp(pattern, `${jsFlags(flags)}uy`);
          return inputs.every((input) => regexSearch(program, input) === jsTestAtCodePointBoundaries(reference, input));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('non-ASCII and astral patterns with nested quantifiers and the i flag, against the set-based oracle', () => {
    fc.assert(
      fc.property(
        patternArbitrary(UNICODE_GRAMMAR, true),
        flagsArbitrary(true),
        inputsArbitrary(UNICODE_INPUT),
        (pattern, flags, inputs) => {
          const program = compileRegex(pattern, flags).program;
          return inputs.every((input) => regexSearch(program, input) === oracleSearch(pattern, flags, input));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('required literals are sound', () => {
  const LITERAL_WORDS = ['foo', 'Bar', 'exe', 'ÄÖ', 'σΣ', 'x\\.y'];

  test('every input a random pattern matches contains one of its literals', () => {
    const grammar = {
      literals: [...ASCII_LITERALS, ...LITERAL_WORDS, 'é', 'ß'],
      classItems: ASCII_CLASS_ITEMS,
      literalWeight: 6,
    };
    const alphabet = [...ASCII_INPUT, 'f', 'o', 'r', 'e', 'Ä', 'ä', 'ö', 'Ö', 'σ', 'Σ', 'ς', 'é', 'É', 'ß', 'ẞ', '\u212a'];
    let withLiterals = 0;
    let checkedMatches = 0;
    fc.assert(
      fc.property(patternArbitrary(grammar, true), flagsArbitrary(true), inputsArbitrary(alphabet), fc.integer(), (pattern, flags, inputs, seed) => {
        const compiled = compileRegex(pattern, flags);
        const required = compiled.requiredLiterals;
        if (required === null) return true;
        withLiterals++;
        expect(required.literals.length).toBeGreaterThan(0);
        expect(required.caseFolded).toBe(compiled.flags.ignoreCase);
        for (const input of [...inputs, ...derivedInputs(pattern, compiled.flags, seed)]) {
          if (!regexSearch(compiled.program, input)) continue;
          checkedMatches++;
          if (!prefilterAdmits(required, input)) return false;
        }
        return true;
      }),
      { numRuns: 4000 },
    );
    // The property must not hold vacuously.
    expect(withLiterals).toBeGreaterThan(1000);
    expect(checkedMatches).toBeGreaterThan(1000);
  });

  test('literals for typical shapes', () => {
    const literalsOf = (pattern: string, flags: Partial<RegexFlags> = {}) => compileRegex(pattern, flags).requiredLiterals;
    expect(literalsOf('foo(bar|baz)')).toEqual({ literals: ['foobar', 'foobaz'], caseFolded: false });
    expect(literalsOf('\\d+')).toBeNull();
    expect(literalsOf('')).toBeNull();
    expect(literalsOf('a|\\d')).toBeNull();
    expect(literalsOf('(?:ab)+c')).toEqual({ literals: ['abc'], caseFolded: false });
    expect(literalsOf('FOO\\s+BAR', { ignoreCase: true })).toEqual({ literals: ['foo'], caseFolded: true });
    expect(literalsOf('[Pp]ower[Ss]hell')).toEqual({
      literals: ['PowerShell', 'Powershell', 'powerShell', 'powershell'],
      caseFolded: false,
    });
    expect(literalsOf('ÄBC', { ignoreCase: true })).toEqual({ literals: ['äbc'], caseFolded: true });
    expect(literalsOf('colou?r')).toEqual({ literals: ['color', 'colour'], caseFolded: false });
    expect(literalsOf('x?')).toBeNull();
    // U+FFFD also stands for lone surrogates in the input, which a literal search would not find.
    expect(literalsOf('a\\uFFFDb')).toEqual({ literals: ['a'], caseFolded: false });
  });
});

describe('parser robustness', () => {
  const META = [...'()[]{}|*+?^$.\\-,0123456789aAbBdDwWsSpPkuUxX<>=!:#iP'];

  test('arbitrary pattern strings either compile or raise RegexSyntaxError, and then match like the oracle and JS', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...META), { maxLength: 16 }).map((chars) => chars.join('')),
        inputsArbitrary(ASCII_INPUT),
        (pattern, inputs) => {
          let program;
          try {
            program = compileRegex(pattern).program;
          } catch (e) {
            return e instanceof RegexSyntaxError && e.code === 'INVALID_REGEX' && e.offset >= 0 && e.offset <= pattern.length;
          }
          let reference: RegExp | null = null;
          // \u{...} is a code point escape here but `u` repeated without the u flag in JS.
          if (!pattern.includes('\\u{') && jsIsTractable(parseRegex(pattern).root)) {
            try {
              reference = new RegExp(pattern);
            } catch {
              reference = null; // e.g. (?i) at the start, which JS lacks
            }
          }
          return inputs.every((input) => {
            const ours = regexSearch(program, input);
            if (ours !== oracleSearch(pattern, NO_FLAGS, input)) return false;
            return reference === null || ours === reference.test(input);
          });
        },
      ),
      { numRuns: 10000 },
    );
  });
});
