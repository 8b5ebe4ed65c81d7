/**
 * A random-pattern grammar for property tests: only constructs of the supported flavour, in two vocabularies whose
 * meaning coincides with JS RegExp (without u on ASCII input, and with u on code point input).
 */
import fc from 'fast-check';
import type { RegexFlags } from '../../src/regex/index.js';

export const MAX_DEPTH = 3;

/** Pieces valid in both our flavour and JS without the u flag, meaning the same on ASCII input. */
export const ASCII_LITERALS = [
  'a', 'b', 'c', 'A', 'B', 'x', '0', '1', ' ', '-', '_', ',', ':', '/', '"',
  '\\.', '\\\\', '\\/', '\\-', '\\*', '\\(', '\\)', '\\[', '\\]', '\\{', '\\}', '\\|', '\\?', '\\+', '\\^', '\\$',
  '\\n', '\\t', '\\r', '\\x41', '\\u0062',
];
export const ASCII_CLASS_ITEMS = [
  'a', 'b', 'z', 'A', 'Z', '0', '9', '_', ' ', '.', '/', '\\-', '\\]', '\\[', '\\\\', '\\n',
  '\\d', '\\w', '\\s', '\\D', '\\W', '\\S', 'a-c', 'x-z', 'A-C', '0-5', '!-/',
];
export const ASCII_INPUT = [...'abcxzABCXZ0159 -_.,:/\\"![]{}()|?+*^$', '\n', '\r', '\t'];

/** Pieces valid in both our flavour and JS with the u flag (where identity escapes are limited to syntax characters). */
export const UNICODE_LITERALS = [
  'a', 'b', 'é', 'É', 'ß', 'Ω', '😀', '\u00a0', '\\u{1F601}', '\\u00e9', '\\.', '\\*', '\\n', '\\u2028', '-',
];
export const UNICODE_CLASS_ITEMS = ['a', 'é', '😀', '😀-😂', 'à-ö', '\\u{1F600}-\\u{1F64F}', '\\d', '\\w', '\\s', '\\W', '\\S', '\\-'];
export const UNICODE_INPUT = [...'ab -.\n', 'é', 'É', 'ß', 'Ω', '😀', '😁', '😂', '\u00a0', '\u2028', '\u00e0', '\u00f6', '\u00f7'];

const SHORTHANDS = ['\\d', '\\D', '\\w', '\\W', '\\s', '\\S'];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const QUANTIFIERS = ['*', '+', '?', '{0}', '{1}', '{2}', '{1,2}', '{0,3}', '{2,}'];

export interface Grammar {
  readonly literals: readonly string[];
  readonly classItems: readonly string[];
  /** Relative weight of literals among the leaves (`.`, shorthands and classes weigh 1 each). */
  readonly literalWeight?: number;
}

/**
 * Patterns as strings. With `nestedQuantifiers` false, a quantified group contains no quantifier itself: JS RegExp
 * backtracks exponentially on nested quantifiers, so only such patterns can use JS as the oracle; the nested ones
 * are checked against the set-based oracle in support.ts.
 */
export function patternArbitrary(grammar: Grammar, nestedQuantifiers: boolean, depth = MAX_DEPTH): fc.Arbitrary<string> {
  return alternation(grammar, nestedQuantifiers, true, depth);
}

/** An alternation of concatenations; `quantifiers` says whether its terms may be quantified at all. */
function alternation(grammar: Grammar, nested: boolean, quantifiers: boolean, depth: number): fc.Arbitrary<string> {
  const classArb = fc
    .tuple(fc.boolean(), fc.array(fc.constantFrom(...grammar.classItems), { minLength: 1, maxLength: 4 }))
    .map(([negated, items]) => `[${negated ? '^' : ''}${items.join('')}]`);
  const leaf = fc.oneof(
    { arbitrary: fc.constantFrom(...grammar.literals), weight: grammar.literalWeight ?? 1 },
    { arbitrary: fc.constant('.'), weight: 1 },
    { arbitrary: fc.constantFrom(...SHORTHANDS), weight: 1 },
    { arbitrary: classArb, weight: 1 },
  );
  const atom = (quantifiersInside: boolean): fc.Arbitrary<string> => {
    if (depth === 0) return leaf;
    const group = fc
      .tuple(fc.constantFrom('(', '(?:'), alternation(grammar, nested, quantifiersInside, depth - 1))
      .map(([open, body]) => `${open}${body})`);
    return fc.oneof({ arbitrary: leaf, weight: 4 }, { arbitrary: group, weight: 1 });
  };
  const terms = [
    { arbitrary: atom(quantifiers), weight: 4 },
    { arbitrary: fc.constantFrom(...ASSERTIONS), weight: 1 },
  ];
  if (quantifiers) {
    const quantified = fc
      .tuple(atom(nested), fc.constantFrom(...QUANTIFIERS), fc.boolean())
      .map(([a, q, lazy]) => `${a}${q}${lazy ? '?' : ''}`);
    terms.push({ arbitrary: quantified, weight: 2 });
  }
  const concat = fc.array(fc.oneof(...terms), { maxLength: 4 }).map((items) => items.join(''));
  return fc.array(concat, { minLength: 1, maxLength: 3 }).map((branches) => branches.join('|'));
}

export function inputsArbitrary(alphabet: readonly string[]): fc.Arbitrary<string[]> {
  const one = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((chars) => chars.join(''));
  return fc.array(one, { minLength: 1, maxLength: 6 });
}

export const flagsArbitrary = (allowIgnoreCase: boolean): fc.Arbitrary<RegexFlags> =>
  fc.record({
    ignoreCase: allowIgnoreCase ? fc.boolean() : fc.constant(false),
    multiline: fc.boolean(),
    dotAll: fc.boolean(),
  });

export function jsFlags(flags: RegexFlags): string {
  return (flags.ignoreCase ? 'i' : '') + (flags.multiline ? 'm' : '') + (flags.dotAll ? 's' : '');
}

