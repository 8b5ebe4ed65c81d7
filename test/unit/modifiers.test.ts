import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SigmaError } from '../../src/rule/errors.js';
import { applyModifiers, keywordValues, MAX_EXPANSION, MODIFIER_NAMES, WINDASH_CHARS, type ModifierOptions } from '../../src/rule/modifiers.js';
import { ANY, ONE, SigmaString, type StringToken } from '../../src/rule/sigma-string.js';
import type { SigmaValue } from '../../src/rule/values.js';

type Raw = string | number | boolean | null;

function apply(field: string | null, chain: string, values: Raw | Raw[], options: ModifierOptions = {}) {
  const modifiers = chain === '' ? [] : chain.split('|');
  const list = Array.isArray(values) ? values : [values];
  return applyModifiers(field, modifiers, list.map((value) => ({ value })), options);
}

/** The one value of a one-value item. */
function one(chain: string, value: Raw, options: ModifierOptions = {}, field: string | null = 'F'): SigmaValue {
  const { values } = apply(field, chain, value, options);
  expect(values).toHaveLength(1);
  return values[0];
}

function tokensOf(v: SigmaValue): readonly StringToken[] {
  if (v.type !== 'string') throw new Error(`expected a string value, got ${v.type}`);
  return v.value.tokens;
}

/** Sigma source form of a string value, or of each member of an expansion. */
function sigmaForms(v: SigmaValue): string[] {
  if (v.type === 'expansion') return v.values.flatMap(sigmaForms);
  if (v.type !== 'string') throw new Error(`expected a string value, got ${v.type}`);
  return [v.value.toSigma()];
}

/** Plain text of a string value or of each member of an expansion. */
function plainForms(v: SigmaValue): string[] {
  if (v.type === 'expansion') return v.values.flatMap(plainForms);
  if (v.type !== 'string' || v.value.plain === null) throw new Error('expected a plain string');
  return [v.value.plain];
}

function errorOf(fn: () => unknown): SigmaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error('expected a SigmaError');
}

/** The rule text whose value is exactly `s` (wildcards and backslashes escaped). */
const escaped = (s: string): string => SigmaString.literal(s).toSigma();
const text = (t: string): StringToken => ({ kind: 'text', text: t });
const bytes = (...b: number[]): string => String.fromCharCode(...b);

describe('plain values before modifiers', () => {
  test.each<[string, Raw, SigmaValue['type']]>([
    ['string', 'x', 'string'],
    ['integer', 4688, 'number'],
    ['boolean', true, 'boolean'],
    ['null', null, 'null'],
  ])('%s', (_name, value, type) => {
    expect(one('', value).type).toBe(type);
  });
  test('a number keeps its canonical text', () => {
    expect(one('', 4688)).toEqual({ type: 'number', value: 4688, text: '4688' });
  });
  test('a big integer keeps the digits as written', () => {
    const { values } = applyModifiers('F', [], [{ value: 12345678901234567890, source: '12345678901234567890' }]);
    expect(values[0]).toMatchObject({ type: 'number', text: '12345678901234567890' });
  });
  test('strings go through the Sigma string parser', () => {
    expect(tokensOf(one('', 'a*b?'))).toEqual([text('a'), ANY, text('b'), ONE]);
  });
});

describe('contains / startswith / endswith', () => {
  test.each<[string, string, string]>([
    ['contains', 'x', '*x*'],
    ['contains', '*x', '*x*'],
    ['contains', 'x*', '*x*'],
    ['contains', '*x*', '*x*'],
    ['startswith', 'x', 'x*'],
    ['startswith', 'x*', 'x*'],
    ['startswith', '*x', '*x*'],
    ['endswith', 'x', '*x'],
    ['endswith', '*x', '*x'],
    ['endswith', 'x*', '*x*'],
    ['contains', '', '*'],
    ['contains', String.raw`C:\Windows\*`, String.raw`*C:\\Windows\**`],
  ])('%s %s -> %s', (chain, value, expected) => {
    expect(one(chain, value).type).toBe('string');
    expect(sigmaForms(one(chain, value))).toEqual([expected]);
  });
  test.each(['contains', 'startswith', 'endswith'])('%s on a number is INVALID_VALUE', (chain) => {
    expect(errorOf(() => one(chain, 5)).code).toBe('INVALID_VALUE');
  });
  test('two different shapes contradict', () => {
    expect(errorOf(() => one('contains|startswith', 'x')).code).toBe('INVALID_MODIFIER');
  });
});

