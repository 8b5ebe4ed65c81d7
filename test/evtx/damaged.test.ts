/**
 * Dirty and damaged .evtx files, made by damaging real and written logs one way at a time: the VM (Matcher.scanEvtx,
 * whole and in pieces) and the reference read every record that can be read, give the same notes with the same file
 * offsets, never throw, and under `strict` the first damage refuses the file.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/index.js';
import * as F from '../../src/input/evtx/format.js';
import { crc32 } from '../../src/input/evtx/crc32.js';
import { readEvtxFile, type EvtxFile } from '../../src/input/evtx/index.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { Matcher, type Hit, type InputNote } from '../../src/runtime/matcher.js';
import { EvtxDamagedError } from '../../src/runtime/evtx-scanner.js';
import { evtxLog, realChunks } from '../../bench/data/evtx-log.js';
import { REGRESSION_ROOT, corpusAvailable } from '../support/corpus.js';
import { ChunkWriter, eventTemplate, evtxFile, fixChunkChecksums, str, systemValues, type RecordSpec } from './writer.js';

const RULES = `
title: Every event
id: 00000000-0000-0000-0000-00000000000a
logsource: { product: windows }
detection: { sel: { EventID|exists: true }, condition: sel }
---
title: Image
id: 00000000-0000-0000-0000-00000000000b
logsource: { product: windows }
detection: { sel: { Image|contains: '.exe' }, condition: sel }
`;

const set = loadRulesFromText(RULES);
const evaluator = new ReferenceEvaluator(set.rules);
let matcher: Matcher;
beforeAll(async () => {
  matcher = await Matcher.create(set);
});

const noteKeys = (notes: readonly { code?: string; offset?: number }[]): string[] => notes.map((n) => `${n.code}@${n.offset}`);
const hitKeys = (hits: readonly Hit[]): string[] => hits.map((h) => `${h.event}:${h.rule}@${h.offset}`);

/** The VM, whole and in odd pieces, against the reference: same notes, records, hits. Returns the reference's view. */
function readBoth(bytes: Uint8Array): EvtxFile {
  const reference = readEvtxFile(bytes);
  const expectedHits = reference.records.flatMap((r) => evaluator.match(r.event).map((m) => `${r.index}:${m.index}@${r.offset}`));
  const whole = matcher.scanEvtx(bytes);
  expect(noteKeys(whole.notes)).toEqual(reference.notes.map((n) => `${n.code}@${n.offset}`));
  expect(whole.events).toBe(reference.records.length);
  expect(hitKeys(whole.hits)).toEqual(expectedHits);
  const s = matcher.evtxScanner();
  const hits: Hit[] = [];
  const notes: InputNote[] = [];
  for (let at = 0; at < bytes.length; at += 40_000) {
    const b = s.push(bytes.subarray(at, at + 40_000));
    hits.push(...b.hits);
    notes.push(...b.notes);
  }
  const last = s.end();
  expect(hitKeys([...hits, ...last.hits])).toEqual(expectedHits);
  expect(noteKeys([...notes, ...last.notes])).toEqual(noteKeys(whole.notes));
  return reference;
}

function codes(f: EvtxFile): string[] {
  return f.notes.map((n) => n.code);
}

function setU32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
}

