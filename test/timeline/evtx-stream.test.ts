/** The streaming reference .evtx reader: any piece sizes give what reading the whole file gives. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EvtxReader, readEvtxFile } from '../../src/input/evtx/index.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';

describe.runIf(corpusAvailable())('EvtxReader', () => {
  test('pieces of 777 bytes to 1 MiB: the records and notes of readEvtxFile', () => {
    const files = loadRegressionTests()
      .slice(0, 4)
      .map((t) => readFileSync(t.evtxFiles[0]));
    // A damaged copy: a cut-off last chunk and a flipped byte in a record.
    const damaged = files[0].slice(0, files[0].length - 1000);
    damaged[4096 + 700] ^= 0xff;
    for (const bytes of [...files, damaged, new Uint8Array(10), new TextEncoder().encode('{"not":"evtx"}'.repeat(400))]) {
      const whole = readEvtxFile(bytes);
      for (const piece of [1 << 20, 65536, 4095, 777]) {
        const reader = new EvtxReader();
        const records = [];
        for (let at = 0; at < bytes.length; at += piece) records.push(...reader.push(bytes.subarray(at, at + piece)));
        records.push(...reader.end());
        expect(records).toEqual(whole.records);
        expect(reader.notes).toEqual(whole.notes);
        expect([reader.chunks, reader.emptyChunks]).toEqual([whole.chunks, whole.emptyChunks]);
      }
    }
  });
});
