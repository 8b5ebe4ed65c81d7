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

function matcherResult(matcher: Matcher, hits: readonly Hit[]): EngineResult {
  const titles = [...matcher.rules.map((r) => r.title), ...matcher.correlations.map((c) => c.title)];
  return { errors: [...matcher.errors], hits: reported(hits, titles), stats: matcher.correlationStats ?? emptyStats() };
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
export const wasmBytesEngine: CorrelationEngineUnderTest = {
  name: 'wasm-bytes',
  async run(rules, events, options) {
    const matcher = await Matcher.create(rules, { correlation: options });
    const bytes = new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const session = matcher.scanner();
    const hits: Hit[] = [];
    for (let at = 0; at < bytes.length; at += 7) hits.push(...session.push(bytes.subarray(at, at + 7)).hits);
    hits.push(...session.end().hits, ...matcher.flush());
    if (session.events !== events.length) throw new Error(`wasm-bytes: read ${session.events} of ${events.length} events`);
    if (hits.some((h) => h.record !== undefined)) throw new Error('wasm-bytes: records leaked into hits the caller did not ask to keep');
    return matcherResult(matcher, hits);
  },
};

export const correlationEngines: CorrelationEngineUnderTest[] = [referenceEngine, wasmObjectsEngine, wasmBytesEngine];