describe('all and neq are item flags', () => {
  test('all', () => {
    const item = apply('F', 'contains|all', ['a', 'b']);
    expect(item.all).toBe(true);
    expect(item.negated).toBe(false);
    expect(item.values.flatMap(sigmaForms)).toEqual(['*a*', '*b*']);
  });
  test('neq', () => {
    const item = apply('F', 'neq', ['a', 'b']);
    expect(item.negated).toBe(true);
    expect(item.all).toBe(false);
    expect(item.values).toHaveLength(2);
  });
  test('no flags by default', () => {
    expect(apply('F', '', 'a')).toMatchObject({ all: false, negated: false });
  });
});

describe('windash', () => {
  const D = WINDASH_CHARS;
  test('the five dash characters', () => {
    expect(D).toEqual(['-', '/', '\u2013', '\u2014', '\u2015']);
  });
  test('-param-1 -param2 gives 25 variants, the inner -1 untouched', () => {
    const forms = plainForms(one('windash', '-param-1 -param2'));
    const expected = D.flatMap((a) => D.map((b) => `${a}param-1 ${b}param2`));
    expect(forms).toHaveLength(25);
    expect(new Set(forms)).toEqual(new Set(expected));
  });
  test('--user expands only its second dash', () => {
    expect(new Set(plainForms(one('windash', '--user')))).toEqual(new Set(D.map((d) => `-${d}user`)));
  });
  test('a slash is a dash position too', () => {
    expect(new Set(plainForms(one('windash', '/c')))).toEqual(new Set(D.map((d) => `${d}c`)));
  });
  test.each<[string, string]>([
    ['dash between word characters', 'a-b'],
    ['dash at the end', 'x -'],
    ['dash before a non-word character', '- x'],
    ['no dash at all', 'whoami'],
  ])('no variants: %s', (_name, value) => {
    expect(one('windash', value)).toEqual({ type: 'string', value: SigmaString.literal(value), cased: false });
  });
  test('a dash right after a wildcard starts a plain part', () => {
    const v = one('windash', '*-enc*');
    expect(v.type).toBe('expansion');
    expect(new Set(sigmaForms(v))).toEqual(new Set(D.map((d) => `*${d}enc*`)));
  });
  test('a dash right before a wildcard is not followed by a word character', () => {
    expect(one('windash', 'a -*').type).toBe('string');
  });
  test('contains|windash: each variant is shaped', () => {
    expect(new Set(sigmaForms(one('contains|windash', ' -enc ')))).toEqual(new Set(D.map((d) => `* ${d}enc *`)));
  });
  test('windash|contains gives the same variants', () => {
    expect(new Set(sigmaForms(one('windash|contains', ' -enc ')))).toEqual(new Set(sigmaForms(one('contains|windash', ' -enc '))));
  });
  test('contains|all|windash: values AND-ed, each value an OR group of its variants', () => {
    const item = apply('F', 'contains|all|windash', ['-a', '-b']);
    expect(item.all).toBe(true);
    expect(item.values.map((v) => v.type)).toEqual(['expansion', 'expansion']);
    expect(item.values.map((v) => sigmaForms(v).length)).toEqual([5, 5]);
  });
  test('a Unicode letter is a word character', () => {
    expect(plainForms(one('windash', '-é'))).toHaveLength(5);
  });
  test('more variants than the bound is INVALID_VALUE', () => {
    const value = Array.from({ length: 7 }, (_, i) => `-p${i}`).join(' ');
    expect(5 ** 7).toBeGreaterThan(MAX_EXPANSION);
    expect(errorOf(() => one('windash', value)).code).toBe('INVALID_VALUE');
  });
  test('windash on a number is INVALID_VALUE', () => {
    expect(errorOf(() => one('windash', 5)).code).toBe('INVALID_VALUE');
  });
});

