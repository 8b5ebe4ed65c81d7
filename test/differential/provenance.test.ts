/**
 * Provenance from the VM (`Matcher.explain`, assembly/vm/provenance.ts) against the reference's `explainMatch`: for
 * every hit, the same identifiers and the same field values in the same order. Over the conformance table, the
 * SigmaHQ regression samples under the windows rules with the sysmon and windows pipelines (alternatives, added
 * conditions, foreign-product exclusions), generated rule sets and events (prefilter on and off), and a compiled
 * artifact, which carries no rule logic.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileRules } from '../../src/compiler/compile.js';
import { readArtifact, writeArtifact } from '../../src/compiler/artifact.js';
import { explainMatch } from '../../src/eval/provenance.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { builtinPipelines } from '../../src/pipeline/builtins.js';
import { loadRules } from '../../src/rule/files.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { Matcher, type MatcherOptions } from '../../src/runtime/matcher.js';
import { allGroups } from '../conformance/cases/index.js';
import { corpusAvailable, loadRegressionTests, SHARED } from '../support/corpus.js';
import { EVTX_FIELDS, evtxEventArb, loadScenarioRules, rules as ruleArbs, rulesOver, scenarioArb, type Scenario } from './arbitraries.js';
import { wasmModule } from './harness.js';

const SEED = process.env.SIGMATCH_DIFF_SEED === undefined ? undefined : Number(process.env.SIGMATCH_DIFF_SEED);
const TIMEOUT = 120_000;
const runs = (n: number): fc.Parameters<[Scenario]> => ({ numRuns: n, interruptAfterTimeLimit: TIMEOUT * 0.75, ...(SEED === undefined ? {} : { seed: SEED }) });

/** Every hit's VM provenance must be explainMatch's; returns the number of hits compared. */
async function compare(rules: readonly SigmaRule[], events: readonly unknown[], options: MatcherOptions & { maxValueLength?: number } = {}): Promise<number> {
  const matcher = await Matcher.create(rules, { wasm: wasmModule(), ...options });
  const hits = matcher.match(events);
  const got = matcher.explain(events, hits, { maxValueLength: options.maxValueLength });
  const nullMatchesAbsent = options.nullMatchesAbsent ?? true;
  hits.forEach((h, i) => {
    const want = explainMatch(rules[h.rule], events[h.event], { nullMatchesAbsent, maxValueLength: options.maxValueLength });
    expect(got[i], `rule "${rules[h.rule].title}", event ${h.event}: ${JSON.stringify(events[h.event]).slice(0, 2000)}`).toEqual(want);
  });
  return hits.length;
}

describe('VM provenance == explainMatch', () => {
  test('the conformance table', async () => {
    let compared = 0;
    for (const group of allGroups) {
      for (const c of group.cases) {
        if (c.error || !c.events?.length) continue;
        const set = loadRulesFromText(c.rule, { placeholders: c.options?.placeholders });
        if (set.errors.length > 0 || set.rules.length === 0) continue;
        compared += await compare(set.rules, c.events, { nullMatchesAbsent: c.options?.nullMatchesAbsent });
      }
    }
    expect(compared).toBeGreaterThan(300);
  }, TIMEOUT);

  test('long values are cut as explainMatch cuts them', async () => {
    const set = loadRulesFromText(`title: Long\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|contains: 'x'\n  condition: sel\n`);
    const events = [{ CommandLine: `${'a'.repeat(50)}x${'é'.repeat(50)}` }, { CommandLine: 'short x' }];
    expect(await compare(set.rules, events, { maxValueLength: 20 })).toBe(2);
  });

  test.skipIf(!corpusAvailable())('the SigmaHQ regression samples under the windows rules, sysmon + windows pipelines', async () => {
    const corpus = loadRules(join(SHARED, 'rules', 'windows'));
    const rules = applyPipelines(corpus.rules, [...builtinPipelines('sysmon'), ...builtinPipelines('windows')]).rules;
    const events = loadRegressionTests().flatMap((t) => t.events.map((e) => e.event));
    expect(await compare(rules, events)).toBeGreaterThan(100);
  }, TIMEOUT);

  test('a compiled artifact gives the same provenance (it carries the rules shapes, not their logic)', async () => {
    const set = loadRulesFromText([
      `title: A\nlogsource: {product: windows}\ndetection:\n  selection:\n    Image|endswith: ['\\certutil.exe', '\\bitsadmin.exe']\n  filter:\n    User: 'SYSTEM'\n  condition: selection and not filter\n`,
      `title: K\nlogsource: {product: windows}\ndetection:\n  keywords: ['evil', 'bad thing']\n  condition: keywords\n`,
    ]);
    const events = [{ Image: 'C:\\Windows\\bitsadmin.exe', User: 'alice' }, { a: { b: ['x', 'an EVIL payload'] } }];
    const matcher = await Matcher.create(writeArtifact(compileRules(set.rules)), { wasm: wasmModule() });
    expect(readArtifact(writeArtifact(compileRules(set.rules))).shapes.length).toBe(2);
    const hits = matcher.match(events);
    expect(hits.length).toBe(2);
    expect(matcher.explain(events, hits)).toEqual(hits.map((h) => explainMatch(set.rules[h.rule], events[h.event])));
  });

  const load = loadScenarioRules;
  const loadRulesOf = (texts: string[]) => load(texts).rules;
  const property = (s: Scenario): Promise<void> =>
    (async () => {
      const set = load(s.texts);
      for (const prefilter of [true, false]) await compare(set.rules, s.events, { nullMatchesAbsent: s.nullMatchesAbsent, prefilter });
    })();

  test('generated rule sets and events', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb(loadRulesOf), property), runs(100));
  }, TIMEOUT);

  test('generated keyword searches', async () => {
    const ruleSets = ruleArbs.ruleSets({ defs: ruleArbs.keywordDef, maxRules: 4 });
    await fc.assert(fc.asyncProperty(scenarioArb(loadRulesOf, { ruleSets, maxEvents: 15 }), property), runs(60));
  }, TIMEOUT);

  test('generated evtx_dump events', async () => {
    const ruleSets = rulesOver(EVTX_FIELDS).ruleSets({ maxRules: 4 });
    await fc.assert(fc.asyncProperty(scenarioArb(loadRulesOf, { ruleSets, events: evtxEventArb, maxEvents: 15 }), property), runs(60));
  }, TIMEOUT);
});
