/**
 * The negative gate (DESIGN.md section 7): with pipelines, a rule of a foreign product is `not
 * _pipeline_other_source and (...)`, and the VM skips it, unevaluated, on an event some route identifies. Generated
 * rule sets, each rule given a foreign, routed, unrouted or no product, through the sysmon and windows pipelines,
 * over generated events of which some are made Windows events (a Sysmon process creation, a Security 4688 or a
 * Sysmon event no route covers): the WASM VM, prefilter on and off, must report the reference evaluator's hits.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { compileRules } from '../../src/compiler/compile.js';
import { applyPipelines } from '../../src/pipeline/apply.js';
import { builtinPipelines } from '../../src/pipeline/builtins.js';
import { loadRulesFromText } from '../../src/rule/load.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { PLACEHOLDERS, rules, scenarioArb, type Scenario } from './arbitraries.js';
import { describeFailure, runCase } from './harness.js';

const SCALE = Number(process.env.SIGMATCH_DIFF_RUNS ?? 1);
const TIMEOUT = 120_000 * Math.max(1, SCALE);
const PIPELINES = [...builtinPipelines('sysmon'), ...builtinPipelines('windows')];
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

/** Log sources given to the generated rules: routed, of a foreign product, of a routed product no item knows, none. */
const LOGSOURCES: SigmaRule['logsource'][] = [
  { category: 'process_creation', product: 'windows' },
  { product: 'linux' },
  { product: 'zeek', service: 'dns' },
  { category: 'file_access', product: 'windows' },
  {},
];
/** Fields that make an event one the routes identify (or, the last, a Sysmon event no route covers). */
const SOURCES: Record<string, unknown>[] = [
  { Channel: SYSMON, EventID: 1 },
  { Channel: 'Security', EventID: 4688 },
  { Channel: SYSMON, EventID: 255 },
];

const texts = new Map<string, SigmaRule[]>();
function load(list: string[]): SigmaRule[] {
  const k = list.join('\u0000');
  let loaded = texts.get(k);
  if (!loaded) {
    if (texts.size > 64) texts.clear();
    loaded = loadRulesFromText(list, { placeholders: PLACEHOLDERS }).rules;
    texts.set(k, loaded);
  }
  return loaded;
}

interface GateCase {
  scenario: Scenario;
  /** Log source of rule i: LOGSOURCES[sources[i % length]]; the first rule is always the routed one, so that the
   * pipelines know the windows product. */
  sources: number[];
  /** Event i becomes SOURCES[kinds[i]] when that is below SOURCES.length, else stays as generated. */
  kinds: number[];
}

const caseArb: fc.Arbitrary<GateCase> = fc.record({
  scenario: scenarioArb(load, { ruleSets: rules.ruleSets({ maxRules: 6 }), maxEvents: 12 }),
  sources: fc.array(fc.nat(LOGSOURCES.length - 1), { minLength: 1, maxLength: 8 }),
  kinds: fc.array(fc.nat(SOURCES.length * 2 - 1), { minLength: 12, maxLength: 12 }),
});

test('rules of foreign products skipped by their negative gate: the reference hits, prefilter on and off', async () => {
  let gated = 0;
  let identified = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async ({ scenario, sources, kinds }) => {
      const loaded = load(scenario.texts).map((r, i) => ({ ...r, logsource: i === 0 ? LOGSOURCES[0] : LOGSOURCES[sources[i % sources.length]] }));
      const applied = applyPipelines(loaded, PIPELINES);
      if (applied.errors.length > 0) return;
      gated += compileRules(applied.rules).stats.prefilter.negativelyGatedRules;
      const events = scenario.events.map((e, i) => {
        const kind = kinds[i % kinds.length];
        if (kind >= SOURCES.length || e === null || typeof e !== 'object' || Array.isArray(e)) return e;
        if (kind < 2) identified++;
        return { ...(e as Record<string, unknown>), ...SOURCES[kind] };
      });
      const options = { nullMatchesAbsent: scenario.nullMatchesAbsent, layoutSeed: scenario.layoutSeed, layouts: ['ndjson'] };
      const result = await runCase(applied.rules, events, options);
      if (result.disagreements.length > 0) throw new Error(describeFailure(scenario.texts, events, options, result));
    }),
    { numRuns: Math.max(1, Math.round(100 * SCALE)), interruptAfterTimeLimit: TIMEOUT * 0.75 },
  );
  // The property met the gate: rules behind it, and events on which it holds.
  expect(gated).toBeGreaterThan(50);
  expect(identified).toBeGreaterThan(50);
}, TIMEOUT);