describe('base64 and base64offset', () => {
  test.each<[string, string]>([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foobar', 'Zm9vYmFy'],
    ['é', 'w6k='],
  ])('base64 %j -> %j', (value, expected) => {
    expect(plainForms(one('base64', value))).toEqual([expected]);
  });
  test('base64|contains', () => {
    expect(sigmaForms(one('base64|contains', 'foo'))).toEqual(['*Zm9v*']);
  });
  test('foobar gives Zm9vYmFy, Zvb2Jhc, mb29iYX', () => {
    expect(plainForms(one('base64offset', 'foobar'))).toEqual(['Zm9vYmFy', 'Zvb2Jhc', 'mb29iYX']);
  });
  test('base64offset|contains shapes every variant', () => {
    expect(sigmaForms(one('base64offset|contains', 'foobar'))).toEqual(['*Zm9vYmFy*', '*Zvb2Jhc*', '*mb29iYX*']);
  });
  test.each<[string, string, string]>([
    ['base64 with a wildcard', 'base64', 'a*'],
    ['base64 with a single wildcard', 'base64', 'a?'],
    ['base64offset with a wildcard', 'base64offset', '*a'],
  ])('%s is INVALID_VALUE', (_name, chain, value) => {
    expect(errorOf(() => one(chain, value)).code).toBe('INVALID_VALUE');
  });
  test('an escaped wildcard is plain text and encodes', () => {
    expect(plainForms(one('base64', String.raw`a\*`))).toEqual([Buffer.from('a*').toString('base64')]);
  });
  test('base64 of a number is INVALID_VALUE', () => {
    expect(errorOf(() => one('base64', 5)).code).toBe('INVALID_VALUE');
  });
});

describe('utf16 encodings (binary strings: one char per byte)', () => {
  test.each<[string, string]>([
    ['wide', bytes(0x63, 0, 0x6d, 0, 0x64, 0)],
    ['utf16le', bytes(0x63, 0, 0x6d, 0, 0x64, 0)],
    ['utf16be', bytes(0, 0x63, 0, 0x6d, 0, 0x64)],
    ['utf16', bytes(0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0)],
  ])('%s of cmd', (chain, expected) => {
    expect(plainForms(one(chain, 'cmd'))).toEqual([expected]);
  });
  test('a non-ASCII code unit splits into its two bytes', () => {
    expect(plainForms(one('wide', '\u20ac'))).toEqual([bytes(0xac, 0x20)]);
    expect(plainForms(one('utf16be', '\u20ac'))).toEqual([bytes(0x20, 0xac)]);
  });
  test('wildcards stay tokens', () => {
    expect(tokensOf(one('wide', 'c*d'))).toEqual([text(bytes(0x63, 0)), ANY, text(bytes(0x64, 0))]);
  });
  test.each<[string, string]>([
    ['wide|base64', Buffer.from('cmd', 'utf16le').toString('base64')],
    ['utf16le|base64', Buffer.from('cmd', 'utf16le').toString('base64')],
    ['utf16be|base64', Buffer.from(bytes(0, 0x63, 0, 0x6d, 0, 0x64), 'latin1').toString('base64')],
    ['utf16|base64', Buffer.from(bytes(0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0), 'latin1').toString('base64')],
  ])('%s encodes the UTF-16 bytes, not their UTF-8 form', (chain, expected) => {
    expect(plainForms(one(chain, 'cmd'))).toEqual([expected]);
  });
  test('wide|base64offset|contains (the corpus chain)', () => {
    const le = new Uint8Array(Buffer.from('cmd', 'utf16le'));
    const forms = plainForms(one('wide|base64offset', 'cmd'));
    expect(forms[0]).toBe(Buffer.from(le).toString('base64'));
    expect(sigmaForms(one('wide|base64offset|contains', 'cmd'))).toEqual(forms.map((f) => `*${f}*`));
  });
});

