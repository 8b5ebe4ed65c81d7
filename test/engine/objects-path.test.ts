/**
 * The objects path (`Matcher.match`, src/runtime/records.ts + assembly/vm/records.ts) on what only JS objects can
 * hold, or what its record layout makes delicate: values that are not JSON (Date, undefined, BigInt, functions,
 * symbols, Map, boxed strings, NaN, sparse arrays, getters, non-enumerable and inherited properties), cycles,
 * surrogates split across two values, non-ASCII text before the values a rule reads (offsets in UTF-16 units turned
 * into bytes by the VM), BOM-leading strings, very many leaves and long values in tiny regions, and an object
 * changed between two calls. Every answer must be the reference evaluator's; where the event is JSON, also the
 * bytes path's over its JSON.stringify. The random differential tests (test/differential) cover the JSON events.
 */
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { EventTooDeepError } from '../../src/eval/event.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher } from '../../src/runtime/matcher.js';
import { ObjectEventError, RecordWriter } from '../../src/runtime/records.js';

let ruleId = 0;
function rule(detection: string): string {
  ruleId++;
  return `title: R${ruleId}\nid: 00000000-0000-4000-8000-${String(ruleId).padStart(12, '0')}\nlogsource: {product: test}\ndetection:\n${detection}\n`;
}

/** Rules over the fields the events below carry: presence, null, wildcards, equality, keywords (raw-scannable ones
 * and one with a backslash and a quote, which the raw text escapes). */
const RULES = [
  rule(`  s:\n    A|exists: true\n  condition: s`),
  rule(`  s:\n    A: null\n  condition: s`),
  rule(`  s:\n    A: '*'\n  condition: s`),
  rule(`  s:\n    A|contains: 'cmd'\n  condition: s`),
  rule(`  s:\n    B|endswith: '\\\\cmd.exe'\n  condition: s`),
  rule(`  s:\n    B: 'C:\\\\Windows\\\\cmd.exe'\n  condition: s`),
  rule(`  s:\n    C|startswith: 'ωmega'\n  condition: s`),
  rule(`  s:\n    N: 42\n  condition: s`),
  rule(`  s:\n    N|gt: 41\n  condition: s`),
  rule(`  s:\n    T: 'true'\n  condition: s`),
  rule(`  s:\n    a.b: 'deep'\n  condition: s`),
  rule(`  keywords:\n    - 'mimikatz'\n  condition: keywords`),
  rule(`  keywords:\n    - 'evil\\\\"quote'\n  condition: keywords`),
  rule(`  keywords:\n    - '42'\n  condition: keywords`),
  rule(`  keywords:\n    - "\\uFEFFbom"\n  condition: keywords`),
  rule(`  s:\n    A: "\\uFEFFbom"\n  condition: s`),
  rule(`  s:\n    A|endswith: "\\uFFFD"\n  condition: s`),
  rule(`  s:\n    B|startswith: "\\uFFFD"\n  condition: s`),
  rule(`  s:\n    X: "\\U0001F600"\n  condition: s`),
].join('---\n');

const set = loadRulesFromText(RULES);
const reference = new ReferenceEvaluator(set.rules);
const referenceHits = (events: readonly unknown[]): string[] => events.flatMap((e, i) => reference.match(e).map((m) => `${i}:${m.index}`));
const hitKeys = (hits: readonly { event: number; rule: number }[]): string[] => hits.map((h) => `${h.event}:${h.rule}`);

/** Small regions, so input, value table and arena growth all run. */
const TINY = { input: 64, values: 4, arena: 64, hits: 2, notes: 1 };

async function matchers(): Promise<Matcher[]> {
  return [await Matcher.create(set), await Matcher.create(set, { regions: TINY }), await Matcher.create(set, { prefilter: false, regions: TINY })];
}

