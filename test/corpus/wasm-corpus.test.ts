/**
 * The whole SigmaHQ corpus compiled to one program: over the regression events, every (event, rule) hit of the WASM
 * engine (objects and bytes paths, prefilter on and off) equals the reference evaluator's, and every regression test
 * passes on the WASM engine, from its JSON and from its original .evtx file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import '../../src/index.js';
import { compileRules } from '../../src/compiler/compile.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRules } from '../../src/rule/files.js';
import { Matcher, type Hit } from '../../src/runtime/matcher.js';
import { CORPUS_PATHS, corpusAvailable, loadRegressionTests } from '../support/corpus.js';

const key = (h: { event: number; rule: number }): string => `${h.event}:${h.rule}`;
const keys = (hits: readonly Hit[]): string[] => hits.map(key).sort();

describe.runIf(corpusAvailable())('SigmaHQ corpus on the WASM engine', async () => {
  const set = loadRules(CORPUS_PATHS);
  const compiled = compileRules(set.rules);
  const tests = loadRegressionTests();
  const events = tests.flatMap((t) => t.events.map((e) => e.event));
  const reference = new ReferenceEvaluator(set.rules);
  const expected = events.flatMap((e, i) => reference.match(e).map((m) => key({ event: i, rule: m.index }))).sort();
  const withPrefilter = await Matcher.create(compiled);
  const withoutPrefilter = await Matcher.create(compiled, { prefilter: false });

  test('the corpus compiles to one program', () => {
    expect(compiled.stats.rules).toBe(set.rules.length);
    expect(compiled.program.length).toBeGreaterThan(0);
    console.log('corpus program', compiled.stats);
  });

  test.each([
    ['objects, prefilter on', () => keys(withPrefilter.match(events))],
    ['objects, prefilter off', () => keys(withoutPrefilter.match(events))],
    ['bytes (NDJSON), prefilter on', () => keys(withPrefilter.scanBytes(events.map((e) => JSON.stringify(e)).join('\n')).hits)],
    ['bytes (NDJSON), prefilter off', () => keys(withoutPrefilter.scanBytes(events.map((e) => JSON.stringify(e)).join('\n')).hits)],
  ])('every hit equals the reference: %s', (_name, run) => {
    expect(expected.length).toBeGreaterThan(100);
    expect(run()).toEqual(expected);
  });

  test('every regression test passes on the bytes path, from its own files', () => {
    const byId = new Map(set.rules.map((r, i) => [r.id, i]));
    const failures: string[] = [];
    for (const t of tests) {
      const rule = byId.get(t.ruleId)!;
      const text = t.events.map((e) => JSON.stringify(e.event, null, 2)).join('\n');
      const result = withPrefilter.scanBytes(text);
      expect(result.notes).toEqual([]);
      const count = new Set(result.hits.filter((h) => h.rule === rule).map((h) => h.event)).size;
      if (count < t.matchCount) failures.push(`${t.name}: ${count} < ${t.matchCount}`);
    }
    expect(failures).toEqual([]);
  });

  test.each([
    ['prefilter on', withPrefilter],
    ['prefilter off', withoutPrefilter],
  ] as const)('.evtx files give the hits of their evtx_dump JSON, and every regression test passes from them (%s)', (_name, matcher) => {
    const byId = new Map(set.rules.map((r, i) => [r.id, i]));
    const failures: string[] = [];
    let hits = 0;
    for (const t of tests) {
      const evtx = matcher.scanEvtx(new Uint8Array(readFileSync(t.evtxFiles[0])));
      const json = matcher.scanBytes(t.events.map((e) => JSON.stringify(e.event)).join('\n'));
      expect(evtx.notes, t.name).toEqual([]);
      expect(evtx.events, t.name).toBe(t.events.length);
      expect(keys(evtx.hits), t.name).toEqual(keys(json.hits));
      for (const h of evtx.hits) {
        const system = (t.events[h.event].event as { Event: { System: { EventRecordID: number; TimeCreated: { '#attributes': { SystemTime: string } } } } }).Event.System;
        expect([h.recordId, h.time]).toEqual([system.EventRecordID, system.TimeCreated['#attributes'].SystemTime]);
      }
      hits += evtx.hits.length;
      const count = new Set(evtx.hits.filter((h) => h.rule === byId.get(t.ruleId)).map((h) => h.event)).size;
      if (count < t.matchCount) failures.push(`${t.name}: ${count} < ${t.matchCount}`);
    }
    expect(hits).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
