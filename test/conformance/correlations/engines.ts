/**
 * The engines every correlation case runs on. Each loads the case's rules, matches the events and feeds a
 * correlation session, and answers with the reported hits in order: base hits by rule title, alerts by correlation
 * title with their values, groups and event references.
 */
import '../../../src/index.js'; // registers the Node loader of build/sigmatch.wasm
import { CorrelationSession, eventSource, planCorrelations, type AlertHit, type CorrelationStats, type SessionOptions } from '../../../src/correlation/index.js';
import { ReferenceEvaluator } from '../../../src/eval/reference.js';
import type { SigmaError } from '../../../src/rule/errors.js';
import { loadRulesFromText } from '../../../src/rule/load.js';
import { Matcher, type Hit } from '../../../src/runtime/matcher.js';
import { compileRuleSet } from '../../../src/runtime/compile-set.js';
import { writeArtifact } from '../../../src/compiler/artifact.js';

export interface ReportedHit {
  title: string;
  event: number;
  alert?: AlertHit['correlation'];
}

export interface EngineResult {
  errors: SigmaError[];
  hits: ReportedHit[];
  stats: CorrelationStats;
}

export interface CorrelationEngineUnderTest {
  name: string;
  run(rules: string, events: readonly unknown[], options: SessionOptions): Promise<EngineResult>;
}

/** Hits as the table compares them: by title, alerts with what they say. */
function reported(hits: readonly { event: number; rule: number; correlation?: AlertHit['correlation'] }[], titles: readonly string[]): ReportedHit[] {
  return hits.map((h) => ({ title: titles[h.rule], event: h.event, ...(h.correlation ? { alert: h.correlation } : {}) }));
}

/** The reference evaluator's hits, fed to a correlation session. */
export const referenceEngine: CorrelationEngineUnderTest = {
  name: 'reference',
  async run(rules, events, options) {
    const set = loadRulesFromText(rules);
    const plan = planCorrelations(set.rules, set.correlations);
    const session = new CorrelationSession(plan, set.rules.length, options);
    const evaluator = new ReferenceEvaluator(set.rules);
    const hits = events.flatMap((e, i) => evaluator.match(e).map((m) => ({ event: i, rule: m.index })));
    const out = [...session.process(hits, (h) => eventSource(events[h.event])), ...session.flush()];
    const titles = [...set.rules.map((r) => r.title), ...plan.correlations.map((c) => c.source.title)];
    return {
      errors: [...set.errors, ...plan.errors],
      hits: reported(out, titles),
      stats: session.stats,
    };
  },
};

function matcherResult(matcher: Matcher, hits: readonly Hit[], errors: readonly SigmaError[] = matcher.errors): EngineResult {
  const titles = [...matcher.rules.map((r) => r.title), ...matcher.correlations.map((c) => c.title)];
  return { errors: [...errors], hits: reported(hits, titles), stats: matcher.correlationStats ?? emptyStats() };
}

function emptyStats(): CorrelationStats {
  return { eventsWithoutTime: 0, lateEvents: 0, missingValues: 0, evictedGroups: 0, evictedEntries: 0, suppressedAlerts: 0, releasedEarly: 0, alerts: 0 };
}

/** Matcher.match over the event objects (the VM's objects path), then flush. */
export const wasmObjectsEngine: CorrelationEngineUnderTest = {
  name: 'wasm-objects',
  async run(rules, events, options) {
    const matcher = await Matcher.create(rules, { correlation: options });
    return matcherResult(matcher, [...matcher.match(events), ...matcher.flush()]);
  },
};

/** The events as NDJSON bytes, pushed in chunks of 7 bytes (records cut anywhere), then flush. */
function scanBytes(matcher: Matcher, events: readonly unknown[], engine: string): Hit[] {
  const bytes = new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const session = matcher.scanner();
  const hits: Hit[] = [];
  for (let at = 0; at < bytes.length; at += 7) hits.push(...session.push(bytes.subarray(at, at + 7)).hits);
  hits.push(...session.end().hits, ...matcher.flush());
  if (session.events !== events.length) throw new Error(`${engine}: read ${session.events} of ${events.length} events`);
  if (hits.some((h) => h.record !== undefined)) throw new Error(`${engine}: records leaked into hits the caller did not ask to keep`);
  return hits;
}

export const wasmBytesEngine: CorrelationEngineUnderTest = {
  name: 'wasm-bytes',
  async run(rules, events, options) {
    const matcher = await Matcher.create(rules, { correlation: options });
    return matcherResult(matcher, scanBytes(matcher, events, 'wasm-bytes'));
  },
};

/**
 * The rules compiled into a .sigc artifact (as `sigmatch compile --time-field` does) and loaded back from its bytes:
 * the correlations must come through the artifact whole. Load and plan errors are those of compiling.
 */
async function fromArtifact(rules: string, options: SessionOptions): Promise<{ matcher: Matcher; errors: SigmaError[] }> {
  const set = loadRulesFromText(rules);
  const built = compileRuleSet(set.rules, set.correlations, options.timeFields ?? []);
  const matcher = await Matcher.create(writeArtifact(built.compiled), { correlation: options });
  return { matcher, errors: [...set.errors, ...built.errors, ...matcher.errors] };
}

export const artifactObjectsEngine: CorrelationEngineUnderTest = {
  name: 'artifact-objects',
  async run(rules, events, options) {
    const { matcher, errors } = await fromArtifact(rules, options);
    return matcherResult(matcher, [...matcher.match(events), ...matcher.flush()], errors);
  },
};

export const artifactBytesEngine: CorrelationEngineUnderTest = {
  name: 'artifact-bytes',
  async run(rules, events, options) {
    const { matcher, errors } = await fromArtifact(rules, options);
    return matcherResult(matcher, scanBytes(matcher, events, 'artifact-bytes'), errors);
  },
};

export const correlationEngines: CorrelationEngineUnderTest[] = [referenceEngine, wasmObjectsEngine, wasmBytesEngine, artifactObjectsEngine, artifactBytesEngine];