describe('base64offset: each variant is where the value shows in a longer base64 text', () => {
  const START = [0, 2, 3];
  /** The exact law: with k bytes before the value, variant k % 3 sits at 4 * floor(k / 3) + START[k % 3]. */
  function checkLaw(value: Uint8Array, variants: string[], prefix: Uint8Array, suffix: Uint8Array): void {
    const whole = Buffer.concat([prefix, value, suffix]).toString('base64');
    const k = prefix.length;
    const variant = variants[k % 3];
    expect(whole.startsWith(variant, 4 * Math.floor(k / 3) + START[k % 3])).toBe(true);
  }
  test('UTF-8 text at any offset', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.uint8Array({ maxLength: 10 }), fc.uint8Array({ maxLength: 4 }), (s, prefix, suffix) => {
        const value = new TextEncoder().encode(s);
        checkLaw(value, plainForms(one('base64offset', escaped(s))), prefix, suffix);
      }),
      { numRuns: 1000 },
    );
  });
  test('UTF-16LE text (wide) at any offset', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.uint8Array({ maxLength: 10 }), fc.uint8Array({ maxLength: 4 }), (s, prefix, suffix) => {
        const value = new Uint8Array(Buffer.from(s, 'utf16le'));
        checkLaw(value, plainForms(one('wide|base64offset', escaped(s))), prefix, suffix);
      }),
      { numRuns: 1000 },
    );
  });
  test('every variant is as long as the bytes it fully determines', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (s) => {
        const n = new TextEncoder().encode(s).length;
        const lengths = plainForms(one('base64offset', escaped(s))).map((v) => v.length);
        // Each base64 character carries 6 bits; a variant holds exactly the characters whose 6 bits all come
        // from the value's bytes, at bit offset 0, 8 and 16 modulo 24.
        const full = [0, 1, 2].map((shift) => {
          const startBit = 8 * shift;
          const endBit = startBit + 8 * n;
          const first = Math.ceil(startBit / 6);
          const last = Math.floor(endBit / 6);
          return Math.max(0, last - first);
        });
        expect(lengths).toEqual(full);
      }),
      { numRuns: 300 },
    );
  });
});

describe('re', () => {
  function regexOf(chain: string, pattern: string) {
    const v = one(chain, pattern);
    if (v.type !== 'regex') throw new Error('expected a regex');
    return v.regex;
  }
  test('the raw string is the pattern (no Sigma escape processing)', () => {
    expect(regexOf('re', String.raw`C:\\Windows\\.*\.exe`).source).toBe(String.raw`C:\\Windows\\.*\.exe`);
  });
  test.each<[string, string, string]>([
    ['re|startswith', 'foo', '^(?:foo)'],
    ['re|startswith', '(?i)foo', '(?i)^(?:foo)'],
    ['re|startswith', '^foo', '^(?:^foo)'],
    ['re|startswith', '(?i)^foo', '(?i)^(?:^foo)'],
    ['re|startswith', '^a|b', '^(?:^a|b)'],
    ['re|endswith', 'foo', '(?:foo)$'],
    ['re|endswith', '(?i)foo', '(?i)(?:foo)$'],
    ['re|endswith', 'foo$', '(?:foo$)$'],
    ['re|endswith', String.raw`foo\$`, String.raw`(?:foo\$)$`],
    ['re|contains', 'foo', 'foo'],
    ['re|startswith', 'a|b', '^(?:a|b)'],
  ])('%s %s -> %s', (chain, pattern, source) => {
    expect(regexOf(chain, pattern).source).toBe(source);
  });
  test.each<[string, Partial<Record<'ignoreCase' | 'multiline' | 'dotAll', boolean>>]>([
    ['re', { ignoreCase: false, multiline: false, dotAll: false }],
    ['re|i', { ignoreCase: true }],
    ['re|ignorecase', { ignoreCase: true }],
    ['re|m', { multiline: true }],
    ['re|multiline', { multiline: true }],
    ['re|s', { dotAll: true }],
    ['re|dotall', { dotAll: true }],
    ['re|i|m|s', { ignoreCase: true, multiline: true, dotAll: true }],
  ])('%s flags', (chain, flags) => {
    expect(regexOf(chain, 'a').flags).toMatchObject(flags);
  });
  test('a leading (?i) is a flag', () => {
    expect(regexOf('re', '(?i)a').flags.ignoreCase).toBe(true);
  });
  test('an invalid pattern is INVALID_REGEX', () => {
    const e = errorOf(() => one('re', '(a'));
    expect(e.code).toBe('INVALID_REGEX');
    expect(e.message).toContain('field "F"');
  });
  test('an unsupported construct is INVALID_REGEX', () => {
    expect(errorOf(() => one('re', 'a(?=b)')).code).toBe('INVALID_REGEX');
  });
  test('a number is INVALID_VALUE', () => {
    expect(errorOf(() => one('re', 5)).code).toBe('INVALID_VALUE');
  });
});

