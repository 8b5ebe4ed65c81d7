/**
 * The engines every conformance case runs against. Each takes a loaded rule set and events and answers, per rule,
 * which events match. Every case must give the same answer on all of them.
 */
import '../../src/index.js'; // registers the Node loader of build/sigmatch.wasm
import { ReferenceEvaluator } from '../../src/eval/reference.js';
import type { RuleSet } from '../../src/rule/load.js';
import { Matcher, type Hit } from '../../src/runtime/matcher.js';

export interface EngineOptions {
  nullMatchesAbsent?: boolean;
  /** The bytes engine scans this instead of the events as NDJSON (ConformanceCase.bytesInput). */
  bytesInput?: string | Uint8Array;
}

export interface Engine {
  name: string;
  /** matches[r] = sorted indices of the events rule r matches. */
  run(set: RuleSet, events: readonly unknown[], options: EngineOptions): Promise<number[][]>;
}

function perRule(ruleCount: number, hits: readonly Hit[]): number[][] {
  const out: number[][] = Array.from({ length: ruleCount }, () => []);
  for (const h of hits) out[h.rule].push(h.event);
  return out.map((events) => [...new Set(events)].sort((a, b) => a - b));
}

export const referenceEngine: Engine = {
  name: 'reference',
  async run(set, events, options) {
    const evaluator = new ReferenceEvaluator(set.rules, { nullMatchesAbsent: options.nullMatchesAbsent ?? true });
    return set.rules.map((_, r) => events.flatMap((e, i) => (evaluator.matches(r, e) ? [i] : [])));
  },
};

/** The WASM VM fed JS objects (the host encodes the referenced fields into records). */
export const wasmObjectsEngine: Engine = {
  name: 'wasm-objects',
  async run(set, events, options) {
    const matcher = await Matcher.create(set.rules, { nullMatchesAbsent: options.nullMatchesAbsent ?? true });
    return perRule(set.rules.length, matcher.match(events));
  },
};

/** The WASM VM reading the events as NDJSON bytes itself. */
export const wasmBytesEngine: Engine = {
  name: 'wasm-bytes',
  async run(set, events, options) {
    const matcher = await Matcher.create(set.rules, { nullMatchesAbsent: options.nullMatchesAbsent ?? true });
    const ndjson = options.bytesInput ?? events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const result = matcher.scanBytes(ndjson);
    if (result.notes.length > 0) throw new Error(`wasm-bytes: input notes ${JSON.stringify(result.notes)}`);
    if (result.events !== events.length) throw new Error(`wasm-bytes: read ${result.events} of ${events.length} events`);
    return perRule(set.rules.length, result.hits);
  },
};

export const engines: Engine[] = [referenceEngine, wasmObjectsEngine, wasmBytesEngine];
