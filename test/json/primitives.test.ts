/**
 * The scanner's token primitives against JavaScript itself: numbers against `String(Number(s))` (and JSON.parse's
 * grammar), strings against `JSON.parse` + `toWellFormed()` over TextDecoder's decoding of the raw bytes.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadTestVm, type TestVm } from '../support/wasm.js';
import { numberNeedsFallback } from './reasons.js';

let vm: TestVm;
beforeAll(async () => {
  vm = await loadTestVm();
});

const NUMBER_CANONICAL = 0;
const NUMBER_FALLBACK = 1;
const NUMBER_INVALID = 2;

interface NumberResult {
  status: number;
  text: string;
}

function canonicalNumbers(texts: string[]): NumberResult[] {
  vm.reset();
  const input = vm.put(texts.map((t) => `${t}\n`).join(''));
  const out = vm.alloc(texts.length * 8 + input.len + texts.length * 32);
  const written = Number(vm.exports.jsonCanonicalNumbers(input.ptr, input.len, out));
  const u32 = vm.u32();
  const results: NumberResult[] = [];
  let at = out;
  while (at < out + written) {
    const status = u32[at >>> 2];
    const len = u32[(at >>> 2) + 1];
    results.push({ status, text: vm.readString(at + 8, len) });
    at += 8 + ((len + 3) & ~3);
  }
  return results;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** What the scanner must say about a numeric text. */
function expectedNumber(text: string): NumberResult {
  if (!JSON_NUMBER.test(text)) return { status: NUMBER_INVALID, text: '' };
  if (numberNeedsFallback(text)) return { status: NUMBER_FALLBACK, text: '' };
  return { status: NUMBER_CANONICAL, text: String(Number(text)) };
}

function checkNumbers(texts: string[]): void {
  const got = canonicalNumbers(texts);
  expect(got.length).toBe(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const want = expectedNumber(texts[i]);
    if (got[i].status !== want.status || got[i].text !== want.text) {
      expect({ input: texts[i], ...got[i] }).toEqual({ input: texts[i], ...want });
    }
  }
}

