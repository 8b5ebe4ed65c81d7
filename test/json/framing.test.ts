/**
 * Framing: the VM's byte scanner and the reference reader (src/input/json-events.ts) implement one spec (DESIGN.md
 * section 4) and must agree on every event (index, line) and every error (line, kind), whatever the chunking.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { readJsonEvents } from '../../src/input/json-events.js';
import { ScannerHarness, referenceRead, scannedIndexLines, type ScanOptions } from './harness.js';

let h: ScannerHarness;
beforeAll(async () => {
  h = await ScannerHarness.create(['a', 'b']);
});

const enc = new TextEncoder();
const bytesOf = (parts: (string | number[])[]): Uint8Array => {
  const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

interface Outcome {
  events: [number, number][];
  errors: [number, string][];
  /** Each error's lines, first and last. */
  spans?: [number, number][];
}

function reference(bytes: Uint8Array, options: { maxRecordBytes?: number; splits?: number[] } = {}): Outcome {
  const r = referenceRead(bytes, options);
  return { events: r.events.map((e) => [e.index, e.line]), errors: r.errors.map((e) => [e.line, e.kind]), spans: r.errors.map((e) => [e.line, e.endLine]) };
}

function scanner(bytes: Uint8Array, options: ScanOptions = {}): Outcome {
  const r = h.scan(bytes, options);
  return { events: scannedIndexLines(r), errors: r.errors.map((e) => [e.line, e.kind]), spans: r.errors.map((e) => [e.line, e.endLine]) };
}

function agree(bytes: Uint8Array, options: ScanOptions = {}): Outcome {
  const expected = reference(bytes, { maxRecordBytes: options.maxRecordBytes });
  expect(scanner(bytes, options)).toEqual(expected);
  return expected;
}

