/**
 * Property tests: random patterns from a grammar of the supported flavour, compared with JS RegExp where the two
 * provably mean the same (see each block), plus required-literal soundness and parser robustness on arbitrary
 * pattern strings.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileRegex, parseRegex, regexSearch, RegexSyntaxError, type RegexFlags } from '../../src/regex/index.js';
import { generateMatch, mutate, prefilterAdmits, Rng } from './support.js';

const MAX_DEPTH = 3;

/** Pieces valid in both our flavour and JS without the u flag, meaning the same on ASCII input. */
const ASCII_LITERALS = [
  'a', 'b', 'c', 'A', 'B', 'x', '0', '1', ' ', '-', '_', ',', ':', '/', '"',
  '\\.', '\\\\', '\\/', '\\-', '\\*', '\\(', '\\)', '\\[', '\\]', '\\{', '\\}', '\\|', '\\?', '\\+', '\\^', '\\$',
  '\\n', '\\t', '\\r', '\\x41', '\\u0062',
];
const ASCII_CLASS_ITEMS = [
  'a', 'b', 'z', 'A', 'Z', '0', '9', '_', ' ', '.', '/', '\\-', '\\]', '\\[', '\\\\', '\\n',
  '\\d', '\\w', '\\s', '\\D', '\\W', '\\S', 'a-c', 'x-z', 'A-C', '0-5', '!-/',
];
const ASCII_INPUT = [...'abcxzABCXZ0159 -_.,:/\\"![]{}()|?+*^$', '\n', '\r', '\t'];

/** Pieces valid in both our flavour and JS with the u flag (where identity escapes are limited to syntax characters). */
const UNICODE_LITERALS = [
  'a', 'b', 'é', 'É', 'ß', 'Ω', '😀', '\u00a0', '\\u{1F601}', '\\u00e9', '\\.', '\\*', '\\n', '\\u2028', '-',
];
const UNICODE_CLASS_ITEMS = ['a', 'é', '😀', '😀-😂', 'à-ö', '\\u{1F600}-\\u{1F64F}', '\\d', '\\w', '\\s', '\\W', '\\S', '\\-'];
const UNICODE_INPUT = [...'ab -.\n', 'é', 'É', 'ß', 'Ω', '😀', '😁', '😂', '\u00a0', '\u2028', '\u00e0', '\u00f6', '\u00f7'];

const SHORTHANDS = ['\\d', '\\D', '\\w', '\\W', '\\s', '\\S'];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const QUANTIFIERS = ['*', '+', '?', '{0}', '{1}', '{2}', '{1,2}', '{0,3}', '{2,}'];

interface Grammar {
  readonly literals: readonly string[];
  readonly classItems: readonly string[];
  /** Relative weight of literals among the leaves (`.`, shorthands and classes weigh 1 each). */
  readonly literalWeight?: number;
}

function patternArbitrary(grammar: Grammar, depth = MAX_DEPTH): fc.Arbitrary<string> {
  const classArb = fc
    .tuple(fc.boolean(), fc.array(fc.constantFrom(...grammar.classItems), { minLength: 1, maxLength: 4 }))
    .map(([negated, items]) => `[${negated ? '^' : ''}${items.join('')}]`);
  const leaves = [
    { arbitrary: fc.constantFrom(...grammar.literals), weight: grammar.literalWeight ?? 1 },
    { arbitrary: fc.constant('.'), weight: 1 },
    { arbitrary: fc.constantFrom(...SHORTHANDS), weight: 1 },
    { arbitrary: classArb, weight: 1 },
  ];
  const atom =
    depth > 0
      ? fc.oneof(
          { arbitrary: fc.oneof(...leaves), weight: 4 },
          {
            arbitrary: fc
              .tuple(fc.constantFrom('(', '(?:'), patternArbitrary(grammar, depth - 1))
              .map(([open, body]) => `${open}${body})`),
            weight: 1,
          },
        )
      : fc.oneof(...leaves);
  const quantified = fc
    .tuple(atom, fc.constantFrom(...QUANTIFIERS), fc.boolean())
    .map(([a, q, lazy]) => `${a}${q}${lazy ? '?' : ''}`);
  const term = fc.oneof(
    { arbitrary: atom, weight: 4 },
    { arbitrary: quantified, weight: 2 },
    { arbitrary: fc.constantFrom(...ASSERTIONS), weight: 1 },
  );
  const concat = fc.array(term, { maxLength: 4 }).map((terms) => terms.join(''));
  return fc.array(concat, { minLength: 1, maxLength: 3 }).map((branches) => branches.join('|'));
}