describe('numbers', () => {
  test('named cases', () => {
    const cases: [string, string][] = [
      ['0', '0'], ['-0', '0'], ['-0.0e5', '0'], ['0e99999999999999999999', '0'], ['1', '1'], ['-1', '-1'],
      ['1.50', '1.5'], ['1e3', '1000'], ['1E3', '1000'], ['1e+3', '1000'], ['100e-2', '1'], ['0.1', '0.1'],
      ['123456789012345', '123456789012345'], ['1234567890123450000', '1234567890123450000'],
      ['1e20', '100000000000000000000'], ['1e21', '1e+21'], ['1.5e21', '1.5e+21'], ['123e19', '1.23e+21'],
      ['0.000001', '0.000001'], ['0.0000001', '1e-7'], ['1.25e-7', '1.25e-7'], ['-0.00000123', '-0.00000123'],
      ['1e308', '1e+308'], ['1.79769313486231e308', '1.79769313486231e+308'], ['2.22507385850721e-308', '2.22507385850721e-308'],
      ['1e-400', '0'], ['-1e-400', '0'], ['4688', '4688'], ['12.000', '12'], ['0.5e1', '5'],
    ];
    const got = canonicalNumbers(cases.map((c) => c[0]));
    expect(got).toEqual(cases.map(([, t]) => ({ status: NUMBER_CANONICAL, text: t })));
    for (const [input, text] of cases) expect(String(Number(input))).toBe(text);
  });

  test('what falls back', () => {
    const texts = ['1234567890123456', '0.1234567890123456', '1e309', '1.8e308', '1.79769313486232e308', '1e-308', '5e-324', '2.2250738585072e-308', '1e-320', '-1e999'];
    expect(canonicalNumbers(texts).map((r) => r.status)).toEqual(texts.map(() => NUMBER_FALLBACK));
    checkNumbers(texts);
  });

  test("JSON.parse's grammar", () => {
    const bad = ['', '-', '+1', '01', '-01', '1.', '.5', '1e', '1e+', '1.e5', '0x10', 'NaN', 'Infinity', '1_000', '1 ', '--1', '1.2.3', '1e5.5'];
    expect(canonicalNumbers(bad).map((r) => r.status)).toEqual(bad.map(() => NUMBER_INVALID));
    for (const b of bad) expect(() => JSON.parse(b.trim() === b ? b : 'x')).toThrow();
  });

  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const numericText = fc
    .tuple(
      fc.boolean(),
      fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 22)).map(([a, b]) => a + b)),
      fc.option(digits(1, 22), { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.oneof(digits(1, 3), fc.integer({ min: 0, max: 330 }).map(String))), { nil: undefined }),
    )
    .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac !== undefined ? `.${frac}` : ''}${exp ? exp.join('') : ''}`);

  test('random numeric texts against String(Number(s)) (millions)', () => {
    const batch = 100_000;
    const rounds = 20;
    for (let r = 0; r < rounds; r++) checkNumbers(fc.sample(numericText, { numRuns: batch, seed: 1000 + r }));
  });

  test('random numbers printed by JavaScript itself, and near the range limits', () => {
    const texts: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const x = Math.random() * 10 ** Math.floor(Math.random() * 640 - 320);
      texts.push(String(x), x.toPrecision(1 + Math.floor(Math.random() * 15)).replace('+', ''), x.toExponential(Math.floor(Math.random() * 15)));
    }
    for (const e of [307, 308, 309]) {
      for (let i = 0; i < 2000; i++) {
        texts.push(`${(1 + Math.random() * 0.8).toFixed(1 + (i % 14))}e${e}`, `${(1 + Math.random() * 9).toFixed(i % 15)}e-${e}`);
      }
    }
    checkNumbers(texts.filter((t) => JSON_NUMBER.test(t)));
  });

  test('arbitrary strings against the grammar', () => {
    const junk = fc.string({ unit: fc.constantFrom(...'0123456789-+.eE x'), maxLength: 12 });
    checkNumbers(fc.sample(junk, { numRuns: 50_000, seed: 7 }).filter((t) => !t.includes('\n')));
  });
});

// ---- strings ----

interface StringResult {
  valid: boolean;
  inPlace: boolean;
  text: Uint8Array;
}

function decodeStrings(literals: Uint8Array[]): StringResult[] {
  vm.reset();
  const total = literals.reduce((n, l) => n + 4 + ((l.length + 3) & ~3), 0);
  const input = vm.alloc(total);
  let at = input;
  for (const l of literals) {
    vm.u32()[at >>> 2] = l.length;
    vm.bytes().set(l, at + 4);
    at += 4 + ((l.length + 3) & ~3);
  }
  const out = vm.alloc(total * 3 + literals.length * 16 + 64);
  const written = Number(vm.exports.jsonDecodeStrings(input, total, out));
  const results: StringResult[] = [];
  let p = out;
  const u32 = vm.u32();
  while (p < out + written) {
    const status = u32[p >>> 2];
    const inPlace = u32[(p >>> 2) + 1] === 1;
    const len = u32[(p >>> 2) + 2];
    results.push({ valid: status === 0, inPlace, text: vm.read(p + 12, len) });
    p += 12 + ((len + 3) & ~3);
  }
  return results;
}

const enc = new TextEncoder();

/** JSON.parse + toWellFormed on TextDecoder's reading of the bytes, as UTF-8; null when JSON.parse rejects it. */
function expectedString(bytes: Uint8Array): Uint8Array | null {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  return typeof v === 'string' ? enc.encode(v.toWellFormed()) : null;
}

function checkStrings(literals: Uint8Array[]): void {
  const got = decodeStrings(literals);
  expect(got.length).toBe(literals.length);
  for (let i = 0; i < literals.length; i++) {
    const want = expectedString(literals[i]);
    const g = got[i];
    const same = want === null ? !g.valid : g.valid && Buffer.from(g.text).equals(Buffer.from(want));
    if (!same) {
      expect({ input: Array.from(literals[i]), valid: g.valid, text: Array.from(g.text) }).toEqual({
        input: Array.from(literals[i]),
        valid: want !== null,
        text: want ? Array.from(want) : [],
      });
    }
    // In place means: the bytes between the quotes are already the string.
    if (g.valid && g.inPlace) expect(Buffer.from(g.text).equals(Buffer.from(literals[i].subarray(1, -1)))).toBe(true);
  }
}

const quoted = (inner: Uint8Array | number[]): Uint8Array => Uint8Array.from([0x22, ...inner, 0x22]);

describe('strings', () => {
  test('named cases', () => {
    const cases = [
      '"plain"', '""', '"C:\\\\Windows\\\\System32"', '"quote \\" inside"', '"\\/\\b\\f\\n\\r\\t"', '"\\u0041\\u00e9\\u20ac"',
      '"\\ud83d\\ude00"', '"\\uD83D\\uDE00"', '"\\ud83d"', '"\\ude00"', '"\\ud83d\\u0041"', '"\\ud83dx"', '"\\ude00\\ud83d"',
      '"\\ud83d\\ud83d\\ude00"', '"\\u0000"', '"é😀€"', '"\\x"', '"\\u12"', '"\\u12g4"', '"tab\there"', '"unterminated', '"a"b"',
      '"' + 'long'.repeat(100) + '\\n' + 'tail'.repeat(50) + '"',
    ];
    checkStrings(cases.map((c) => enc.encode(c)));
  });

  test('ill-formed UTF-8 is replaced as TextDecoder does (maximal subparts)', () => {
    const cases = [
      [0xff], [0xc0, 0x80], [0xc2], [0xe0, 0x80, 0x80], [0xe0, 0xa0], [0xed, 0xa0, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0xf0, 0x9f, 0x41], [0xe2, 0x82, 0xe2, 0x82, 0xac], [0x80, 0xbf],
      [0xf5, 0x80], [0xc3, 0xa9, 0xff, 0x41],
    ];
    checkStrings(cases.map((c) => quoted(c)));
  });

  test('random byte strings', () => {
    // Bytes that do not end the string: anything but `"`, `\` and control characters, weighted towards UTF-8 leads.
    const byte = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).filter((b) => b !== 0x22 && b !== 0x5c) },
      { weight: 4, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
      { weight: 2, arbitrary: fc.constantFrom(0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0x80, 0x9f, 0xa0, 0xbf) },
    );
    const escape = fc.oneof(
      fc.constantFrom('\\n', '\\"', '\\\\', '\\/', '\\t', '\\b', '\\f', '\\r'),
      fc.integer({ min: 0, max: 0xffff }).map((u) => `\\u${u.toString(16).padStart(4, '0')}`),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => `\\u${u.toString(16).toUpperCase().padStart(4, '0')}`),
    );
    const part = fc.oneof({ weight: 5, arbitrary: byte.map((b) => [b]) }, { weight: 1, arbitrary: escape.map((e) => Array.from(enc.encode(e))) });
    const literal = fc.array(part, { maxLength: 40 }).map((parts) => quoted(parts.flat()));
    const literals = fc.sample(literal, { numRuns: 100_000, seed: 42 });
    checkStrings(literals);
  });

  test('random unicode text round-trips', () => {
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 60 }), { numRuns: 50_000, seed: 3 });
    checkStrings(texts.map((t) => enc.encode(JSON.stringify(t))));
  });
});