const CASES: [string, (string | number[])[], Outcome?][] = [
  ['ndjson', ['{"a":1}\n{"a":2}\n'], { events: [[0, 1], [1, 2]], errors: [] }],
  ['ndjson without a final newline', ['{"a":1}\n{"a":2}'], { events: [[0, 1], [1, 2]], errors: [] }],
  ['empty input', [''], { events: [], errors: [] }],
  ['whitespace only', [' \n\t\r\n '], { events: [], errors: [] }],
  ['empty lines and CRLF', ['\r\n{"a":1}\r\n\r\n\r\n{"b":2}\r\n'], { events: [[0, 2], [1, 5]], errors: [] }],
  ['BOM first', [[0xef, 0xbb, 0xbf], '{"a":1}\n{"b":2}\n'], { events: [[0, 1], [1, 2]], errors: [] }],
  ['BOMs between records and after one', ['{"a":1}', [0xef, 0xbb, 0xbf], '\n', [0xef, 0xbb, 0xbf], '{"b":2}\n']],
  ['a cut BOM is junk', [[0xef, 0xbb], '{"a":1}\n{"b":2}\n'], { events: [[0, 2]], errors: [[1, 'malformed']] }],
  ['truncated line', ['{"a":1}\n{"a":\n{"b":2}\n'], { events: [[0, 1], [1, 3]], errors: [[2, 'malformed']] }],
  ['junk after a record', ['{"a":1} x\n{"b":2}\n'], { events: [[0, 2]], errors: [[1, 'malformed']] }],
  ['two records on one NDJSON line', ['{"a":1}{"b":2}\n{"c":3}'], { events: [[0, 2]], errors: [[1, 'malformed']] }],
  ['}{ after the format is NDJSON', ['{"z":0}\n{"a":1}{"b":2}\n{"c":3}']],
  ['escaped quotes and backslashes', ['{"a":"x\\"}"}\n{"b":"\\\\"}\n{"c":"\\\\\\""}\n'], { events: [[0, 1], [1, 2], [2, 3]], errors: [] }],
  ['brackets inside strings', ['{"a":"}{]["}\n{"b":"[[[{"}\n']],
  // A damaged start decides nothing: the input is read as multi-line, and junk runs to the next record line.
  ['junk lines', ['hello\n{"a":1}\n  42\n"str"\n{"b":2}\n'], { events: [[0, 2], [1, 5]], errors: [[1, 'malformed'], [3, 'malformed']] }],
  ['junk lines after NDJSON was decided', ['{"z":0}\nhello\n{"a":1}\n  42\n"str"\n{"b":2}\n'], { events: [[0, 1], [1, 3], [2, 6]], errors: [[2, 'malformed'], [4, 'malformed'], [5, 'malformed']] }],
  ['an array record in NDJSON', ['{"a":1}\n[1,2]\n[{"a":1}]\n'], { events: [[0, 1]], errors: [[2, 'not-object'], [3, 'not-object']] }],
  ['JSON array', ['[{"a":1},{"b":2}]'], { events: [[0, 1], [1, 1]], errors: [] }],
  ['JSON array over lines', ['[\n {"a":1},\n {"b":2}\n]\n'], { events: [[0, 2], [1, 3]], errors: [] }],
  ['JSON array of mixed values', ['[{"a":1}, 2, "x", [1], null, {"b":2}]'], { events: [[0, 1], [1, 1]], errors: [[1, 'not-object'], [1, 'not-object'], [1, 'not-object'], [1, 'not-object']] }],
  ['empty JSON array', ['[]'], { events: [], errors: [] }],
  ['empty elements', ['[,{"a":1},,]'], { events: [[0, 1]], errors: [[1, 'malformed'], [1, 'malformed'], [1, 'malformed']] }],
  ['trailing comma', ['[{"a":1},]'], { events: [[0, 1]], errors: [[1, 'malformed']] }],
  ['junk after the array', ['[{"a":1}] junk\nmore\n\n{"b":2}'], { events: [[0, 1], [1, 4]], errors: [[1, 'malformed'], [2, 'malformed'], [4, 'malformed'], [4, 'malformed']] }],
  ['arrays one after another', ['[{"a":1}]\n[{"b":2},\n{"c":3}]\n'], { events: [[0, 1], [1, 2], [2, 3]], errors: [] }],
  ['a broken element of a pretty array', ['[\n  {\n    "a": "x\n  },\n  {\n    "b": 2\n  }\n]\n'], { events: [[0, 5]], errors: [[2, 'malformed']] }],
  ['a missing comma between pretty elements', ['[\n  {"a": 1}\n  {"b": 2}\n]'], { events: [[0, 2], [1, 3]], errors: [[3, 'malformed']] }],
  ['a broken first record before NDJSON', ['{"a": 1,\n{"b":2}\n{"c":3}\n'], { events: [[0, 2], [1, 3]], errors: [[1, 'malformed']] }],
  ['an unclosed string in the first record before NDJSON', ['{"bad json\n{"b":2}\n'], { events: [[0, 2]], errors: [[1, 'malformed']] }],
  ['junk lines, then pretty records', ['garbage\n  "Level": 4\n    {\n    "x": 1\n    }\n}\n{\n  "b": 2\n}\n'], { events: [[0, 7]], errors: [[1, 'malformed']] }],
  ['a record line inside a valid record cuts it', ['{\n"a":\n{"b":1}}\n{"c":2}\n'], { events: [[0, 3], [1, 4]], errors: [[1, 'malformed'], [3, 'malformed']] }],
  ['unclosed array', ['[{"a":1},\n{"b":2}\n'], { events: [[0, 1], [1, 2]], errors: [[3, 'malformed']] }],
  ['unclosed array after an element', ['[{"a":1},\n{"b":2},\n'], { events: [[0, 1], [1, 2]], errors: [[3, 'malformed']] }],
  ['array element cut off', ['[{"a":1},\n{"b":'], { events: [[0, 1]], errors: [[2, 'malformed'], [2, 'malformed']] }],
  // A container element ends at its balanced close, like a record: what follows is the next element.
  ['two values in one element', ['[{"a":1} {"b":2}, {"c":3}]'], { events: [[0, 1], [1, 1], [2, 1]], errors: [[1, 'malformed']] }],
  ['BOM between elements', ['[{"a":1} ', [0xef, 0xbb, 0xbf], ', {"b":2}]'], { events: [[0, 1], [1, 1]], errors: [] }],
  ['junk between elements', ['[{"a":1}\n, x, {"b":2}]']],
  ['concatenated', ['{\n  "a": 1\n}\n{\n  "b": 2\n}\n'], { events: [[0, 1], [1, 4]], errors: [] }],
  ['concatenated }{', ['{\n"a":1\n}{"b":2}{\n"c":3}'], { events: [[0, 1], [1, 3], [2, 3]], errors: [] }],
  ['concatenated with junk', ['{\n"a":1\n} x {"b":2}\n{"c":3}'], { events: [[0, 1], [1, 4]], errors: [[3, 'malformed']] }],
  ['concatenated malformed record', ['{\n"a":\n}\n{"b":2}'], { events: [[0, 4]], errors: [[1, 'malformed']] }],
  ['deep nesting', [`{"a":${'['.repeat(1000)}${']'.repeat(1000)}}\n{"b":1}`], { events: [[0, 1], [1, 2]], errors: [] }],
  ['invalid UTF-8 inside strings', ['{"a":"', [0xff, 0xfe, 0xc3], '"}\n{"b":"', [0xe2, 0x82], '"}\n'], { events: [[0, 1], [1, 2]], errors: [] }],
  ['invalid UTF-8 outside strings', ['{"a":1,', [0xff], '}\n{"b":2}\n', [0xc3, 0xa9], '\n'], { events: [[0, 2]], errors: [[1, 'malformed'], [3, 'malformed']] }],
  ['control characters in strings', ['{"a":"x\ty"}\n{"b":"\u0001"}\n{"c":"\\t"}\n'], { events: [[0, 3]], errors: [[1, 'malformed'], [2, 'malformed']] }],
  ['newline inside an NDJSON string', ['{"a":1}\n{"a":"x\ny"}\n{"b":1}'], { events: [[0, 1], [1, 4]], errors: [[2, 'malformed'], [3, 'malformed']] }],
  ['truncated at the end', ['{"a":1}\n{"b":'], { events: [[0, 1]], errors: [[2, 'malformed']] }],
  ['truncated string at the end', ['{"a":1}\n{"b":"abc'], { events: [[0, 1]], errors: [[2, 'malformed']] }],
  ['grammar errors', ['{"a":01}\n{"a":tru}\n{"a":1.}\n{"a":-}\n{"a":.5}\n{"a":1e}\n{"a":+1}\n{"a":NaN}\n{"a":1}\n']],
  ['keys and values grammar', ['{a:1}\n{"a" 1}\n{"a":1,}\n{,"a":1}\n{"a":1 "b":2}\n{"a":[1,]}\n{"a":"\\x"}\n{"a":"\\u12"}\n{"a":1}\n']],
  ['stray closers', ['}\n]\n{"a":1}]\n{"b":2}\n']],
  ['first record decides NDJSON, then a multi-line record', ['{"a":1}\n{\n"b":2\n}\n{"c":3}\n']],
  ['first record decides concatenated, then records share lines', ['{\n"a":1}\n{"b":2} {"c":3}\n']],
  ['junk before an array', ['x\n[{"a":1}]']],
  ['a lone [ then junk', ['[\nx\n{"a":1}']],
];

