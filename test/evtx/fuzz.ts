/**
 * The .evtx decoders' fuzz property, over mutated real and written logs: byte flips, overwritten ranges, interesting
 * words, spliced and cut-off files, with the chunk checksums left broken or made right again (so the damage reaches
 * the records). For every input the VM and the reference agree (notes, records, every field, keyword leaves), and
 * neither throws or hangs. fuzz.test.ts runs it a bounded number of times; a fuzz harness can run
 * `fuzzEvtxDecoder(runs, seed)` for longer.
 */
import fc from 'fast-check';
import * as F from '../../src/input/evtx/format.js';
import { readEvtxFile } from '../../src/input/evtx/index.js';
import { evtxLog, realChunks } from '../../bench/data/evtx-log.js';
import { REGRESSION_ROOT, corpusAvailable } from '../support/corpus.js';
import { EvtxHarness, expectVmMatchesReference, flatKeys } from './harness.js';
import { ChunkWriter, eventTemplate, evtxFile, fixChunkChecksums, num, raw, str, systemValues } from './writer.js';

type Mutation =
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'fill'; at: number; length: number; byte: number }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; from: number; to: number; length: number };

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff, F.CHUNK_BYTES, F.CHUNK_HEADER_BYTES, 24, 29, 0x0c, 0x41];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fill' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 600 }), byte: fc.constantFrom(0, 0xff, 0x41, 0x0f) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('word' as const), at: fc.nat(), value: fc.constantFrom(...INTERESTING) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), from: fc.nat(), to: fc.nat(), length: fc.integer({ min: 1, max: 4096 }) }) },
);

export interface FuzzCase {
  base: number;
  mutations: Mutation[];
  fixChecksums: boolean;
}

export const fuzzCase = (bases: number): fc.Arbitrary<FuzzCase> =>
  fc.record({ base: fc.nat({ max: bases - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }), fixChecksums: fc.boolean() });

/** Apply the mutations (positions taken modulo the file's length) and, if asked, make the chunk checksums right. */
export function mutate(base: Uint8Array, c: FuzzCase): Uint8Array {
  let b = base.slice();
  for (const m of c.mutations) {
    if (b.length === 0) break;
    switch (m.kind) {
      case 'flip':
        b[m.at % b.length] ^= m.bits;
        break;
      case 'fill': {
        const at = m.at % b.length;
        b.fill(m.byte, at, Math.min(b.length, at + m.length));
        break;
      }
      case 'word': {
        const at = (m.at % b.length) & ~3;
        if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, m.value >>> 0, true);
        break;
      }
      case 'cut':
        b = b.slice(0, m.at % (b.length + 1));
        break;
      case 'splice': {
        const from = m.from % b.length;
        const to = m.to % b.length;
        const piece = b.slice(from, Math.min(b.length, from + m.length));
        b.set(piece.subarray(0, Math.max(0, b.length - to)), to);
        break;
      }
    }
  }
  if (c.fixChecksums) {
    for (let at = F.FILE_HEADER_BYTES; at + F.CHUNK_BYTES <= b.length; at += F.CHUNK_BYTES) {
      const chunk = b.subarray(at, at + F.CHUNK_BYTES);
      const free = new DataView(chunk.buffer, chunk.byteOffset).getUint32(F.CHUNK_FREE_SPACE_OFFSET, true);
      if (free <= F.CHUNK_BYTES) fixChunkChecksums(chunk);
    }
  }
  return b;
}

/** Logs to mutate: written records of many shapes, and (with the corpus) real chunks. */
export function fuzzBases(): Uint8Array[] {
  const w = new ChunkWriter(1);
  const sys = systemValues(1, 1);
  for (let i = 0; i < 30; i++) {
    w.add({
      template: eventTemplate({
        el: 'EventData',
        children: [
          { el: 'Data', attrs: [['Name', [{ text: 'Image' }]]], children: [{ sub: 5, optional: true }] },
          { el: 'Data', attrs: [['Name', [{ text: 'Count' }]]], children: [{ sub: 6 }] },
          { el: 'Data', attrs: [['Name', [{ text: 'Guid' }]]], children: [{ sub: 7 }] },
        ],
      }),
      values: [...sys, str(`C:\\p${i}.exe`), num(F.TYPE_UINT32, i), raw(F.TYPE_GUID, new Array(16).fill(i))],
    });
    w.add({
      template: { el: 'Event', children: [{ el: 'System', children: [{ el: 'EventID', children: [{ sub: 0 }] }] }, { sub: 1 }] },
      values: [num(F.TYPE_UINT16, 1), { type: F.TYPE_BINXML, nested: { template: { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'Image' }]]], children: [{ sub: 0 }] }] }, values: [str(`n${i}`)] } }],
    });
  }
  const bases = [evtxFile([w.finish()])];
  if (corpusAvailable()) bases.push(evtxLog(realChunks(REGRESSION_ROOT).slice(10, 13), 0, 3).bytes);
  return bases;
}

/** The property: VM and reference agree on the mutated log, and neither throws. */
export function checkFuzzCase(harness: EvtxHarness, bases: readonly Uint8Array[], c: FuzzCase): void {
  const bytes = mutate(bases[c.base], c);
  const reference = readEvtxFile(bytes);
  expectVmMatchesReference(harness, bytes, reference);
}

/** Run the fuzz property `runs` times (the fuzz harness may ask for many more than the test suite does). */
export async function fuzzEvtxDecoder(runs: number, seed?: number): Promise<void> {
  const bases = fuzzBases();
  const keys = new Set<string>();
  for (const b of bases) for (const k of flatKeys(readEvtxFile(b))) keys.add(k);
  const harness = await EvtxHarness.create([...keys].sort());
  fc.assert(fc.property(fuzzCase(bases.length), (c) => checkFuzzCase(harness, bases, c)), { numRuns: runs, ...(seed !== undefined ? { seed } : {}) });
}

