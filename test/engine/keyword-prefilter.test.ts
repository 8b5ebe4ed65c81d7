/**
 * Keyword predicates are filtered by looking for their literals in the event's raw JSON text. These cases are the
 * ways a leaf's text can differ from its raw bytes (escapes, case folding that changes bytes): the filter must
 * never drop a match the reference evaluator makes.
 */
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';

const RULE = `title: Keyword Filter
logsource: {product: test}
detection:
  keywords:
    - 'mimikatz'
    - 'lsadump::sam'
    - '\\\\mimilib.dll'
    - 'C:/Temp/evil'
    - 'kelvin temp'
  condition: keywords
`;

// Raw NDJSON lines, written by hand: what JSON.parse reads from them is what the reference sees.
const LINES = [
  '{"message":"run mimikatz now"}',
  '{"message":"run mimi\\u006batz now"}',
  '{"message":"run \\u004dIMIKATZ now"}',
  '{"message":"LSADUMP::SAM"}',
  '{"message":"load C:\\\\Windows\\\\MIMILIB.DLL"}',
  '{"message":"load C:\\\\Windows\\\\mimilib\\u002edll"}',
  '{"message":"C:\\/Temp\\/evil.exe"}',
  '{"message":"C:/Temp/evil.exe"}',
  '{"message":"\u212aelvin temp"}',
  '{"message":"nothing to see", "n": 42}',
  '{"nested":{"deep":["x","LsaDump::Sam"]}}',
  '{"Event":{"System":{"EventID":1},"EventData":{"CommandLine":"MiMiKaTz.exe"}}}',
];

describe('keyword prefilter over raw text', () => {
  test('every escape and folding variant matches exactly as the reference', async () => {
    const set = loadRulesFromText(RULE);
    expect(set.errors).toEqual([]);
    const reference = new ReferenceEvaluator(set.rules);
    const expected = LINES.flatMap((l, i) => (reference.matches(0, JSON.parse(l)) ? [i] : []));
    expect(expected).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11]);
    for (const prefilter of [true, false]) {
      const matcher = await Matcher.create(set.rules, { prefilter });
      const bytes = matcher.scanBytes(LINES.join('\n') + '\n');
      expect(bytes.notes).toEqual([]);
      expect(bytes.hits.map((h) => h.event)).toEqual(expected);
      expect(matcher.match(LINES.map((l) => JSON.parse(l))).map((h) => h.event)).toEqual(expected);
    }
  });
});

describe('lines of array elements when keyword leaves are collected', () => {
  test('an element after a newline reports its own line (collecting leaves re-runs the lexer)', async () => {
    const set = loadRulesFromText(`title: Keyword
logsource: {product: test}
detection:
  keywords:
    - 'needle'
  condition: keywords
`);
    const matcher = await Matcher.create(set.rules);
    const result = matcher.scanBytes('[{"a":"needle"}\n,{"a":"needle"}\n,\n{"a":"needle"}]');
    expect(result.hits.map((h) => [h.event, h.line])).toEqual([[0, 1], [1, 2], [2, 4]]);
  });
});