describe('framing: named hostile inputs', () => {
  for (const [name, parts, expected] of CASES) {
    test(name, () => {
      const bytes = bytesOf(parts);
      const got = agree(bytes);
      if (expected) expect({ events: got.events, errors: got.errors }).toEqual(expected);
    });
  }
});

describe('framing: split across chunks at every byte position', () => {
  for (const [name, parts] of CASES) {
    const bytes = bytesOf(parts);
    if (bytes.length > 200) continue;
    test(name, () => {
      const expected = reference(bytes);
      for (let i = 0; i <= bytes.length; i++) {
        expect(scanner(bytes, { splits: [i] }), `split at ${i}`).toEqual(expected);
        expect(reference(bytes, { splits: [i] }), `reference split at ${i}`).toEqual(expected);
      }
    });
  }
});

describe('framing: records larger than the chunk', () => {
  test('long records fed 7 bytes at a time', () => {
    const long = `{"a":"${'x'.repeat(5000)}","b":[${Array.from({ length: 300 }, (_, i) => i).join(',')}]}`;
    const bytes = bytesOf([long, '\n{"a":1}\n', long, '\n']);
    const splits = Array.from({ length: Math.floor(bytes.length / 7) }, (_, i) => (i + 1) * 7);
    const expected = reference(bytes);
    expect(expected.events).toHaveLength(3);
    expect(scanner(bytes, { splits })).toEqual(expected);
    expect(reference(bytes, { splits })).toEqual(expected);
  });
});

