/**
 * The correlation conformance table: each case is a rule set (rules and correlations, YAML), a stream of events with
 * times, the options of the run, and what must come out: the alerts in order (which correlation, which event
 * completed it, its group and aggregated value) and the rules whose own hits are reported. Every engine runs every
 * case (reference evaluator, WASM over objects, WASM over bytes).
 *
 * A sibling of the detection table (../types.ts) rather than part of it: a detection case answers "which events does
 * each rule match", one event at a time; a correlation case needs a stream in time order, run options, alerts with
 * groups and values, statistics (late events, evictions) and the generate semantics of base hits, none of which
 * that shape can say.
 */
import type { CorrelationStats, GroupValue, SessionOptions } from '../../../src/correlation/index.js';

export interface ExpectedAlert {
  /** The correlation's title. */
  title: string;
  /** Index of the event that completed it. */
  event: number;
  /** The aggregated value (checked when given). */
  value?: number;
  /** The group (checked when given). */
  group?: Record<string, GroupValue>;
  /** With options.events 'refs': the indices of the window's events. */
  events?: number[];
}

export interface CorrelationCase {
  /** Unique within its group, kebab-case. */
  name: string;
  /** What the case proves (specification section, README Semantics row, or the contract). */
  spec: string;
  /** Rules and correlations, YAML documents. */
  rules: string;
  events: unknown[];
  /** Every alert reported, in order. */
  alerts: ExpectedAlert[];
  /** Rule title -> events whose hits of that rule are reported; rules not listed report none. */
  reported?: Record<string, number[]>;
  options?: SessionOptions;
  /** A correlation of the set has this load or plan error (it is left out; the rest still runs). */
  error?: 'INVALID_CORRELATION' | 'CORRELATION_REFERENCE';
  /** Statistics checked when given. */
  stats?: Partial<CorrelationStats>;
}

export interface CorrelationGroup {
  /** e.g. 'correlations/event-count'. */
  group: string;
  cases: CorrelationCase[];
}
