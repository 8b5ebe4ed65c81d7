/** The .evtx decoders' fuzz property (fuzz.ts), bounded: the VM and the reference agree on mutated logs. */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { readEvtxFile } from '../../src/input/evtx/index.js';
import { fuzzBases, fuzzCase, fuzzEvtxDecoder, mutate } from './fuzz.js';

describe('fuzz: mutated logs', () => {
  let bases: Uint8Array[];
  beforeAll(() => {
    bases = fuzzBases();
    expect(bases.every((b) => readEvtxFile(b).notes.length === 0)).toBe(true);
  });

  test('the VM and the reference agree on every mutated log', async () => {
    await fuzzEvtxDecoder(80);
  });

  test('mutations reach the records (some decode, some are noted)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fuzzCase(bases.length), (c) => {
        for (const n of readEvtxFile(mutate(bases[c.base], c)).notes) seen.add(n.code);
      }),
      { numRuns: 150, seed: 7 },
    );
    expect([...seen]).toEqual(expect.arrayContaining(['record-bad-xml', 'chunk-records-checksum', 'record-bad-header']));
  });
});
