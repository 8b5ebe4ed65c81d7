/**
 * Every value type and the record shapes the regression samples lack, built with the test writer: the reference
 * renders each as evtx_dump does (the expected JSON is written out here, the statement of the rendering), and the
 * VM's flat view equals the reference's on every record (or the record is left to the host, which reads it with the
 * reference).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import * as F from '../../src/input/evtx/format.js';
import { readEvtxJson } from '../../src/input/evtx-json.js';
import { readEvtxFile } from '../../src/input/evtx/index.js';
import { EvtxHarness, expectPassingSkipsMatchReference, expectVmMatchesReference, flatKeys } from './harness.js';
import { eventTemplate, evtxFromRecords, num, raw, str, systemValues, type Elem, type RecordSpec, type Value } from './writer.js';

/** One record whose EventData holds `<Data Name="V">%5</Data>` with the given value. */
function dataRecord(value: Value, optional = true): RecordSpec {
  return {
    template: eventTemplate({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'V' }]]], children: [{ sub: 5, optional }] }] }),
    values: [...systemValues(1, 1), value],
  };
}

function eventData(record: RecordSpec): unknown {
  const file = readEvtxFile(evtxFromRecords([record]));
  expect(file.notes).toEqual([]);
  return (file.records[0].event.Event as { EventData: unknown }).EventData;
}

const guid = [0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9];
const sid = [1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0xe8, 0x03, 0, 0, 0x39, 0x30, 0, 0, 0x10, 0x27, 0, 0, 0xf4, 0x01, 0, 0];
const systemtime = [0xea, 0x07, 4, 0, 1, 0, 20, 0, 10, 0, 5, 0, 9, 0, 0x7b, 0];

/** [name, value, what evtx_dump writes for it] */
const SCALARS: [string, Value, unknown][] = [
  ['string', str('hello'), 'hello'],
  ['string, trailing whitespace trimmed', str('cmd.exe  \t'), 'cmd.exe'],
  ['string, up to its NUL', str('a\u0000b', false), 'a'],
  ['string, lone surrogate', str('x\ud800y'), 'x\ufffdy'],
  // The VM converts eight ASCII units a vector, stopping at a NUL, then trims: each way through that.
  ['string, ASCII vectors up to its NUL', str('abcdefghij\u0000klmnop', false), 'abcdefghij'],
  ['string, a NUL among the first eight units', str('abc\u0000defghijklmn', false), 'abc'],
  ['string, non-ASCII before its NUL', str('caf\u00e91234567\u0000xyz', false), 'caf\u00e91234567'],
  ['string, trailing non-ASCII whitespace trimmed', str('C:\\Windows\\x.exe \u3000\u00a0\u2028'), 'C:\\Windows\\x.exe'],
  ['string, whitespace inside kept', str('a\u3000b\u00a0c   '), 'a\u3000b\u00a0c'],
  ['string, a surrogate pair before trailing whitespace', str('ab\ud83d\ude00  '), 'ab\ud83d\ude00'],
  ['string, a high surrogate before trailing whitespace', str('abcdefgh\ud83d '), 'abcdefgh\ufffd'],
  // ... and its last fewer than eight units as one vector too (from four units on), or one by one.
  ['string, ASCII last units', str('abcdefghijk', false), 'abcdefghijk'],
  ['string, four units', str('abcd', false), 'abcd'],
  ['string, three units and a NUL', str('abc'), 'abc'],
  ['string, three units', str('abc', false), 'abc'],
  ['string, a NUL among the last units', str('abcdefghij\u0000kl', false), 'abcdefghij'],
  ['string, non-ASCII among the last units', str('abcdefghi\u00e9jk'), 'abcdefghi\u00e9jk'],
  ['string, non-ASCII past the NUL among the last units', str('abcdefghij\u0000\u00e9', false), 'abcdefghij'],
  ['string, trailing whitespace among the last units', str('abcdefghij \t'), 'abcdefghij'],
  ['ANSI string (Windows-1252)', raw(F.TYPE_ANSI_STRING, [0x63, 0x61, 0x66, 0xe9, 0x80, 0]), 'café€'],
  ['int8', num(F.TYPE_INT8, -5), -5],
  ['uint8', num(F.TYPE_UINT8, 200), 200],
  ['int16', num(F.TYPE_INT16, -300), -300],
  ['uint16', num(F.TYPE_UINT16, 65535), 65535],
  ['int32', num(F.TYPE_INT32, -2147483648), -2147483648],
  ['uint32', num(F.TYPE_UINT32, 4294967295), 4294967295],
  ['int64', num(F.TYPE_INT64, -(2n ** 53n)), -(2 ** 53)],
  ['uint64', num(F.TYPE_UINT64, 2n ** 60n), 2 ** 60],
  ['uint64 past 2^53 (JSON.parse rounds)', num(F.TYPE_UINT64, 2n ** 64n - 1n), 18446744073709551615],
  ['hex32', num(F.TYPE_HEX32, 0x1f), '0x1f'],
  ['hex64', num(F.TYPE_HEX64, 0x8000000000000000n), '0x8000000000000000'],
  ['bool true', num(F.TYPE_BOOL, 1), true],
  ['bool false', num(F.TYPE_BOOL, 0), false],
  ['bool non-zero', num(F.TYPE_BOOL, 2), true],
  ['real32', num(F.TYPE_REAL32, 1.5), '1.5'],
  ['real32 shortest', num(F.TYPE_REAL32, 0.1), '0.1'],
  ['real64', num(F.TYPE_REAL64, 0.1), '0.1'],
  ['real64 integral', num(F.TYPE_REAL64, 1), '1.0'],
  ['real64 large', num(F.TYPE_REAL64, 1e21), '1e21'],
  ['real64 small', num(F.TYPE_REAL64, 1.5e-7), '1.5e-7'],
  ['binary', raw(F.TYPE_BINARY, [0xde, 0xad, 0x01]), 'DEAD01'],
  ['GUID', raw(F.TYPE_GUID, guid), '5770385F-C22A-43E0-BF4C-06F5698FFBD9'],
  ['size (4 bytes)', raw(F.TYPE_SIZE, [0x10, 0, 0, 0]), '0x10'],
  ['size (8 bytes)', raw(F.TYPE_SIZE, [0, 0, 0, 0, 1, 0, 0, 0]), '0x100000000'],
  ['FILETIME', num(F.TYPE_FILETIME, 134208728736534140n), '2026-04-17T04:14:33.653414Z'],
  ['FILETIME zero', num(F.TYPE_FILETIME, 0), '1601-01-01T00:00:00.000000Z'],
  ['SYSTEMTIME', raw(F.TYPE_SYSTEMTIME, systemtime), '2026-04-20T10:05:09.123000Z'],
  ['SID', raw(F.TYPE_SID, sid), 'S-1-5-21-1000-12345-10000-500'],
  ['SID, too short', raw(F.TYPE_SID, [1, 1, 0]), 'S-?'],
];

