/**
 * The SigmaHQ regression samples: each test's rule matches at least `match_count` of its events, with the rule
 * loaded alone and with the whole corpus loaded (a rule set must not change what one rule matches).
 */
import { describe, expect, test } from 'vitest';
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import { loadRules } from '../../src/rule/files.js';
import type { SigmaRule } from '../../src/rule/model.js';
import { CORPUS_PATHS, corpusAvailable, loadRegressionTests } from '../support/corpus.js';

describe.runIf(corpusAvailable())('SigmaHQ regression samples (reference evaluator)', () => {
  const tests = loadRegressionTests();
  const corpus = loadRules(CORPUS_PATHS);
  const byId = new Map<string, number>(corpus.rules.map((r, i) => [r.id ?? '', i]));
  const whole = new ReferenceEvaluator(corpus.rules);

  test('every sample file reads without input errors', () => {
    expect(tests.length).toBe(96);
    expect(tests.filter((t) => t.inputErrors > 0).map((t) => t.name)).toEqual([]);
  });

  test.each(tests.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    const index = byId.get(t.ruleId);
    expect(index, `rule ${t.ruleId} is in the corpus`).toBeDefined();
    const rule: SigmaRule = corpus.rules[index!];
    const alone = new ReferenceEvaluator([rule]);
    const aloneCount = t.events.filter((e) => alone.matches(0, e.event)).length;
    expect(aloneCount, 'rule alone').toBeGreaterThanOrEqual(t.matchCount);
    const wholeCount = t.events.filter((e) => whole.match(e.event).some((m) => m.index === index)).length;
    expect(wholeCount, 'whole corpus').toBe(aloneCount);
  });
});