/** Many small records per chunk (record-level damage needs neighbours). */
function writtenLog(): { bytes: Uint8Array; records: number } {
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (let c = 0; c < 3; c++) {
    const w = new ChunkWriter(n + 1);
    for (let i = 0; i < 40; i++) {
      const r: RecordSpec = {
        template: eventTemplate({ el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Image' }]]], children: [{ sub: 5 }] }] }),
        values: [...systemValues(1, n + 1), str(`C:\\p${n}.exe`)],
      };
      expect(w.add(r)).toBe(true);
      n++;
    }
    chunks.push(w.finish());
  }
  return { bytes: evtxFile(chunks), records: n };
}

/** Offsets of the records of the chunk at file offset `chunk`. */
function recordOffsets(bytes: Uint8Array, chunk: number): number[] {
  return readEvtxFile(bytes).records.filter((r) => r.offset >= chunk && r.offset < chunk + F.CHUNK_BYTES).map((r) => r.offset);
}

describe.runIf(corpusAvailable())('damaged real logs', () => {
  const chunks = realChunks(REGRESSION_ROOT).slice(0, 8);
  const fresh = (): { bytes: Uint8Array; records: number } => evtxLog(chunks, 0, 8);
  const chunkAt = (i: number): number => F.FILE_HEADER_BYTES + i * F.CHUNK_BYTES;

  test('a clean log of real chunks: every record, no note', () => {
    const { bytes, records } = fresh();
    const f = readBoth(bytes);
    expect(f.notes).toEqual([]);
    expect(f.records.length).toBe(records);
  });

  test('marked dirty: noted, every record read', () => {
    const { bytes, records } = fresh();
    setU32(bytes, F.FILE_FLAGS, F.FILE_FLAG_DIRTY);
    setU32(bytes, F.FILE_CHECKSUM, crc32(bytes, 0, F.FILE_CHECKSUMMED));
    const f = readBoth(bytes);
    expect(codes(f)).toEqual(['dirty']);
    expect(f.records.length).toBe(records);
  });

  test('file header checksum wrong: noted, every record read', () => {
    const { bytes, records } = fresh();
    bytes[60] ^= 0xff;
    const f = readBoth(bytes);
    expect(codes(f)).toEqual(['file-header-checksum']);
    expect(f.records.length).toBe(records);
  });

  test('a chunk without its signature: skipped with a note at its offset, the others read', () => {
    const { bytes, records } = fresh();
    const lost = readEvtxFile(bytes).records.filter((r) => r.offset >= chunkAt(2) && r.offset < chunkAt(3)).length;
    bytes[chunkAt(2)] = 0x58;
    const f = readBoth(bytes);
    expect(f.notes.map((n) => [n.code, n.offset])).toEqual([['chunk-bad-magic', chunkAt(2)]]);
    expect(f.records.length).toBe(records - lost);
  });

  test('chunk header and records checksums wrong: noted, the records still read', () => {
    const { bytes, records } = fresh();
    bytes[chunkAt(1) + 70] ^= 1; // inside the checksummed header
    const rec = recordOffsets(bytes, chunkAt(4))[0];
    bytes[rec + 20] ^= 1; // the record's written time: inside the records checksum, harmless to the record
    const f = readBoth(bytes);
    expect(f.notes.map((n) => [n.code, n.offset])).toEqual([
      ['chunk-header-checksum', chunkAt(1)],
      ['chunk-records-checksum', chunkAt(4)],
    ]);
    expect(f.records.length).toBe(records);
  });

  test('cut off inside a chunk: the whole records before the cut are read', () => {
    const { bytes } = fresh();
    const offsets = recordOffsets(bytes, chunkAt(5));
    const cut = bytes.slice(0, offsets[0] + 30); // inside the first record of chunk 5
    const f = readBoth(cut);
    // The record the cut goes through is noted too: it is the one lost.
    expect(codes(f)).toEqual(['chunk-truncated', 'record-bad-header', 'chunk-record-count']);
    expect(f.notes[1].offset).toBe(offsets[0]);
    expect(f.notes[0].offset).toBe(chunkAt(5));
    expect(f.records.every((r) => r.offset < chunkAt(5))).toBe(true);
    expect(f.records.length).toBe(readEvtxFile(bytes).records.filter((r) => r.offset < chunkAt(5)).length);
  });

  test('cut off inside the file header: noted, nothing read', () => {
    const { bytes } = fresh();
    const f = readBoth(bytes.slice(0, 100));
    expect(codes(f)).toEqual(['file-truncated']);
    expect(f.records).toEqual([]);
  });

  test('zeroed and garbage slots after the last chunk: zeros are unused, garbage is noted', () => {
    const { bytes, records } = fresh();
    const garbage = new Uint8Array(F.CHUNK_BYTES).map((_, i) => (i * 7919 + 13) & 0xff);
    const grown = new Uint8Array(bytes.length + 2 * F.CHUNK_BYTES);
    grown.set(bytes);
    grown.set(garbage, bytes.length + F.CHUNK_BYTES);
    const f = readBoth(grown);
    expect(f.notes.map((n) => [n.code, n.offset])).toEqual([['chunk-bad-magic', bytes.length + F.CHUNK_BYTES]]);
    expect(f.records.length).toBe(records);
    expect(f.emptyChunks).toBe(1);
  });

  test('carved chunks without a file header: noted, every record read', () => {
    const { bytes, records } = fresh();
    const f = readBoth(bytes.slice(F.FILE_HEADER_BYTES));
    expect(codes(f)).toEqual(['no-file-header']);
    expect(f.records.length).toBe(records);
  });

  test('not a .evtx file at all: one note', () => {
    const f = readBoth(new TextEncoder().encode('{"not": "evtx"}'));
    expect(codes(f)).toEqual(['not-evtx']);
  });
});

describe('damaged records', () => {
  test('a record with a broken size: noted at its offset, the next records found again', () => {
    const { bytes, records } = writtenLog();
    const chunk = F.FILE_HEADER_BYTES;
    const offsets = recordOffsets(bytes, chunk);
    setU32(bytes, offsets[5] + F.RECORD_SIZE, 0x7fff);
    const f = readBoth(bytes);
    expect(f.notes.map((n) => [n.code, n.offset])).toEqual([
      ['chunk-records-checksum', chunk],
      ['record-bad-header', offsets[5]],
      ['chunk-record-count', chunk],
    ]);
    expect(f.records.length).toBe(records - 1);
    expect(f.records.map((r) => r.offset)).toContain(offsets[6]);
  });

  test('garbage between records: noted once, the search finds the next record', () => {
    const { bytes, records } = writtenLog();
    const chunk = F.FILE_HEADER_BYTES + F.CHUNK_BYTES;
    const offsets = recordOffsets(bytes, chunk);
    bytes.fill(0x41, offsets[10], offsets[12]); // two records overwritten
    fixChunkChecksums(bytes.subarray(chunk, chunk + F.CHUNK_BYTES));
    const f = readBoth(bytes);
    expect(f.notes.map((n) => [n.code, n.offset])).toEqual([
      ['record-bad-header', offsets[10]],
      ['chunk-record-count', chunk],
    ]);
    expect(f.records.length).toBe(records - 2);
  });

  test('a corrupt name in the chunk (the string cache): the records that use it are noted, the others read', () => {
    const { bytes, records } = writtenLog();
    const chunk = F.FILE_HEADER_BYTES + 2 * F.CHUNK_BYTES;
    const c = bytes.subarray(chunk, chunk + F.CHUNK_BYTES);
    // The name "Image" is stored once, in the chunk's first record: give it a character count past the chunk's end.
    const text = new Uint8Array([...'Image'].flatMap((ch) => [ch.charCodeAt(0), 0]));
    let at = -1;
    for (let i = 0; i < c.length - text.length && at < 0; i++) if (text.every((b, j) => c[i + j] === b)) at = i;
    expect(at).toBeGreaterThan(0);
    new DataView(c.buffer, c.byteOffset).setUint16(at - 2, 0x7fff, true);
    fixChunkChecksums(c);
    const f = readBoth(bytes);
    expect(new Set(codes(f))).toEqual(new Set(['record-bad-xml']));
    expect(f.notes.every((n) => n.offset >= chunk && n.offset < chunk + F.CHUNK_BYTES)).toBe(true);
    expect(f.records.length).toBe(records - f.notes.length);
  });

  test('a corrupt template (the template cache) and an unknown token: those records are noted', () => {
    const { bytes, records } = writtenLog();
    const chunk = F.FILE_HEADER_BYTES;
    const c = bytes.subarray(chunk, chunk + F.CHUNK_BYTES);
    const offsets = recordOffsets(bytes, chunk).map((o) => o - chunk);
    // Record 3's template instance points its definition at the middle of nowhere.
    const inst = offsets[3] + F.RECORD_HEADER_BYTES + F.FRAGMENT_HEADER_BYTES;
    expect(c[inst]).toBe(F.TOKEN_TEMPLATE_INSTANCE);
    setU32(c, inst + 6, 0x9000);
    // Record 7's binary XML starts with a token that does not exist.
    c[offsets[7] + F.RECORD_HEADER_BYTES] = 0x1f;
    fixChunkChecksums(c);
    const f = readBoth(bytes);
    expect(f.notes.map((n) => [n.code, n.offset])).toEqual([
      ['record-bad-xml', chunk + offsets[3]],
      ['record-bad-xml', chunk + offsets[7]],
    ]);
    expect(f.records.length).toBe(records - 2);
  });
});

describe('strict', () => {
  test('the first damage refuses the file; a dirty flag does not', () => {
    const { bytes } = writtenLog();
    setU32(bytes, F.FILE_FLAGS, F.FILE_FLAG_DIRTY);
    setU32(bytes, F.FILE_CHECKSUM, crc32(bytes, 0, F.FILE_CHECKSUMMED));
    expect(matcher.scanEvtx(bytes, { strict: true }).notes.map((n) => n.code)).toEqual(['dirty']);
    bytes[F.FILE_HEADER_BYTES + 70] ^= 1;
    expect(() => matcher.scanEvtx(bytes, { strict: true })).toThrow(EvtxDamagedError);
    expect(() => matcher.scanEvtx(bytes, { strict: true })).toThrow(/chunk at offset 4096 \(0x1000\): header checksum does not match/);
  });
});