describe('cidr', () => {
  test('IPv4 and IPv6 networks', () => {
    expect(one('cidr', '10.0.0.0/8')).toMatchObject({ type: 'cidr', network: { version: 4, prefix: 8, text: '10.0.0.0/8' } });
    expect(one('cidr', 'fe80::/10')).toMatchObject({ type: 'cidr', network: { version: 6, prefix: 10 } });
  });
  test('a value list gives one network each', () => {
    expect(apply('F', 'cidr', ['10.0.0.0/8', '192.168.0.0/16']).values.map((v) => v.type)).toEqual(['cidr', 'cidr']);
  });
  test.each(['10.0.0.0/33', '10.0.0/8', 'fe80::/129', 'x', '10.0.0.0/', '256.0.0.0/8'])('%s is INVALID_CIDR', (value) => {
    expect(errorOf(() => one('cidr', value)).code).toBe('INVALID_CIDR');
  });
});

describe('exists, cased, fieldref, comparisons, time parts', () => {
  test('exists', () => {
    expect(one('exists', true)).toEqual({ type: 'exists', value: true });
    expect(one('exists', false)).toEqual({ type: 'exists', value: false });
  });
  test('cased marks the string value', () => {
    expect(one('cased', 'AbC')).toMatchObject({ type: 'string', cased: true });
    expect(one('contains|cased', 'AbC')).toMatchObject({ type: 'string', cased: true });
    expect(one('', 'AbC')).toMatchObject({ type: 'string', cased: false });
  });
  test('cased survives windash and utf16', () => {
    const v = one('cased|windash', '-a');
    expect(v.type === 'expansion' && v.values.every((m) => m.type === 'string' && m.cased)).toBe(true);
    expect(one('cased|wide', 'a')).toMatchObject({ cased: true });
  });
  test.each<[string, object]>([
    ['fieldref', { type: 'fieldref', field: 'ParentUser', position: 'equals', cased: false }],
    ['fieldref|contains', { type: 'fieldref', field: 'ParentUser', position: 'contains' }],
    ['contains|fieldref', { type: 'fieldref', field: 'ParentUser', position: 'contains' }],
    ['fieldref|startswith', { type: 'fieldref', position: 'startswith' }],
    ['fieldref|endswith', { type: 'fieldref', position: 'endswith' }],
    ['fieldref|cased', { type: 'fieldref', cased: true }],
    ['cased|fieldref', { type: 'fieldref', cased: true }],
  ])('%s', (chain, expected) => {
    expect(one(chain, 'ParentUser')).toMatchObject(expected);
  });
  test('fieldref takes the name raw: a wildcard is INVALID_VALUE, a backslash is part of the name', () => {
    expect(errorOf(() => one('fieldref', 'Parent*')).code).toBe('INVALID_VALUE');
    expect(errorOf(() => one('fieldref', 'Parent?')).code).toBe('INVALID_VALUE');
  });
  test.each(['gt', 'gte', 'lt', 'lte'])('%s', (op) => {
    expect(one(op, 10)).toEqual({ type: 'compare', op, value: 10 });
  });
  test.each(['minute', 'hour', 'day', 'week', 'month', 'year'])('%s', (part) => {
    expect(one(part, 3)).toEqual({ type: 'timepart', part, op: 'eq', value: 3 });
  });
  test('a time part with a comparison, either order', () => {
    expect(one('hour|gte', 9)).toEqual({ type: 'timepart', part: 'hour', op: 'gte', value: 9 });
    expect(one('lt|hour', 9)).toEqual({ type: 'timepart', part: 'hour', op: 'lt', value: 9 });
  });
});