/** The objects path on every matcher equals the reference; JSON events also equal the bytes path. */
async function expectAgreement(events: readonly unknown[], json = true): Promise<string[]> {
  expect(set.errors).toEqual([]);
  const expected = referenceHits(events);
  for (const m of await matchers()) {
    expect(hitKeys(m.match(events)), 'objects path').toEqual(expected);
    if (json) {
      const batch = m.scanBytes(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      expect(hitKeys(batch.hits), 'bytes path').toEqual(expected);
    }
  }
  return expected;
}

describe('objects path: every answer is the reference evaluator\'s', () => {
  test('JSON events: non-ASCII text before the values rules read, surrogates split across two values, BOMs', async () => {
    const events = [
      { Z: 'Äpfel 😀 ω', A: 'xcmdx', B: 'C:\\Windows\\cmd.exe', C: 'ωmega', N: 42, T: true },
      // A ends in a high surrogate and B starts with a low one: joined they would be one code point; apart, two U+FFFD.
      { A: 'x\ud83d', B: '\ude00y', X: '\ud83d\ude00' },
      { A: '\ufeffbom', W: ['\ufeffbom'], Y: 'a😀b\ud800', N: 41.5, C: 'ωmegaΣ' },
      { Q: 'mimikatz', A: ['cmd', null, ['ccmd']], a: { b: 'deep' }, M: 'evil\\"quote' },
      { 'a.b': 'deep', a: { b: 'not this' }, N: '42', K: '\u212a' },
      { A: [], B: {}, C: null, N: [41, 43], T: 'true' },
      { A: null },
      {},
    ];
    const expected = await expectAgreement(events);
    expect(expected.length, 'the events hit rules').toBeGreaterThan(15);
    // The split surrogates: A ends in U+FFFD, B starts with it, and X (a real pair) is U+1F600.
    const ends = set.rules.findIndex((r) => r.title === 'R17');
    expect(expected).toContain(`1:${ends}`);
  });

  test('a record decoded twice (its event retried when the hit region fills) has its offsets converted once', async () => {
    // Three rules, so the hit region holds 4: the second event's record is decoded, the region is found full, the
    // hits are drained and the record decoded again. Its text is not ASCII (the differential test's counterexample).
    const texts = ['0', "''"].map((k) => rule(`  keywords:\n    - ${k}\n  condition: keywords`));
    texts.push(rule(`  s:\n    Data|endswith: 'Ä0'\n  condition: s`));
    const small = loadRulesFromText(texts.join('---\n'));
    const ref = new ReferenceEvaluator(small.rules);
    const events = [{ Data: 'x0', Z: '' }, { Z: 'ÄÄ', Data: 'Ä0' }, { Data: 'ÄÄÄ0' }];
    const expected = events.flatMap((e, i) => ref.match(e).map((m) => `${i}:${m.index}`));
    expect(expected.length, 'more hits than the hit region holds').toBeGreaterThan(6);
    for (const m of [await Matcher.create(small, { regions: TINY }), await Matcher.create(small, { regions: TINY, prefilter: false })]) {
      expect(hitKeys(m.match(events))).toEqual(expected);
    }
  });

  test('values that are not JSON are read as the reference reads them', async () => {
    class Custom {
      A = 'cmd';
    }
    const hidden = { B: 'C:\\Windows\\cmd.exe' };
    Object.defineProperty(hidden, 'A', { value: 'cmd', enumerable: false });
    const inherited = Object.create({ A: 'cmd' }) as Record<string, unknown>;
    inherited.B = 'x';
    const events: unknown[] = [
      { A: new Date(0), B: 'C:\\Windows\\cmd.exe' }, // an object: present, not null, no text
      { A: undefined, N: 42n }, // no string form: present, not null
      { A: () => 'cmd', Q: Symbol('mimikatz') },
      { A: new Map([['x', 'mimikatz']]), B: new String('C:\\Windows\\cmd.exe') }, // a boxed string is an object
      { A: NaN, N: Infinity },
      { A: [, 'cmd'], N: [42, undefined] }, // eslint-disable-line no-sparse-arrays
      { get A() { return 'xcmd'; }, B: 'C:\\Windows\\cmd.exe' },
      new Custom(),
      hidden, // a non-enumerable A is not a field (Object.keys and JSON.stringify do not see it)
      inherited, // neither is an inherited one
      { a: { b: new Date(0) }, T: new Boolean(true) },
      'mimikatz', // not an object: no fields, but keyword search sees the string itself
      42,
      null,
      ['mimikatz'],
    ];
    const expected = await expectAgreement(events, false);
    const title = (e: string): string => set.rules[Number(e.split(':')[1])].title;
    // Spot checks of the documented semantics (README "Objects"): present-not-null, no text.
    expect(expected.filter((e) => e.startsWith('0:')).map(title)).toEqual(['R1', 'R5', 'R6']);
    expect(expected.filter((e) => e.startsWith('1:')).map(title)).toEqual(['R1']);
    // Not fields: A is absent (and `A: null` matches an absent A).
    expect(expected.filter((e) => e.startsWith('8:')).map(title)).toEqual(['R2', 'R5', 'R6']);
    expect(expected.filter((e) => e.startsWith('9:')).map(title)).toEqual(['R2']);
    expect(expected.filter((e) => e.startsWith('11:')).map(title)).toEqual(['R2', 'R12']);
  });

  test('a cycle is refused with EVENT_TOO_DEEP naming the event; the matcher goes on working', async () => {
    const loop: Record<string, unknown> = { A: 'cmd' };
    loop.self = loop;
    const list: unknown[] = ['mimikatz'];
    list.push(list);
    const m = await Matcher.create(set);
    for (const [event, inField] of [[loop, false], [list, false], [{ A: list }, true]] as const) {
      const events = [{ A: 'cmd' }, event];
      let error: unknown = null;
      try {
        m.match(events);
      } catch (e) {
        error = e;
      }
      expect(error, inField ? 'a cycle under a field' : 'a cycle under the leaves').toBeInstanceOf(ObjectEventError);
      expect((error as ObjectEventError).code).toBe('EVENT_TOO_DEEP');
      expect((error as ObjectEventError).event).toBe(1);
      expect(() => reference.match(event)).toThrow(EventTooDeepError);
      expect(hitKeys(m.match([{ A: 'xcmd' }]))).toEqual(referenceHits([{ A: 'xcmd' }]));
    }
  });

  test('deep nesting (100,000 levels), many leaves and long values, in tiny regions', async () => {
    const nest = (levels: number, leaf: unknown): unknown => {
      let v = leaf;
      for (let i = 0; i < levels; i++) v = i % 2 === 0 ? [v] : { k: v };
      return v;
    };
    const many = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? i : `v${i}Ä`));
    const long = 'ω'.repeat(300_000) + 'cmd';
    // JSON.stringify recurses: the bytes path gets the shallower events only.
    await expectAgreement([{ D: nest(2_000, 'mimikatz') }, { A: long, L: many, B: '\\cmd.exe' }, { L: many, Q: 'x mimikatz' }]);
    let arrays: unknown = 'xcmd';
    for (let i = 0; i < 100_000; i++) arrays = [arrays];
    const deep = await expectAgreement([{ D: nest(100_000, 'mimikatz'), A: arrays }], false);
    // The keyword leaf at the bottom of D; A's value through 100,000 arrays (exists, wildcard, contains).
    expect(deep.map((e) => set.rules[Number(e.split(':')[1])].title)).toEqual(['R1', 'R3', 'R4', 'R12']);
  });

  test('keyword atoms with a backslash or a quote: the raw scans read the leaves JSON-escaped, as in the bytes', async () => {
    // No number-like keyword here: the program keeps its raw keyword filter (and the every-event Teddy filter).
    const raw = loadRulesFromText([
      // Every 4-byte window of these atoms, escaped, holds a `\\` or a `\"`: a raw text left unescaped misses them.
      rule(`  keywords:\n    - 'a\\b\\c'\n  condition: keywords`),
      rule(`  keywords:\n    - 'q"q"q'\n  condition: keywords`),
      rule(`  keywords:\n    - 'mimikatz'\n  condition: keywords`),
    ].join('---\n'));
    expect(raw.errors).toEqual([]);
    const ref = new ReferenceEvaluator(raw.rules);
    const events = [
      { A: 'C:\\A\\B\\C\\evil.exe' },
      { L: ['x', { m: 'they say Q"Q"Q twice' }], Z: 'Ä' },
      { A: 'a\\b', B: 'c', C: 'q"q', D: '"q' },
      { A: 'mimi', B: 'katz' },
      { N: [1, 2, 'MIMIKATZ'] },
    ];
    const expected = events.flatMap((e, i) => ref.match(e).map((m) => `${i}:${m.index}`));
    expect(expected).toEqual(['0:0', '1:1', '4:2']);
    for (const m of [await Matcher.create(raw), await Matcher.create(raw, { regions: TINY })]) {
      expect(hitKeys(m.match(events)), 'objects path').toEqual(expected);
      expect(hitKeys(m.scanBytes(events.map((e) => JSON.stringify(e)).join('\n')).hits), 'bytes path').toEqual(expected);
    }
  });

  test('an object changed between two calls is read again; the same object twice in one call is matched twice', async () => {
    const m = await Matcher.create(set);
    const event: Record<string, unknown> = { A: 'nothing' };
    expect(hitKeys(m.match([event]))).toEqual(referenceHits([event]));
    event.A = 'xcmd';
    expect(hitKeys(m.match([event]))).toEqual(referenceHits([event]));
    expect(hitKeys(m.match([event, event]))).toEqual(referenceHits([event, event]));
  });

  test('an event whose record passes the size limit is refused with EVENT_TOO_LARGE, never cut', () => {
    const writer = new RecordWriter(['A'], null, false, 4096);
    writer.reset(new Uint8Array(1 << 16));
    expect(writer.encode({ A: 'x'.repeat(1000) }, 0)).toBe(true);
    expect(() => writer.encode({ A: 'x'.repeat(5000) }, 7)).toThrow(/event 7: EVENT_TOO_LARGE/);
    // Non-ASCII counts by its UTF-8 bytes: 1,500 units of 3 bytes pass it, of 2 bytes do not.
    expect(() => writer.encode({ A: '€'.repeat(1500) }, 8)).toThrow(ObjectEventError);
    expect(writer.encode({ A: 'ω'.repeat(1500) }, 9), '3,000 bytes: under the limit').toBe(true);
  });
});
