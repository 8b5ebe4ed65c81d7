/**
 * The VM's .evtx decoder against the reference on the 96 SigmaHQ regression samples: every record is decoded in the
 * VM (none left to the host), and every field of the flat view (every key of every sample, read as rules read it)
 * holds exactly the reference's values, kinds included; the keyword leaves too. The reference itself is held to the
 * evtx_dump JSON twins by oracle.test.ts, so this is the VM against evtx_dump.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { readEvtxJson } from '../../src/input/evtx-json.js';
import { readEvtxFile, type EvtxFile } from '../../src/input/evtx/index.js';
import { expectedLeaves, expectedSlot } from '../json/harness.js';
import { corpusAvailable, loadRegressionTests } from '../support/corpus.js';
import { EvtxHarness, expectPassingSkipsMatchReference, expectedPassing } from './harness.js';

describe.runIf(corpusAvailable())('VM .evtx decoder against the reference on the regression samples', () => {
  const tests = loadRegressionTests();
  const files = new Map<string, { bytes: Uint8Array; reference: EvtxFile }>();
  const keys = new Set<string>();
  let harness: EvtxHarness;
  /** Two fields only: with the leaves written in passing, most values are rendered for the leaves alone. */
  let fewFields: EvtxHarness;

  beforeAll(async () => {
    for (const t of tests) {
      const bytes = new Uint8Array(readFileSync(t.evtxFiles[0]));
      const reference = readEvtxFile(bytes);
      files.set(t.name, { bytes, reference });
      for (const r of reference.records) for (const k of Object.keys(readEvtxJson(r.event)!.event)) keys.add(k);
    }
    harness = await EvtxHarness.create([...keys].sort());
    fewFields = await EvtxHarness.create(['EventID', 'Image']);
  });

  test('the samples have fields to compare', () => {
    expect(keys.size).toBeGreaterThan(60);
  });

  test.each(tests.map((t) => [t.name] as const))('%s', (name) => {
    for (const passing of [false, true]) expectSample(harness, name, passing);
    expectSample(fewFields, name, true);
    const { bytes, reference } = files.get(name)!;
    expect(expectPassingSkipsMatchReference(fewFields, bytes, reference), 'formatted values left out').toBeGreaterThan(0);
  });

  function expectSample(harness: EvtxHarness, name: string, passing: boolean): void {
    const { bytes, reference } = files.get(name)!;
    const vm = harness.scan(bytes, { keywords: true, passing });
    expect(vm.host).toEqual([]);
    expect(vm.notes).toEqual(reference.notes);
    expect(vm.records.map((r) => [r.index, r.offset])).toEqual(reference.records.map((r) => [r.index, r.offset]));
    vm.records.forEach((r, i) => {
      const event = reference.records[i].event;
      harness.fields.forEach((field, s) => {
        expect(r.slots[s], `record ${i} field ${field}`).toEqual(expectedSlot(event, field, true));
      });
      expect(r.leavesStatus, `record ${i} leaves`).toBe(0);
      expect(r.leaves!.map((v) => v.text).sort(), `record ${i} keyword leaves`).toEqual(expectedLeaves(event, true));
      if (passing) expect(r.passing, `record ${i} leaves in passing`).toBe(expectedPassing(r.leaves!));
    });
  }
});