function inputsArbitrary(alphabet: readonly string[]): fc.Arbitrary<string[]> {
  const one = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((chars) => chars.join(''));
  return fc.array(one, { minLength: 1, maxLength: 6 });
}

const flagsArbitrary = (allowIgnoreCase: boolean): fc.Arbitrary<RegexFlags> =>
  fc.record({
    ignoreCase: allowIgnoreCase ? fc.boolean() : fc.constant(false),
    multiline: fc.boolean(),
    dotAll: fc.boolean(),
  });

function jsFlags(flags: RegexFlags): string {
  return (flags.ignoreCase ? 'i' : '') + (flags.multiline ? 'm' : '') + (flags.dotAll ? 's' : '');
}

/** Inputs derived from the pattern itself: near-certain matches and near misses, so both outcomes get exercised. */
function derivedInputs(pattern: string, flags: RegexFlags, seed: number): string[] {
  const rng = new Rng(seed);
  const root = parseRegex(pattern, flags).root;
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const match = generateMatch(root, flags, rng);
    out.push(match, mutate(match, rng, ASCII_INPUT));
  }
  return out;
}

describe('random patterns agree with JS RegExp', () => {
  test('ASCII patterns and inputs, flags i/m/s, against JS without u (semantics coincide on ASCII)', () => {
    fc.assert(
      fc.property(
        patternArbitrary({ literals: ASCII_LITERALS, classItems: ASCII_CLASS_ITEMS }),
        flagsArbitrary(true),
        inputsArbitrary(ASCII_INPUT),
        fc.integer(),
        (pattern, flags, inputs, seed) => {
          const program = compileRegex(pattern, flags).program;
          const reference = new RegExp(pattern, jsFlags(flags));
          for (const input of [...inputs, ...derivedInputs(pattern, flags, seed)]) {
            if (regexSearch(program, input) !== reference.test(input)) return false;
          }
          return true;
        },
      ),
      { numRuns: 4000 },
    );
  });

  test('non-ASCII and astral patterns and inputs, flags m/s, against JS with u (code point semantics)', () => {
    fc.assert(
      fc.property(
        patternArbitrary({ literals: UNICODE_LITERALS, classItems: UNICODE_CLASS_ITEMS }),
        flagsArbitrary(false),
        inputsArbitrary(UNICODE_INPUT),
        (pattern, flags, inputs) => {
          const program = compileRegex(pattern, flags).program;
          const reference = new RegExp(pattern, `${jsFlags(flags)}u`);
          return inputs.every((input) => regexSearch(program, input) === reference.test(input));
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
      fc.property(patternArbitrary(grammar), flagsArbitrary(true), inputsArbitrary(alphabet), fc.integer(), (pattern, flags, inputs, seed) => {
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

  test('arbitrary pattern strings either compile or raise RegexSyntaxError, and agree with JS when both accept', () => {
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
          if (!pattern.includes('\\u{')) {
            try {
              reference = new RegExp(pattern);
            } catch {
              reference = null; // e.g. (?i) at the start, which JS lacks
            }
          }
          return inputs.every((input) => {
            const ours = regexSearch(program, input);
            return reference === null || ours === reference.test(input);
          });
        },
      ),
      { numRuns: 10000 },
    );
  });
});