describe('expand', () => {
  const placeholders = { admins: ['alice', 'bob'], dir: ['C:\\Tools\\\\*', 'a\\*b'], one: ['x'] };
  test('a placeholder with several values is an OR group', () => {
    const v = one('expand', '%admins%', { placeholders });
    expect(v.type).toBe('expansion');
    expect(plainForms(v)).toEqual(['alice', 'bob']);
  });
  test('a single value is no group', () => {
    expect(one('expand', 'pre-%one%', { placeholders })).toEqual({ type: 'string', value: SigmaString.literal('pre-x'), cased: false });
  });
  test('replacement values are Sigma strings (their wildcards are wildcards)', () => {
    const v = one('expand', '%dir%', { placeholders });
    expect(v.type === 'expansion' && v.values.map(tokensOf)).toEqual([[text('C:\\Tools\\'), ANY], [text('a*b')]]);
  });
  test('two placeholders give the product', () => {
    expect(plainForms(one('expand', '%admins%@%admins%', { placeholders }))).toEqual(['alice@alice', 'alice@bob', 'bob@alice', 'bob@bob']);
  });
  test('contains|expand shapes every value', () => {
    expect(sigmaForms(one('contains|expand', '%admins%', { placeholders }))).toEqual(['*alice*', '*bob*']);
  });
  test('an expansion stays OR-ed under all', () => {
    const item = apply('F', 'all|expand', ['%admins%', 'z'], { placeholders });
    expect(item.all).toBe(true);
    expect(item.values.map((v) => v.type)).toEqual(['expansion', 'string']);
  });
  test('without expand, %x% is literal text', () => {
    expect(one('', '%admins%', { placeholders })).toEqual({ type: 'string', value: SigmaString.literal('%admins%'), cased: false });
  });
  test('an escaped percent stays literal with expand', () => {
    expect(one('expand', String.raw`100\%`)).toEqual({ type: 'string', value: SigmaString.literal('100%'), cased: false });
  });
  test('an unresolved placeholder names the placeholder and the field', () => {
    const e = errorOf(() => one('expand', '%nobody%', { placeholders }));
    expect(e.code).toBe('UNRESOLVED_PLACEHOLDER');
    expect(e.message).toContain('%nobody%');
    expect(e.message).toContain('field "F"');
  });
  test('an empty value list is unresolved', () => {
    expect(errorOf(() => one('expand', '%x%', { placeholders: { x: [] } })).code).toBe('UNRESOLVED_PLACEHOLDER');
  });
});

