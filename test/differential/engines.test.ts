/**
 * Property-based differential testing of every engine: for generated rule sets (1-8 rules covering every modifier,
 * value type and condition form of SIGMA.md) and generated batches of events (1-30, from the rules' own vocabulary,
 * with witnesses of the rules planted in), the WASM VM over JS objects and over JSON bytes in five layouts, each
 * with the prefilter on and off, must report exactly the reference evaluator's (event, rule) hits.
 *
 * Runs: SIGMATCH_DIFF_RUNS scales every property's run count (default 1; e.g. 20 for a long soak), and
 * SIGMATCH_DIFF_SEED fixes the seed (fast-check prints the seed and path of any failure).
 */
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { EVTX_FIELDS, evtxEventArb, literalSetDefArb, loadScenarioRules, rules, rulesOver, scenarioArb, sharedAtomDefArb, sharedEventArb, type Scenario } from './arbitraries.js';
import { describeFailure, runCase, type CaseOptions } from './harness.js';

const SCALE = Number(process.env.SIGMATCH_DIFF_RUNS ?? 1);
const SEED = process.env.SIGMATCH_DIFF_SEED === undefined ? undefined : Number(process.env.SIGMATCH_DIFF_SEED);
/** The vitest timeout of each property; fast-check stops starting runs (or shrinking a failure) well before it. */
const TIMEOUT = 120_000 * Math.max(1, SCALE);
const runs = (n: number): fc.Parameters<[Scenario]> => ({
  numRuns: Math.max(1, Math.round(n * SCALE)),
  interruptAfterTimeLimit: TIMEOUT * 0.75,
  ...(SEED === undefined ? {} : { seed: SEED }),
});

const load = loadScenarioRules;

async function check(s: Scenario, layouts?: readonly string[]): Promise<void> {
  const set = load(s.texts);
  if (set.errors.length > 0) throw new Error(`the generator made an invalid rule set: ${set.errors.map((e) => e.format()).join('; ')}\n${s.texts.join('---\n')}`);
  const options: CaseOptions = { nullMatchesAbsent: s.nullMatchesAbsent, layoutSeed: s.layoutSeed, layouts };
  const result = await runCase(set.rules, s.events, options);
  if (result.disagreements.length > 0) throw new Error(describeFailure(s.texts, s.events, options, result));
}

const loadRules = (texts: string[]) => load(texts).rules;

describe('differential: reference == WASM objects == WASM bytes, prefilter on and off', () => {
  test('generated rule sets and events', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb(loadRules), (s) => check(s)), runs(800));
  }, TIMEOUT);

  test('long OR lists (literal sets) and lists mixing shapes', async () => {
    const ruleSets = rules.ruleSets({ defs: literalSetDefArb, maxRules: 3 });
    await fc.assert(fc.asyncProperty(scenarioArb(loadRules, { ruleSets }), (s) => check(s, ['ndjson'])), runs(250));
  }, TIMEOUT);

  test('many rules (more candidates than the prefilter sorts by insertion)', async () => {
    const defs = fc.oneof({ arbitrary: sharedAtomDefArb, weight: 4 }, { arbitrary: rules.simpleDef, weight: 1 });
    const ruleSets = rules.ruleSets({ defs, minRules: 33, maxRules: 60 });
    await fc.assert(fc.asyncProperty(scenarioArb(loadRules, { ruleSets, events: sharedEventArb, maxEvents: 8 }), (s) => check(s, ['ndjson'])), runs(60));
  }, TIMEOUT);

  test('keyword searches (leaves of any depth, numbers in any spelling, raw-text filtering)', async () => {
    const ruleSets = rules.ruleSets({ defs: rules.keywordDef, maxRules: 4 });
    await fc.assert(fc.asyncProperty(scenarioArb(loadRules, { ruleSets, maxEvents: 15 }), (s) => check(s, ['ndjson', 'concatenated', 'array'])), runs(300));
  }, TIMEOUT);

  test('evtx_dump events: every tier of the mapping, attribute keys, shadowed values', async () => {
    const ruleSets = rulesOver(EVTX_FIELDS).ruleSets({ maxRules: 4 });
    await fc.assert(fc.asyncProperty(scenarioArb(loadRules, { ruleSets, events: evtxEventArb, maxEvents: 15 }), (s) => check(s, ['ndjson', 'pretty'])), runs(400));
  }, TIMEOUT);
});
