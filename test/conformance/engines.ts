/**
 * The engines every conformance case runs against. Each takes a loaded rule set and events and answers, per rule,
 * which events match. Engines join this list as the project grows; every case must give the same answer on all.
 */
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import type { RuleSet } from '../../src/rule/load.js';

export interface EngineOptions {
  nullMatchesAbsent?: boolean;
}

export interface Engine {
  name: string;
  /** matches[r] = sorted indices of the events rule r matches. */
  run(set: RuleSet, events: readonly unknown[], options: EngineOptions): Promise<number[][]>;
}

export const referenceEngine: Engine = {
  name: 'reference',
  async run(set, events, options) {
    const evaluator = new ReferenceEvaluator(set.rules, { nullMatchesAbsent: options.nullMatchesAbsent ?? true });
    return set.rules.map((_, r) => events.flatMap((e, i) => (evaluator.matches(r, e) ? [i] : [])));
  },
};

export const engines: Engine[] = [referenceEngine];