describe('chain errors', () => {
  test.each<[string, string, Raw, string]>([
    ['unknown modifier', 'foo', 'x', 'UNKNOWN_MODIFIER'],
    ['unknown modifier after a known one', 'contains|containz', 'x', 'UNKNOWN_MODIFIER'],
    ['modifier names are case-sensitive', 'Contains', 'x', 'UNKNOWN_MODIFIER'],
    ['re not first', 'contains|re', 'x', 'INVALID_MODIFIER'],
    ['cidr not first', 'all|cidr', '10.0.0.0/8', 'INVALID_MODIFIER'],
    ['regex flag without re', 'i', 'x', 'INVALID_MODIFIER'],
    ['regex flag with contains only', 'contains|ignorecase', 'x', 'INVALID_MODIFIER'],
    ['exists with another modifier', 'exists|all', true, 'INVALID_MODIFIER'],
    ['re with windash', 're|windash', 'x', 'INVALID_MODIFIER'],
    ['re with base64', 're|base64', 'x', 'INVALID_MODIFIER'],
    ['re with cased', 're|cased', 'x', 'INVALID_MODIFIER'],
    ['cidr with contains', 'cidr|contains', '10.0.0.0/8', 'INVALID_MODIFIER'],
    ['cidr with expand', 'cidr|expand', '10.0.0.0/8', 'INVALID_MODIFIER'],
    ['fieldref with wide', 'fieldref|wide', 'X', 'INVALID_MODIFIER'],
    ['startswith and endswith', 'startswith|endswith', 'x', 'INVALID_MODIFIER'],
    ['exists with a string', 'exists', 'true', 'INVALID_VALUE'],
    ['gt with a string', 'gt', '5', 'INVALID_VALUE'],
    ['hour with a string', 'hour', 'x', 'INVALID_VALUE'],
    ['cased on a number', 'cased', 5, 'INVALID_VALUE'],
    ['base64offset on a boolean', 'base64offset', true, 'INVALID_VALUE'],
    ['invalid regex', 're', '[', 'INVALID_REGEX'],
    ['invalid cidr', 'cidr', '1.2.3.4/40', 'INVALID_CIDR'],
    ['unresolved placeholder', 'expand', '%p%', 'UNRESOLVED_PLACEHOLDER'],
  ])('%s: %s', (_name, chain, value, code) => {
    const e = errorOf(() => one(chain, value));
    expect(e.code).toBe(code);
    expect(e.message).toContain('field "F"');
  });
  test('the unknown modifier is named, with the field', () => {
    const e = errorOf(() => one('contains|foo', 'x'));
    expect(e.message).toMatch(/unknown modifier "foo" on field "F"/);
  });
  test('exists and fieldref need a field', () => {
    expect(errorOf(() => one('exists', true, {}, null)).code).toBe('INVALID_MODIFIER');
    expect(errorOf(() => one('fieldref', 'X', {}, null)).code).toBe('INVALID_MODIFIER');
  });
  test('errors carry no position (the caller adds it)', () => {
    const e = errorOf(() => one('foo', 'x'));
    expect(e.line).toBeUndefined();
  });
  test('every modifier of SIGMA.md 1.6 is known', () => {
    const spec = [
      'contains', 'startswith', 'endswith', 'all', 'windash', 'base64', 'base64offset', 'utf16le', 'wide', 'utf16be', 'utf16',
      're', 'i', 'ignorecase', 'm', 'multiline', 's', 'dotall', 'cidr', 'exists', 'cased', 'fieldref',
      'gt', 'gte', 'lt', 'lte', 'neq', 'expand', 'minute', 'hour', 'day', 'week', 'month', 'year',
    ];
    expect([...MODIFIER_NAMES].sort()).toEqual([...spec].sort());
  });
});

describe('keywordValues', () => {
  test.each<[string, string, Raw, string[]]>([
    ['a plain keyword is a substring', '', 'evil', ['*evil*']],
    ['wildcards are kept', '', 'ev*l', ['*ev*l*']],
    ['a number is its decimal text', '', 4688, ['*4688*']],
    ['all does not change the shape', 'all', 'x', ['*x*']],
    ['startswith is explicit', 'startswith', 'x', ['x*']],
    ['endswith is explicit', 'endswith', 'x', ['*x']],
  ])('%s', (_name, chain, value, expected) => {
    const modifiers = chain === '' ? [] : chain.split('|');
    const values = keywordValues(apply(null, chain, value).values, modifiers);
    expect(values.flatMap(sigmaForms)).toEqual(expected);
  });
  test('expansions are shaped member by member', () => {
    const values = keywordValues(apply(null, 'windash', '-x').values, ['windash']);
    expect(values[0].type).toBe('expansion');
    expect(sigmaForms(values[0])).toEqual(WINDASH_CHARS.map((d) => `*${d}x*`));
  });
  test('cased keywords stay cased', () => {
    expect(keywordValues(apply(null, 'cased', 'X').values, ['cased'])[0]).toMatchObject({ cased: true });
  });
  test('regex keywords are left alone', () => {
    expect(keywordValues(apply(null, 're', 'x').values, ['re'])[0].type).toBe('regex');
  });
});