describe('value rendering (reference)', () => {
  test.each(SCALARS)('%s', (_name, value, expected) => {
    expect(eventData(dataRecord(value))).toEqual({ V: expected });
  });

  test('FILETIME agrees with Date', () => {
    const ticks = 134208728736534140n;
    const ms = Number((ticks - 116444736000000000n) / 10000n);
    const text = (eventData(dataRecord(num(F.TYPE_FILETIME, ticks))) as { V: string }).V;
    expect(text.slice(0, 23)).toBe(new Date(ms).toISOString().slice(0, 23));
  });

  test('an optional empty value leaves the element empty: "" for Data, null elsewhere', () => {
    expect(eventData(dataRecord(str('')))).toEqual({ V: '' });
    const r: RecordSpec = {
      template: eventTemplate({ el: 'EventData', children: [{ el: 'Binary', children: [{ sub: 5, optional: true }] }] }),
      values: [...systemValues(1, 1), raw(F.TYPE_BINARY, [])],
    };
    expect(eventData(r)).toEqual({ Binary: null });
  });

  test('unknown value types, and values too short for their type, make the record unreadable', () => {
    for (const bad of [raw(0x16, [1]), raw(F.TYPE_UINT32, [1, 2]), raw(F.TYPE_GUID, [1]), raw(F.TYPE_SIZE, [1, 2, 3])]) {
      const file = readEvtxFile(evtxFromRecords([dataRecord(bad)]));
      expect(file.records).toEqual([]);
      expect(file.notes.map((n) => n.code)).toEqual(['record-bad-xml']);
    }
  });

  test('arrays repeat their element, one per item (MS-EVEN6 array types)', () => {
    const strings = raw(F.TYPE_STRING | F.TYPE_ARRAY, [...'a\0\0\0b\0\0\0'].map((c) => c.charCodeAt(0)));
    expect(eventData(dataRecord(strings))).toEqual({ V: 'b' }); // two Data Name="V": JSON.parse keeps the last
    const ints: RecordSpec = {
      template: eventTemplate({ el: 'EventData', children: [{ el: 'Item', children: [{ sub: 5 }] }] }),
      values: [...systemValues(1, 1), raw(F.TYPE_UINT16 | F.TYPE_ARRAY, [1, 0, 2, 0, 3, 0])],
    };
    expect(eventData(ints)).toEqual({ Item: 1, Item_1: 2, Item_2: 3 });
    const one: RecordSpec = { ...ints, values: [...systemValues(1, 1), raw(F.TYPE_UINT16 | F.TYPE_ARRAY, [7, 0])] };
    expect(eventData(one)).toEqual({ Item: '7' });
  });

  test('character and entity references, CDATA and processing instructions', () => {
    const r: RecordSpec = {
      template: eventTemplate({
        el: 'EventData',
        children: [
          { el: 'Data', attrs: [['Name', [{ text: 'A' }]]], children: [{ text: 'x' }, { charref: 38 }, { entref: 'amp' }, { cdata: 'y' }] },
          { el: 'Data', attrs: [['Name', [{ text: 'B' }]]], children: [{ pi: 'target', data: 'd' }, { text: 'z' }] },
        ],
      }),
      values: systemValues(1, 1),
    };
    expect(eventData(r)).toEqual({ A: 'x&#38;&amp;y', B: 'z' });
  });
});

