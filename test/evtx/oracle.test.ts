/**
 * The oracle: the 96 SigmaHQ regression samples hold each original .evtx beside its evtx_dump JSON. The reference
 * decoder must give every record exactly the JSON object evtx_dump wrote (so the flat view Sigma rules read is the
 * same, field by field), read as many records as the chunk headers list, and note nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readEvtxJson } from '../../src/input/evtx-json.js';
import { readEvtxFile } from '../../src/input/evtx/index.js';
import * as F from '../../src/input/evtx/format.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';

/** Records the chunk headers list (last - first record number + 1), read straight from the bytes. */
export function headerRecordCounts(bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (let at = F.FILE_HEADER_BYTES; at + F.CHUNK_HEADER_BYTES <= bytes.length; at += F.CHUNK_BYTES) {
    if (dv.getUint32(at, true) !== F.CHUNK_MAGIC_LO) continue;
    total += Number(dv.getBigUint64(at + F.CHUNK_LAST_RECORD_NUMBER, true) - dv.getBigUint64(at + F.CHUNK_FIRST_RECORD_NUMBER, true)) + 1;
  }
  return total;
}

/** The flat view as [key, values] pairs with every value's string form (what predicates compare). */
export function flatFields(event: unknown): [string, unknown][] {
  const flat = readEvtxJson(event);
  if (!flat) throw new Error('not in evtx shape');
  return Object.entries(flat.event).sort(([a], [b]) => (a < b ? -1 : 1));
}

describe.runIf(corpusAvailable())('reference .evtx decoder against the evtx_dump JSON twins', () => {
  const tests = loadRegressionTests();

  test('every sample has its .evtx', () => {
    expect(tests.length).toBe(96);
    expect(tests.filter((t) => t.evtxFiles.length !== 1).map((t) => t.name)).toEqual([]);
  });

  test.each(tests.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    const bytes = new Uint8Array(readFileSync(t.evtxFiles[0]));
    const file = readEvtxFile(bytes);
    expect(file.notes).toEqual([]);
    expect(file.records.length).toBe(headerRecordCounts(bytes));
    expect(file.records.length).toBe(t.events.length);
    file.records.forEach((r, i) => {
      const twin = t.events[i].event;
      expect(flatFields(r.event), `record ${i} (id ${r.recordId}) flat fields`).toEqual(flatFields(twin));
      expect(r.event, `record ${i} (id ${r.recordId}) as evtx_dump writes it`).toEqual(twin);
      expect(r.index).toBe(i);
    });
  });
});
