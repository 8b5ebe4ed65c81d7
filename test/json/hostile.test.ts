/**
 * Hostile inputs: huge strings, extreme nesting, long runs of openers. The scanner must give the same answer as
 * the reference (or fall back where the spec says), without crashing and without running away in time or memory.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { BANK_FLAT, KIND_STRING, STATUS_EVENT_FALLBACK, ScannerHarness, expectedSlot, referenceRead, scannedIndexLines } from './harness.js';

let h: ScannerHarness;
beforeAll(async () => {
  h = await ScannerHarness.create(['a', 'b', 'a.b', 'deep']);
});

const enc = new TextEncoder();

describe('hostile inputs', () => {
  test('10 MB string values, plain and escaped', () => {
    const plain = 'x'.repeat(10 << 20);
    const escaped = 'C:\\\\dir\\"q\\u00e9'.repeat((10 << 20) / 16);
    const text = `{"a":"${plain}","b":"${escaped}"}\n{"a":"small"}\n`;
    const bytes = enc.encode(text);
    const r = h.scan(bytes, { splits: [1 << 20, 5 << 20], keywords: true, arenaBytes: 1 << 10 });
    expect(r.errors).toEqual([]);
    expect(r.events.map((e) => [e.index, e.line])).toEqual([[0, 1], [1, 2]]);
    const first = r.events[0];
    const event = JSON.parse(text.split('\n')[0]);
    // (Compared as booleans: a failing toEqual on 10 MB strings would spend minutes diffing them.)
    const slotA = expectedSlot(event, 'a', true);
    expect(first.slots[0].values.length).toBe(1);
    expect(first.slots[0].values[0].text === slotA.values[0].text).toBe(true);
    expect(first.slots[1].values[0].kind).toBe(KIND_STRING);
    expect(first.slots[1].values[0].text.length).toBe(event.b.length);
    expect(first.slots[1].values[0].text === event.b).toBe(true);
    const leaves = first.leaves!.map((l) => l.text).sort();
    expect(leaves.length).toBe(2);
    expect(leaves[0] === [event.a, event.b].sort()[0] && leaves[1] === [event.a, event.b].sort()[1]).toBe(true);
  });

  test('100k-deep nesting under a referenced key falls back; unreferenced, it is an event', () => {
    const depth = 100_000;
    const nest = '['.repeat(depth) + '1' + ']'.repeat(depth);
    const text = `{"a":${nest}}\n{"zz":${nest},"b":1}\n{"deep":${'{"deep":'.repeat(depth)}1${'}'.repeat(depth)}}\n`;
    const bytes = enc.encode(text);
    const ref = referenceRead(bytes);
    expect(ref.events).toHaveLength(3);
    const r = h.scan(bytes, { keywords: true });
    expect(r.errors).toEqual([]);
    expect(scannedIndexLines(r)).toEqual([[0, 1], [1, 2], [2, 3]]);
    // Only the nesting the trie reads into needs frames: `a` (arrays are transparent) does, `zz` and `deep`
    // (a field without nested paths: its object is skipped) do not.
    expect(r.fallbacks.map((f) => f.index)).toEqual([0]);
    const [second, third] = r.events;
    expect(second.index).toBe(1);
    expect(second.bank).toBe(BANK_FLAT);
    expect(second.slots[1]).toEqual({ present: true, values: [{ kind: 2, text: '1' }] });
    expect(third.slots[3]).toEqual({ present: true, values: [{ kind: 6, text: '' }] });
    // Keyword search reads every leaf: too deep for the leaf walk, so those events fall back there.
    expect(second.leavesStatus).toBe(STATUS_EVENT_FALLBACK);
    expect(third.leavesStatus).toBe(STATUS_EVENT_FALLBACK);
  });

  test('100k-deep invalid nesting is malformed, not a fallback', () => {
    const depth = 100_000;
    const text = `{"a":${'['.repeat(depth)}1${']'.repeat(depth - 1)}}}\n{"b":2}\n`;
    const r = h.scan(enc.encode(text));
    expect(r.errors.map((e) => [e.line, e.kind])).toEqual([[1, 'malformed']]);
    expect(scannedIndexLines(r)).toEqual([[0, 2]]);
  });

  test('a 1 MB line of [[[[ then more lines', () => {
    const text = `{"a":1}\n${'['.repeat(1 << 20)}\n{"b":2}\n`;
    const bytes = enc.encode(text);
    const expected = referenceRead(bytes);
    for (const splits of [[], [100, 500_000, 1 << 20]]) {
      const r = h.scan(bytes, { splits });
      expect(scannedIndexLines(r)).toEqual(expected.events.map((e) => [e.index, e.line]));
      expect(r.errors.map((e) => [e.line, e.kind])).toEqual(expected.errors.map((e) => [e.line, e.kind]));
    }
  });

  test('a 1 MB [[[[ as the whole input, and as a too-large concatenated record', () => {
    const bytes = enc.encode('['.repeat(1 << 20));
    const expected = referenceRead(bytes);
    const r = h.scan(bytes, { splits: [1000, 300_000] });
    expect(r.errors.map((e) => [e.line, e.kind])).toEqual(expected.errors.map((e) => [e.line, e.kind]));
    const concat = enc.encode(`{\n"a":1}\n{"a":${'['.repeat(1 << 20)}}\n{"b":2}`);
    const expectedConcat = referenceRead(concat, { maxRecordBytes: 1000 });
    const rc = h.scan(concat, { maxRecordBytes: 1000, splits: [5000, 600_000] });
    expect(scannedIndexLines(rc)).toEqual(expectedConcat.events.map((e) => [e.index, e.line]));
    expect(rc.errors.map((e) => [e.line, e.kind])).toEqual(expectedConcat.errors.map((e) => [e.line, e.kind]));
  });

  test('a too-large record nested past 2^24 levels ends its balanced skip at the end of the line (rule 7)', () => {
    const deep = (1 << 24) + 10;
    const bytes = enc.encode(`{"a":${'['.repeat(deep)}\n{"b":1}\n`);
    const expected = referenceRead(bytes, { maxRecordBytes: 100 });
    expect(expected.events.map((e) => [e.index, e.line])).toEqual([[0, 2]]);
    expect(expected.errors.map((e) => [e.line, e.kind])).toEqual([[1, 'too-large']]);
    // Split inside the skip: the depth (below 2^24 there) is carried in CTX_FRAMING.
    const r = h.scan(bytes, { maxRecordBytes: 100, splits: [1000, 10_000_000] });
    expect(scannedIndexLines(r)).toEqual([[0, 2]]);
    expect(r.errors.map((e) => [e.line, e.kind])).toEqual([[1, 'too-large']]);
  });

  test('many keys in one object: the leaf walk checks them for duplicates', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `"k${i}":${i}`);
    const text = `{${keys.join(',')}}\n{${keys.join(',')},"k7":1}\n`;
    const r = h.scan(enc.encode(text), { keywords: true });
    expect(r.events.map((e) => e.leavesStatus)).toEqual([0, STATUS_EVENT_FALLBACK]);
    expect(r.events[0].leaves).toHaveLength(3000);
  });

  test('a huge number of tiny records', () => {
    const text = '{"a":1}\n'.repeat(200_000);
    const r = h.scan(enc.encode(text), { splits: [777_777] });
    expect(r.events).toHaveLength(200_000);
    expect(r.events[199_999]).toMatchObject({ index: 199_999, line: 200_000 });
  });
});