describe('framing: the record size limit', () => {
  /** A record of exactly n bytes. */
  const rec = (n: number, key = 'a'): string => `{"${key}":"${'x'.repeat(n - 7 - key.length)}"}`;
  const big = rec(41);
  const limited: [string, string][] = [
    ['NDJSON', `${rec(20)}\n${big}\n{"b":1}\n${big} {"x\n{"b":2}\n`],
    ['first record too large', `${big} x\n{"b":1}\n`],
    ['first record too large over lines', `{"a":\n"${'x'.repeat(40)}"} {"b":1}\n{"b":2}`],
    ['first record too large, nested, over lines', `{"a":[{"b":\n"${'x'.repeat(40)}"}, "]"]}\n{"b":1} {"b":2}\n{"b":3}`],
    ['concatenated', `{\n"a":1}\n{"a":"${'x'.repeat(40)}", "c": "}"}{"b":2}\n{"b":3}`],
    ['array', `[{"a":1}, {"a":"${'x'.repeat(40)}", "c": ["]"]}, {"b":2}, "${'y'.repeat(45)}", 3]`],
    ['exactly the limit', `${rec(40)}\n${rec(41)}\n${rec(40)}`],
    ['too large and truncated', `{"a":1}\n{"a":"${'x'.repeat(50)}`],
  ];
  for (const [name, text] of limited) {
    test(name, () => {
      const bytes = enc.encode(text);
      const expected = agree(bytes, { maxRecordBytes: 40 });
      expect(expected.errors.some(([, kind]) => kind === 'too-large')).toBe(true);
      for (let i = 0; i <= bytes.length; i += 3) {
        expect(scanner(bytes, { maxRecordBytes: 40, splits: [i] }), `split at ${i}`).toEqual(expected);
        expect(reference(bytes, { maxRecordBytes: 40, splits: [i] })).toEqual(expected);
      }
    });
  }
});

describe('framing: stopping and resuming', () => {
  test('a tiny notes buffer and dump buffer give the same result', () => {
    const text = 'x\n{"a":1}\ny\n[1]\n{"b":"' + 'q'.repeat(300) + '"}\n{"a":2}\nz\n';
    const bytes = enc.encode(text);
    const expected = reference(bytes);
    const r = h.scan(bytes, { notesCap: 2, dumpBytes: 400 });
    expect({ events: scannedIndexLines(r), errors: r.errors.map((e) => [e.line, e.kind]), spans: r.errors.map((e) => [e.line, e.endLine]) }).toEqual(expected);
    expect(r.calls).toBeGreaterThan(2);
  });
});

// ---- random inputs ----

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('{"a":1}', '{"b":"x\\"}"}', '{"a":[1,{"b":2}]}', '{}', '{"a":"}{"}', '{"a":"\\\\"}') },
  { weight: 2, arbitrary: fc.constantFrom('{\n"a": 1\n}', '{"a":\n[1,\n2]}', '[{"a":1},\n{"b":2}]', '[1, 2]', '[]', '[') },
  { weight: 3, arbitrary: fc.constantFrom('{"a":', '{"a":1', '"str"', '42', 'x', '}', ']', ',', '{"a":01}', '{"a":"\t"}', '{"a":1}}', '{"a":"\\', '{"a":"') },
  { weight: 4, arbitrary: fc.constantFrom('\n', '\r\n', ' ', '\t', '\uFEFF', '\n\n') },
  { weight: 1, arbitrary: fc.constantFrom('\u00e9', '\u{1F600}', '\u2028') },
);
const invalidByte = fc.constantFrom(0xff, 0xc3, 0xe2, 0xbf, 0xef, 0xbb);

const randomInput = fc
  .array(fc.oneof({ weight: 12, arbitrary: piece.map((s) => enc.encode(s)) }, { weight: 1, arbitrary: invalidByte.map((b) => Uint8Array.of(b)) }), { maxLength: 30 })
  .map((parts) => bytesOf(parts.map((p) => Array.from(p))));

describe('framing: random inputs', () => {
  test('the scanner agrees with the reader', () => {
    fc.assert(
      fc.property(randomInput, (bytes) => {
        agree(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  test('... in random chunks, with a small record limit', () => {
    fc.assert(
      fc.property(randomInput, fc.array(fc.nat(), { maxLength: 5 }), fc.integer({ min: 4, max: 30 }), (bytes, cuts, max) => {
        const splits = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const expected = reference(bytes, { maxRecordBytes: max });
        // Sizes are UTF-8 bytes of the decoded text: they match the scanner's count when the input is valid UTF-8.
        const valid = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        if (new TextEncoder().encode(valid).length !== bytes.length) return;
        expect(scanner(bytes, { splits, maxRecordBytes: max })).toEqual(expected);
        expect(reference(bytes, { splits, maxRecordBytes: max })).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

test('readJsonEvents keeps its API', () => {
  const r = readJsonEvents('{"a":1}\n{"a":\n');
  expect(r.events.map((e) => [e.index, e.line, e.event])).toEqual([[0, 1, { a: 1 }]]);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toMatchObject({ line: 2, kind: 'malformed' });
});
