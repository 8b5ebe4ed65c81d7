/**
 * Matcher.scanEvtx and the streaming evtxScanner: the hits equal the reference evaluator's over the reference
 * decoder's events, whatever the piece sizes, with tiny regions (every stop-and-resume path), for records the VM
 * decodes and records it leaves to the host, with keyword rules, and across files scanned one after another.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/index.js';
import * as F from '../../src/input/evtx/format.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { readEvtxFile } from '../../src/input/evtx/index.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { Matcher, type Hit, type ScanBatch } from '../../src/runtime/matcher.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';
import { eventTemplate, evtxFromRecords, num, raw, str, systemValues, type RecordSpec, type Value } from './writer.js';

const RULES = `
title: Image
id: 00000000-0000-0000-0000-000000000001
logsource: { product: windows }
detection: { sel: { Image|endswith: '\\\\x.exe' }, condition: sel }
---
title: Threat name without spaces
id: 00000000-0000-0000-0000-000000000002
logsource: { product: windows }
detection: { sel: { ThreatName|contains: 'Trojan' }, condition: sel }
---
title: Keyword
id: 00000000-0000-0000-0000-000000000003
logsource: { product: windows }
detection: { keywords: [ 'needle' ], condition: keywords }
---
title: Float (a record the host reads)
id: 00000000-0000-0000-0000-000000000004
logsource: { product: windows }
detection: { sel: { Ratio: '0.5' }, condition: sel }
---
title: EventID and provider
id: 00000000-0000-0000-0000-000000000005
logsource: { product: windows }
detection: { sel: { EventID: 4688, Provider_Name: 'Test-Provider' }, condition: sel }
---
title: Keywords with a backslash, a quote, and a KELVIN SIGN that folds to k
id: 00000000-0000-0000-0000-000000000007
logsource: { product: windows }
detection: { keywords: [ 'evil\\bin', 'say "hi"', 'kelvin' ], condition: keywords }
---
title: Keywords across a newline and a tab (real control characters, not their JSON escapes)
id: 00000000-0000-0000-0000-000000000008
logsource: { product: windows }
detection: { keywords: [ "one\\nline", "two\\tend", "ctl\\u0001x" ], condition: keywords }
---
title: Keywords that are the JSON escapes written out (never in the events)
id: 00000000-0000-0000-0000-000000000009
logsource: { product: windows }
detection: { keywords: [ 'one\\nline', 'two\\tend', 'ctl\\u0001x' ], condition: keywords }
---
title: Null data
id: 00000000-0000-0000-0000-000000000006
logsource: { product: windows }
detection: { sel: { Binary: null }, condition: sel }
`;

const key = (h: Hit): string => `${h.event}:${h.rule}`;

function records(n: number): RecordSpec[] {
  const out: RecordSpec[] = [];
  for (let i = 0; i < n; i++) {
    const data = (name: string, sub: number) => ({ el: 'Data', attrs: [['Name', [{ text: name }]]] as [string, { text: string }[]][], children: [{ sub, optional: true }] });
    out.push({
      template: eventTemplate({ el: 'EventData', children: [data('Image', 5), data('Threat Name', 6), data('Note', 7), data('Ratio', 8), { el: 'Binary', children: [{ sub: 9, optional: true }] }] }),
      values: [
        ...systemValues(i % 3 === 0 ? 4688 : 1, 1000 + i),
        str(i % 4 === 0 ? 'C:\\x.exe' : 'C:\\y.exe'),
        str(i % 5 === 0 ? 'Trojan:Win32/Test' : 'Clean'),
        str(i % 7 === 0 ? 'a needle here' : i % 11 === 0 ? 'c:\\evil\\bin\\x' : i % 13 === 0 ? 'they say "hi"' : i % 17 === 0 ? 'the \u212Aelvin scale' : i % 19 === 0 ? 'line one\nline two\tend ctl\u0001x' : 'hay'),
        i % 6 === 0 ? num(F.TYPE_REAL64, 0.5) : str('n/a'),
        str(''),
      ],
    });
  }
  return out;
}

function merged(batches: ScanBatch[]): ScanBatch {
  return { hits: batches.flatMap((b) => b.hits), notes: batches.flatMap((b) => b.notes), events: batches.reduce((n, b) => n + b.events, 0) };
}

function inPieces(m: Matcher, bytes: Uint8Array, sizes: number[]): ScanBatch {
  const s = m.evtxScanner();
  const out: ScanBatch[] = [];
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const n = sizes[i++ % sizes.length];
    out.push(s.push(bytes.subarray(at, at + n)));
    at += n;
  }
  out.push(s.end());
  return merged(out);
}

describe('Matcher.scanEvtx', () => {
  const set = loadRulesFromText(RULES);
  const file = evtxFromRecords(records(900));
  const reference = readEvtxFile(file);
  const evaluator = new ReferenceEvaluator(set.rules);
  const expected = reference.records.flatMap((r) => evaluator.match(r.event).map((m) => `${r.index}:${m.index}`));
  let matcher: Matcher;

  beforeAll(async () => {
    expect(set.errors).toEqual([]);
    matcher = await Matcher.create(set);
  });

  test('the file spans several chunks and every rule fires', () => {
    expect(reference.notes).toEqual([]);
    expect(file.length).toBeGreaterThan(F.FILE_HEADER_BYTES + 2 * F.CHUNK_BYTES);
    // Every rule but the one of written-out escapes, which must never fire.
    const fired = new Set(expected.map((k) => Number(k.split(':')[1])));
    expect(fired.size).toBe(8);
    expect(fired.has(set.rules.findIndex((r) => r.title.startsWith('Keywords that are the JSON escapes')))).toBe(false);
  });

  test('hits equal the reference evaluator over the reference decoder', () => {
    const r = matcher.scanEvtx(file);
    expect(r.notes).toEqual([]);
    expect(r.events).toBe(reference.records.length);
    expect(r.hits.map(key)).toEqual(expected);
    for (const h of r.hits) {
      const rec = reference.records[h.event];
      expect([h.offset, h.recordId]).toEqual([rec.offset, 1000 + h.event]);
    }
  });

  test.each([[[1]], [[7, 13]], [[4096]], [[65539, 100]], [[1 << 20]]])('pieces of %j bytes give the same', (sizes) => {
    const r = inPieces(matcher, file, sizes);
    expect(r.hits.map(key)).toEqual(expected);
    expect(r.events).toBe(reference.records.length);
  });

  test('tiny regions: every region fills and the scan resumes', async () => {
    const tiny = await Matcher.create(set, { regions: { values: 2, arena: 16, hits: 8, notes: 1, input: 1024 } });
    expect(tiny.scanEvtx(file).hits.map(key)).toEqual(expected);
  });

  test('prefilter off gives the same', async () => {
    const off = await Matcher.create(set, { prefilter: false });
    expect(off.scanEvtx(file).hits.map(key)).toEqual(expected);
  });

  test('hits keep their event as evtx_dump JSON when asked', () => {
    const r = matcher.scanEvtx(file, { events: true });
    for (const h of r.hits) expect(JSON.parse(h.record!)).toEqual(reference.records[h.event].event);
  });

  test('files one after another: each read on its own (no chunk cache carried over)', () => {
    const other = evtxFromRecords(records(3).map((r) => ({ ...r, template: eventTemplate({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Other' }]]], children: [{ sub: 5 }] }] }) })));
    const a = matcher.scanEvtx(file);
    const b = matcher.scanEvtx(other);
    const c = matcher.scanEvtx(file);
    expect(b.hits.map(key)).toEqual(readEvtxFile(other).records.flatMap((r) => evaluator.match(r.event).map((m) => `${r.index}:${m.index}`)));
    expect(c.hits.map(key)).toEqual(a.hits.map(key));
  });
});

// Keyword rules of printable atoms only and no gate make every event ask for the keyword scan: the .evtx fill then
// writes the leaves in passing, unescaped, when the every-event windows hold no `\` or `"` (and the scan reads the
// escaped leaves otherwise). 'needle' is in a Data value no field rule reads; Kelvin's sign folds to k.
// The fill also leaves out, from the leaves written in passing, formatted values (numbers, GUIDs, times, hex) that no
// field reads, unless a window of the scan is made of the bytes such values are made of: `deadbeef` is, and a binary
// value nobody reads as a field holds it.
const withBinary = (specs: RecordSpec[]): RecordSpec[] =>
  specs.map((r, i) => (i % 9 === 0 ? { ...r, values: r.values.map((v, k) => (k === 9 ? raw(F.TYPE_BINARY, [0x01, 0xde, 0xad, 0xbe, 0xef]) : v)) } : r));

describe.each([
  ['unescaped leaves', ['needle', 'kelvin']],
  ['an atom of hex digits, in a binary value', ['deadbeef']],
  ['atoms with a backslash and a quote', ['evil\\bin', 'say "hi"']],
  // Its only window is the escaped atom `l\\b`: the every-event scan must read the escaped leaves.
  ['an atom whose window holds an escape', ['l\\b']],
])('Matcher.scanEvtx, keywords on every event: %s', (_name, keywords) => {
  const rules = `
title: Keywords
id: 00000000-0000-0000-0000-000000000011
logsource: { product: windows }
detection: { keywords: ${JSON.stringify(keywords)}, condition: keywords }
---
title: Image
id: 00000000-0000-0000-0000-000000000012
logsource: { product: windows }
detection: { sel: { Image|endswith: '\\\\x.exe' }, condition: sel }
`;
  const set = loadRulesFromText(rules);
  const file = evtxFromRecords(withBinary(records(400)));
  const reference = readEvtxFile(file);
  const evaluator = new ReferenceEvaluator(set.rules);
  const expected = reference.records.flatMap((r) => evaluator.match(r.event).map((m) => `${r.index}:${m.index}`));

  test('hits equal the reference evaluator, with ample and with tiny regions', async () => {
    expect(set.errors).toEqual([]);
    // Both rules fire, and the keyword rule on more than one kind of record.
    expect(new Set(expected.map((k) => k.split(':')[1])).size).toBe(2);
    expect(expected.filter((k) => k.endsWith(':0')).length).toBeGreaterThan(10);
    const matcher = await Matcher.create(set);
    expect(matcher.scanEvtx(file).hits.map(key)).toEqual(expected);
    const tiny = await Matcher.create(set, { regions: { values: 2, arena: 16, hits: 8, notes: 1, input: 1024 } });
    expect(tiny.scanEvtx(file).hits.map(key)).toEqual(expected);
  });
});

describe.runIf(corpusAvailable())('Matcher.scanEvtx on the regression samples in pieces', () => {
  test('every sample, pushed in odd pieces, gives the events of the whole', async () => {
    const set = loadRulesFromText(RULES);
    const m = await Matcher.create(set);
    for (const t of loadRegressionTests().slice(0, 12)) {
      const bytes = new Uint8Array(readFileSync(t.evtxFiles[0]));
      const whole = m.scanEvtx(bytes);
      const pieces = inPieces(m, bytes, [1000, 3, 70000]);
      expect(pieces.events).toBe(whole.events);
      expect(pieces.hits.map(key)).toEqual(whole.hits.map(key));
      expect(whole.events).toBe(t.events.length);
    }
  });
});

describe.runIf(corpusAvailable())('hits of the regression samples report their record', () => {
  // `not sel` of a value no event has: every record hits.
  const EVERY = `
title: Every record
id: 00000000-0000-0000-0000-000000000021
logsource: { product: windows }
detection: { sel: { Image: 'no such image' }, condition: not sel }
`;
  test("EventRecordID and TimeCreated as the reference reads them, handed over by the VM with the hits", async () => {
    const m = await Matcher.create(loadRulesFromText(EVERY));
    let hits = 0;
    for (const t of loadRegressionTests()) {
      const bytes = new Uint8Array(readFileSync(t.evtxFiles[0]));
      const reference = readEvtxFile(bytes);
      const scanner = m.evtxScanner();
      const r = merged([scanner.push(bytes), scanner.end()]);
      expect(r.hits.map((h) => h.event)).toEqual(reference.records.map((rec) => rec.index));
      for (const h of r.hits) {
        const rec = reference.records[h.event];
        const system = (rec.event.Event as { System: Record<string, unknown> }).System;
        const created = (system.TimeCreated as { '#attributes': { SystemTime: string } })['#attributes'].SystemTime;
        expect([h.offset, h.recordId, h.time]).toEqual([rec.offset, system.EventRecordID, created]);
      }
      // The usual System template: no record was read again for them.
      expect(scanner.hostRecords + scanner.identitiesRead).toBe(0);
      hits += r.hits.length;
    }
    expect(hits).toBe(120);
  });
});

describe('hits report their record, whatever the types of EventRecordID and TimeCreated', () => {
  const EVERY = `
title: Every record
id: 00000000-0000-0000-0000-000000000022
logsource: { product: windows }
detection: { sel: { Image: 'no such image' }, condition: not sel }
`;
  const template = eventTemplate({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Note' }]]], children: [{ sub: 5 }] }] });
  const kinds: [string, Value, Value][] = [
    ['FILETIME and UInt64', num(F.TYPE_FILETIME, 133_000_000_000_000_000n), num(F.TYPE_UINT64, 41)],
    ['a string time (no NUL) and UInt32', str('2024-01-02T03:04:05.000006Z', false), num(F.TYPE_UINT32, 42)],
    ['a SYSTEMTIME and UInt16', raw(F.TYPE_SYSTEMTIME, [0xe8, 0x07, 1, 0, 2, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]), num(F.TYPE_UINT16, 43)],
    // Not handed over: an id of a string (the reference reads the record). Handed over, but not a JSON number: the
    // reference renders the record and the header's id is reported.
    ['a string id', num(F.TYPE_FILETIME, 133_000_000_000_000_000n), str('44')],
    ['a hex id', num(F.TYPE_FILETIME, 133_000_000_000_000_000n), num(F.TYPE_HEX64, 45)],
  ];
  const file = evtxFromRecords(kinds.map(([, time, id]) => ({ template, values: [str('P'), num(F.TYPE_UINT16, 1), time, id, str('C'), str('x')] })));

  test('as the reference reads them; the VM hands over those of fixed-size ids', async () => {
    const m = await Matcher.create(loadRulesFromText(EVERY));
    const scanner = m.evtxScanner();
    const r = merged([scanner.push(file), scanner.end()]);
    // With the events kept, every hit's record is read by the reference.
    const kept = m.scanEvtx(file, { events: true });
    expect(r.hits.length).toBe(kinds.length);
    expect(r.hits.map((h) => [h.recordId, h.time])).toEqual(kept.hits.map((h) => [h.recordId, h.time]));
    expect(r.hits.map((h) => [h.recordId, h.time]).slice(0, 3)).toEqual([
      [41, '2022-06-18T04:26:40.000000Z'],
      [42, '2024-01-02T03:04:05.000006Z'],
      [43, '2024-01-02T03:04:05.006000Z'],
    ]);
    expect(scanner.identitiesRead).toBe(1);
  });
});
