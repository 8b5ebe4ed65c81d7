/**
 * The prefilter never drops a hit, on the whole SigmaHQ corpus (plain, and through the sysmon + windows processing
 * pipelines): generated Windows-like events (bench/data/generate.ts: Sysmon, Security and PowerShell events, flat and
 * evtx_dump-shaped, with attacks mixed in), with witnesses of random corpus detections planted in so that many rules
 * come close, are run with the prefilter on and off, over objects and NDJSON bytes, against the reference evaluator.
 *
 * SIGMATCH_DIFF_RUNS scales the run count, SIGMATCH_DIFF_SEED fixes the seed (as in engines.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateEvents } from '../../bench/data/generate.js';
import { compileRules, type CompiledRuleSet } from '../../src/compiler/compile.js';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRulesWithPipelines } from '../../src/pipeline/cli-support.js';
import { loadRules } from '../../src/rule/files.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { Matcher, type Hit } from '../../src/runtime/matcher.js';
import { CORPUS_PATHS, corpusAvailable } from '../support/corpus.js';
import { plantArb, plantEvents } from './arbitraries.js';
import { wasmModule } from './harness.js';

const SCALE = Number(process.env.SIGMATCH_DIFF_RUNS ?? 1);
const SEED = process.env.SIGMATCH_DIFF_SEED === undefined ? undefined : Number(process.env.SIGMATCH_DIFF_SEED);
const RUNS = Math.max(1, Math.round(10 * SCALE));

const batchArb = fc.record({
  seed: fc.nat(),
  attackShare: fc.constantFrom(0, 0.02, 0.3, 1),
  shape: fc.constantFrom<'flat' | 'evtx'>('flat', 'flat', 'evtx'),
  count: fc.integer({ min: 10, max: 30 }),
  plants: fc.array(plantArb, { maxLength: 40 }),
});

const keys = (hits: readonly Hit[]): string[] => hits.map((h) => `${h.event}:${h.rule}`);

async function checkCorpus(rules: readonly SigmaRule[]): Promise<void> {
  const compiled: CompiledRuleSet = compileRules(rules);
  const reference = new ReferenceEvaluator(rules);
  const on = await Matcher.create(compiled, { wasm: wasmModule() });
  const off = await Matcher.create(compiled, { prefilter: false, wasm: wasmModule() });
  let hits = 0;
  await fc.assert(
    fc.asyncProperty(batchArb, async ({ seed, attackShare, shape, count, plants }) => {
      const events = plantEvents(rules, [...generateEvents({ events: count, seed, attackShare, shape })], plants);
      const expected = events.flatMap((e, i) => reference.match(e).map((m) => `${i}:${m.index}`));
      hits += expected.length;
      const ndjson = events.map((e) => JSON.stringify(e)).join('\n');
      for (const [name, matcher] of [['prefilter on', on], ['prefilter off', off]] as const) {
        expect(keys(matcher.match(events)), `objects, ${name}`).toEqual(expected);
        const scan = matcher.scanBytes(ndjson);
        expect(scan.notes, `bytes, ${name}: notes`).toEqual([]);
        expect(keys(scan.hits), `bytes, ${name}`).toEqual(expected);
      }
    }),
    { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
  expect(hits, 'the batches meet the corpus').toBeGreaterThan(0);
}

describe.runIf(corpusAvailable())('differential: the prefilter never drops a hit on the SigmaHQ corpus', () => {
  test('the corpus as loaded', async () => {
    const set = loadRules(CORPUS_PATHS);
    expect(set.rules.length).toBeGreaterThan(3000);
    await checkCorpus(set.rules);
  });

  test('the corpus through the sysmon and windows pipelines', async () => {
    const { set, errors } = loadRulesWithPipelines(CORPUS_PATHS, ['sysmon', 'windows']);
    expect(errors).toEqual([]);
    expect(set.rules.length).toBeGreaterThan(3000);
    await checkCorpus(set.rules);
  });
});
