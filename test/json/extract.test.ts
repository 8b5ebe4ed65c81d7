/**
 * Extraction: for random events, every slot the scanner fills equals what `lookupField` gives on the JSON.parse'd
 * event (read through `readEvtxJson` in evtx shape), and the keyword leaves equal `keywordLeaves`; or the event is a
 * fallback for a reason the spec names (tests/json/reasons.ts states them independently).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { isEvtxJsonShape } from '../../src/input/evtx-json.js';
import { evtxEvent, jsonObject, ndjson } from './generators.js';
import {
  BANK_EVTX_JSON, BANK_FLAT, KIND_NUMBER, KIND_STRING, STATUS_EVENT_FALLBACK, ScannerHarness, decodeText, expectedLeaves, expectedSlot,
  referenceRead, type ScanResult,
} from './harness.js';
import { anyReason, evtxAliasReason, evtxNestedReason, fallbackReasons } from './reasons.js';

const FIELDS = [
  'a', 'b', 'c', 'a.b', 'b.c', 'a.b.c', 'x_y', 'x', 'K', 'K_Y', 'K_Name', 'Provider_Name', 'EventID', 'Name', 'Data', 'Provider',
  'Event.System.EventID', 'é', '', 'a.', 'System', 'TimeCreated_SystemTime', 'Data_Name', '#text', 'qa', 'x.y', '\ufffd',
  'Event', 'z.a', 'a_b', 'x_Y', 'EventID_Guid', 'ThreatName', 'ThreatName_Y', 'Source Name',
];

let h: ScannerHarness;
beforeAll(async () => {
  h = await ScannerHarness.create(FIELDS);
});

interface Stats {
  duplicate: number;
  number: number;
  nested: number;
  events: number;
  fallbacks: number;
  evtx: number;
  leafFallbacks: number;
}

function check(bytes: Uint8Array, evtx: boolean, stats?: Stats, options: { splits?: number[] } = {}): ScanResult {
  const ref = referenceRead(bytes);
  const r = h.scan(bytes, { evtx, keywords: true, splits: options.splits, arenaBytes: 256, valueCap: 8 });
  expect(r.errors).toEqual(ref.errors.map((e) => ({ line: e.line, kind: e.kind, detail: expect.any(Number) })));
  const byIndex = new Map(r.events.map((e) => [e.index, e]));
  const fallbackByIndex = new Map(r.fallbacks.map((f) => [f.index, f]));
  expect(r.events.length + r.fallbacks.length).toBe(ref.events.length);
  for (const expected of ref.events) {
    const fb = fallbackByIndex.get(expected.index);
    if (fb) {
      expect(fb.line).toBe(expected.line);
      const text = decodeText(fb.bytes);
      const reasons = fallbackReasons(text);
      const nested = evtx && (evtxNestedReason(expected.event, FIELDS) || evtxAliasReason(expected.event, FIELDS));
      const ok = anyReason(reasons) || nested;
      if (stats) {
        if (reasons.duplicateKey) stats.duplicate++;
        if (reasons.nonCanonicalNumber) stats.number++;
        if (nested) stats.nested++;
      }
      if (!ok) expect.fail(`fallback without a reason: ${text}`);
      if (stats) stats.fallbacks++;
      continue;
    }
    const got = byIndex.get(expected.index);
    expect(got, `event ${expected.index}`).toBeDefined();
    expect(got!.line).toBe(expected.line);
    const shape = evtx && isEvtxJsonShape(expected.event);
    expect(got!.bank).toBe(shape ? BANK_EVTX_JSON : BANK_FLAT);
    const text = decodeText(got!.bytes);
    FIELDS.forEach((field, slot) => {
      const want = expectedSlot(expected.event, field, evtx);
      const have = got!.slots[slot];
      if (JSON.stringify(have) !== JSON.stringify(want)) {
        expect({ field, record: text, ...have }).toEqual({ field, record: text, ...want });
      }
    });
    if (got!.leavesStatus === STATUS_EVENT_FALLBACK) {
      if (!anyReason(fallbackReasons(text))) expect.fail(`leaves fall back without a reason: ${text}`);
      if (stats) stats.leafFallbacks++;
    } else {
      expect(got!.leavesStatus).toBe(0);
      for (const leaf of got!.leaves!) expect([KIND_STRING, KIND_NUMBER]).toContain(leaf.kind);
      const leaves = got!.leaves!.map((l) => l.text).sort();
      const want = expectedLeaves(expected.event, shape);
      if (JSON.stringify(leaves) !== JSON.stringify(want)) expect({ record: text, leaves }).toEqual({ record: text, leaves: want });
    }
    if (stats) {
      stats.events++;
      if (shape) stats.evtx++;
    }
  }
  return r;
}

const enc = new TextEncoder();

describe('extraction: named events', () => {
  const cases: [string, string][] = [
    ['literal and nested', '{"a.b": 1, "a": {"b": 2, "c": 3}}'],
    ['nested only', '{"a": {"b": [1, {"c": "deep"}], "x": null}}'],
    ['nested through arrays', '{"a": [{"b": 1}, {"b": [2, [3, {"c": 4}]]}, 5, {"c": 6}]}'],
    ['arrays are transparent', '{"a": [[1, [2]], [], "x", null, true, {"y": 1}]}'],
    ['an empty array is present', '{"a": [], "b": [[]], "a.b": []}'],
    ['objects have no string form', '{"a": {}, "b": {"c": 1}}'],
    ['literal wins over nested, in any order', '{"a": {"b": "nested"}, "a.b": "literal"}'],
    ['escaped keys', '{"\\u0061": 1, "q\\u0061": "qa", "b\\u002ec": 2}'],
    ['a lone surrogate key matches nothing', '{"a\\ud800": 1, "\\ufffd": 2}'],
    ['an ill-formed key is U+FFFD', '{"\xff": 1}'],
    ['strings', '{"a": "C:\\\\Windows\\\\System32\\\\cmd.exe", "b": "\\ud83d\\ude00 \\ud83d \\u00e9", "c": "plain"}'],
    ['numbers', '{"a": 1.50, "b": -0, "c": 1e21, "x": 0.0000001, "y": 123456789012345678}'],
    ['the empty key and a trailing dot', '{"": "empty", "a": {"": "dot"}}'],
    ['booleans and null', '{"a": true, "b": false, "c": null}'],
    ['a duplicate referenced key falls back', '{"a": 1, "a": 2}'],
    ['a duplicate intermediate key falls back', '{"a": {"b": 1}, "a": {"c": 2}}'],
    ['a duplicate unreferenced key does not', '{"zz": 1, "zz": 2, "a": 3}'],
    ['evtx', '{"Event": {"System": {"EventID": 4688, "Provider": {"#attributes": {"Name": "Microsoft-Windows-Security-Auditing", "Guid": "{54849625}"}}, "TimeCreated": {"#attributes": {"SystemTime": "2024-01-01T00:00:00Z"}}}, "EventData": {"Data": [{"#text": "x", "#attributes": {"Name": "n"}}, "y", {"other": 1}], "K": {"#text": "k", "#attributes": {"Y": "ky"}}, "#attributes": {"Name": "skipped"}}}}'],
    ['evtx tiers', '{"Event": {"EventData": {"EventID": 2, "K": "data"}, "System": {"EventID": 1, "K": {"#text": null}}, "UserData": {"E": {"K": "user", "Name": [1, 2]}, "F": {"Name": []}}}}'],
    ['evtx with an extra top-level key is flat', '{"Event": {"System": {"EventID": 1}}, "EventID": 2}'],
    ['evtx without a System object is flat', '{"Event": {"System": 1, "EventData": {"EventID": 2}}}'],
    ['evtx System #attributes is a member', '{"Event": {"System": {"#attributes": {"#text": "t", "#attributes": {"Y": 1}}}}}'],
    ['evtx arrays of arrays keep objects', '{"Event": {"System": {"Data": [[{"#text": "inner"}], {"#text": ["t1", {"o": 1}]}]}}}'],
  ];
  for (const [name, record] of cases) {
    test(name, () => {
      // Characters U+0080-U+00FF in these records stand for raw (ill-formed) bytes.
      const bytes = Uint8Array.from([...Array.from(record).flatMap((c) => (c.charCodeAt(0) <= 0xff ? [c.charCodeAt(0)] : Array.from(enc.encode(c)))), 0x0a]);
      check(bytes, true);
      check(bytes, false);
    });
  }

  test('named events split at every byte', () => {
    const bytes = enc.encode(cases.map(([, r]) => r).filter((r) => !/[\x80-\xff]/.test(r)).join('\n') + '\n');
    for (let i = 0; i < bytes.length; i += 5) check(bytes, true, undefined, { splits: [i] });
  });
});

describe('extraction: U+FEFF inside values', () => {
  // Found by the random events below (seed 1866688027): a value that is only U+FEFF is a one-character string, not
  // a byte order mark (TextDecoder drops a leading one unless told not to).
  test.each([['only'], ['first'], ['middle'], ['last']])('%s', (where) => {
    const value = { only: '\uFEFF', first: '\uFEFFx', middle: 'x\uFEFFy', last: 'x\uFEFF' }[where]!;
    check(enc.encode(`{"a":"${value}","b":["${value}"]}\n`), true);
  });
});

describe('extraction: random events', () => {
  test('flat events', () => {
    const stats: Stats = { events: 0, fallbacks: 0, evtx: 0, leafFallbacks: 0, duplicate: 0, number: 0, nested: 0 };
    fc.assert(
      fc.property(ndjson(jsonObject), (bytes) => {
        check(bytes, true, stats);
      }),
      { numRuns: 4000 },
    );
    expect(stats.events).toBeGreaterThan(stats.fallbacks);
  });

  test('flat events without evtx', () => {
    fc.assert(
      fc.property(ndjson(jsonObject), (bytes) => {
        check(bytes, false);
      }),
      { numRuns: 1500 },
    );
  });

  test('evtx-shaped events', () => {
    const stats: Stats = { events: 0, fallbacks: 0, evtx: 0, leafFallbacks: 0, duplicate: 0, number: 0, nested: 0 };
    fc.assert(
      fc.property(ndjson(evtxEvent), (bytes) => {
        check(bytes, true, stats);
      }),
      { numRuns: 4000 },
    );
    console.log('evtx-shaped events', stats);
    expect(stats.evtx).toBeGreaterThan(stats.events / 3);
    expect(stats.events).toBeGreaterThan(stats.fallbacks);
  });

  test('random chunking', () => {
    fc.assert(
      fc.property(ndjson(fc.oneof(jsonObject, evtxEvent), 3), fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        const splits = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        check(bytes, true, undefined, { splits });
      }),
      { numRuns: 800 },
    );
  });
});