/** Records of many shapes (and every scalar type), for the VM against the reference. */
function shapes(): RecordSpec[] {
  const records: RecordSpec[] = SCALARS.map(([, v]) => dataRecord(v));
  records.push(...SCALARS.map(([, v]) => dataRecord(v, false)));
  const sys = systemValues(4688, 7);
  const add = (data: Elem, values: Value[] = []): void => {
    records.push({ template: eventTemplate(data), values: [...sys, ...values] });
  };
  // Positional Data (no names): "Data": {"#text": [...]}; one Data alone; empty ones are "".
  add({ el: 'EventData', children: [{ el: 'Data', children: [{ sub: 5 }] }, { el: 'Data', children: [{ sub: 6 }] }, { el: 'Data' }] }, [str('one'), num(F.TYPE_UINT32, 2)]);
  add({ el: 'EventData', children: [{ el: 'Data', children: [{ sub: 5 }] }] }, [str('alone')]);
  // Names with spaces are also read without them.
  add({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Threat Name' }]]], children: [{ sub: 5 }] }] }, [str('Trojan:Win32/X')]);
  // Data without a name beside named ones is dropped; other children are members (Binary).
  add({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'N' }]]], children: [{ sub: 5 }] }, { el: 'Data', children: [{ text: 'lost' }] }, { el: 'Binary', children: [{ sub: 6 }] }] }, [str('n'), raw(F.TYPE_BINARY, [1, 2])]);
  // UserData: each element's children are members; their attributes K_Y.
  records.push({
    template: {
      el: 'Event',
      children: [
        { el: 'System', children: [{ el: 'EventID', children: [{ sub: 0 }] }, { el: 'Correlation', attrs: [['ActivityID', [{ sub: 1, optional: true }]]] }] },
        {
          el: 'UserData',
          children: [{ el: 'LogFileCleared', attrs: [['xmlns', [{ text: 'http://x' }]]], children: [{ el: 'SubjectUserName', children: [{ sub: 2 }] }, { el: 'Flags', attrs: [['Kind', [{ text: 'k' }]]], children: [{ sub: 3 }] }] }],
        },
      ],
    },
    values: [num(F.TYPE_UINT16, 1102), raw(F.TYPE_NULL, []), str('admin'), num(F.TYPE_HEX32, 3)],
  });
  // System text, attributes with several values, an element with text and attributes.
  records.push({
    template: {
      el: 'Event',
      children: [
        { el: 'System', children: [{ text: 'sys text' }, { el: 'EventID', attrs: [['Qualifiers', [{ sub: 1 }]]], children: [{ sub: 0 }] }, { el: 'Keywords', children: [{ sub: 2 }, { text: ' and more' }] }] },
        { el: 'EventData', children: [{ text: 'ed text' }, { el: 'Data', attrs: [['Name', [{ text: 'X' }]]], children: [{ sub: 3 }] }] },
      ],
    },
    values: [num(F.TYPE_UINT16, 7036), num(F.TYPE_UINT16, 16384), num(F.TYPE_HEX64, 0x8080000000000000n), num(F.TYPE_BOOL, 1)],
  });
  // Nested binary XML: EventData as a value, as Sysmon writes it.
  records.push({
    template: { el: 'Event', children: [{ el: 'System', children: [{ el: 'EventID', children: [{ sub: 0 }] }] }, { sub: 1 }] },
    values: [num(F.TYPE_UINT16, 1), { type: F.TYPE_BINXML, nested: { template: { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Image' }]]], children: [{ sub: 0 }] }] }, values: [str('C:\\x.exe')] } }],
  });
  // Data names alike at both ends (their fingerprints equal) but distinct: the VM's.
  const named = (name: string, sub: number): Elem => ({ el: 'Data', attrs: [['Name', [{ text: name }]]], children: [{ sub }] });
  add({ el: 'EventData', children: [named('ABxCD', 5), named('AByCD', 6)] }, [str('x'), str('y')]);
  // Shapes the VM leaves to the host: repeated names, names starting with #, Data names from values, not evtx shape.
  add({ el: 'EventData', children: [{ el: 'Item', children: [{ text: 'a' }] }, { el: 'Item', children: [{ text: 'b' }] }] });
  add({ el: 'EventData', children: [{ el: '#text', children: [{ text: 'a' }] }] });
  add({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ sub: 5 }]]], children: [{ text: 'v' }] }] }, [str('FromValue')]);
  records.push({ template: { el: 'NotAnEvent', children: [{ el: 'System', children: [{ text: 'x' }] }] }, values: [] });
  // Repeated Data names (JSON.parse keeps the last).
  add({ el: 'EventData', children: [named('ABxCD', 5), named('Other', 6), named('ABxCD', 7)] }, [str('a'), str('b'), str('c')]);
  // Binary XML in an attribute's value.
  records.push({
    template: { el: 'Event', children: [{ el: 'System', children: [{ el: 'EventID', attrs: [['Qualifiers', [{ sub: 1 }]]], children: [{ sub: 0 }] }] }] },
    values: [num(F.TYPE_UINT16, 1), { type: F.TYPE_BINXML, nested: { template: { el: 'Inner', children: [{ sub: 0 }] }, values: [str('x')] } }],
  });
  // A Data element whose one substitution holds an element (binary XML).
  add({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Nested' }]]], children: [{ sub: 5 }] }] }, [{ type: F.TYPE_BINXML, nested: { template: { el: 'Inner', children: [{ sub: 0 }] }, values: [str('x')] } }]);
  return records;
}

describe('the VM against the reference', () => {
  const file = evtxFromRecords(shapes());
  const reference = readEvtxFile(file);
  let harness: EvtxHarness;

  beforeAll(async () => {
    harness = await EvtxHarness.create([...new Set([...flatKeys(reference), 'SourceName', 'ThreatName', 'Data', '#text', 'NotAnEvent.System'])]);
  });

  test('the reference reads every record', () => {
    expect(reference.notes).toEqual([]);
    expect(reference.records.length).toBe(shapes().length);
    expect(readEvtxJson(reference.records.find((r) => 'UserData' in (r.event.Event as object))!.event)!.event).toMatchObject({ SubjectUserName: 'admin', Flags: '0x3', Flags_Kind: 'k' });
  });

  test('every field of every record, and the keyword leaves', () => {
    const inVm = expectVmMatchesReference(harness, file, reference);
    // The host's: the 6 float values and the 2 integers past 2^53 (each with an optional and a normal substitution),
    // and the 7 shapes listed last. Everything else is the VM's.
    expect(reference.records.length - inVm).toBe(2 * (6 + 2) + 7);
  });

  test('binary XML nested as deep as the reference reads, and one level deeper', () => {
    // Elements the flat view does not read, beside System: only the depth decides.
    const nest = (levels: number): Value => {
      let v: Value = str('deep');
      for (let i = 0; i < levels; i++) v = { type: F.TYPE_BINXML, nested: { template: { el: 'Wrap', children: [{ el: 'In', children: [{ sub: 0 }] }] }, values: [v] } };
      return v;
    };
    // Each level: a root two deeper than the substitution holding it, the next substitution one below the root.
    const deep = evtxFromRecords([21, 22].map((levels) => ({
      template: { el: 'Event', children: [{ el: 'System', children: [{ el: 'EventID', children: [{ sub: 0 }] }] }, { sub: 1 }] },
      values: [num(F.TYPE_UINT16, 1), nest(levels)],
    })));
    expect(expectVmMatchesReference(harness, deep)).toBe(1);
  });

  test('the leaves written in passing leave out formatted values no field reads, and only those', async () => {
    // Two fields: EventID (formatted, read) and V (every scalar's Data, read); the rest is for the leaves alone.
    const few = await EvtxHarness.create(['EventID', 'V']);
    expect(expectPassingSkipsMatchReference(few, file, reference)).toBeGreaterThan(100);
  });
});
