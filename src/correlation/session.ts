/**
 * Correlations over a stream of hits: what a matcher (the WASM VM or the reference evaluator) found for each event
 * goes in, in event order; the hits to report come out, with correlation alerts as hits of their own and the hits of
 * rules that only feed correlations (`generate: false`) left out. Both `Matcher` and the CLI drive one of these.
 *
 * An alert is a hit whose `rule` is the number of rules plus the correlation's index (so a list of rules followed by
 * the correlations describes every hit), whose `event` and `line` are those of the event that completed it, and whose
 * `correlation` member says what fired.
 */
import type { EventView, FieldValues } from '../eval/event.js';
import { eventView } from '../eval/reference.js';
import type { CorrelationType } from '../rule/model.js';
import { CorrelationEngine, type CorrelationAlert, type CorrelationOptions, type CorrelationStats } from './engine.js';
import type { CorrelationPlan } from './plan.js';
import { restoreEngine, snapshotEngine } from './snapshot.js';
import { formatTime, type FieldSource } from './time.js';
import type { EventRef, GroupValue } from './window.js';

/** A hit as matchers report it. */
export interface BaseHit {
  event: number;
  rule: number;
  line?: number;
}

/** What a correlation alert says. */
export interface CorrelationMatch {
  /** Index of the correlation in the plan (and in `Matcher.correlations`). */
  index: number;
  type: CorrelationType;
  group: Record<string, GroupValue>;
  /** The aggregated value the condition compared. */
  value: number;
  /** The completing event's time, and the times of the window's oldest and newest entries (ISO 8601, UTC). */
  time: string;
  first: string;
  last: string;
  /** The input the completing event came from (when the caller named its inputs). */
  input?: string;
  /** The window's events when it fired (option events: 'refs'). */
  events?: EventRef[];
}

export interface AlertHit extends BaseHit {
  correlation: CorrelationMatch;
}

/** Whether a reported hit is a correlation alert. */
export function isAlertHit(hit: BaseHit): hit is AlertHit {
  return (hit as AlertHit).correlation !== undefined;
}

export interface SessionOptions extends CorrelationOptions {
  /** Report the hits of rules that only feed correlations too (as if every correlation said `generate: true`). */
  emitBaseHits?: boolean;
}

export class CorrelationSession {
  readonly engine: CorrelationEngine;
  private readonly reported: readonly boolean[];
  /** Alerts of the event being processed (reused). */
  private readonly alerts: CorrelationAlert[] = [];
  /** The rules of the event being processed (reused). */
  private readonly rules: number[] = [];

  /**
   * @param plan the correlations planned over the matcher's rules (planCorrelations)
   * @param ruleCount how many rules the matcher has: alert hits number their correlation after them
   */
  constructor(
    readonly plan: CorrelationPlan,
    readonly ruleCount: number,
    options: SessionOptions = {},
  ) {
    this.engine = new CorrelationEngine(plan, options);
    this.reported = plan.ruleEmits.map((e) => e || options.emitBaseHits === true);
  }

  get stats(): CorrelationStats {
    return this.engine.stats;
  }

  /** Whether rule `rule`'s own hits are reported. */
  emits(rule: number): boolean {
    return this.reported[rule] ?? true;
  }

  /**
   * The hits of a batch of events, in event order (hits of one event together). `sourceOf` reads the fields of a
   * hit's event (`eventSource(object)` for a parsed JSON event); it is asked only for events with a hit some
   * correlation counts. `input` names the input in alerts' references (or names each event's, from its first hit:
   * a stream consumer names the entry, which outlives the event's index in a snapshot). Returns the hits to report:
   * each event's own reported hits, then the alerts it completed.
   */
  process<H extends BaseHit>(hits: readonly H[], sourceOf: (hit: H) => FieldSource, input?: string | ((hit: H) => string | undefined)): (H | AlertHit)[] {
    const out: (H | AlertHit)[] = [];
    const rules = this.rules;
    const alerts = this.alerts;
    for (let i = 0; i < hits.length; ) {
      const first = hits[i];
      let counted = false;
      let n = 0;
      for (; i < hits.length && hits[i].event === first.event; i++) {
        const h = hits[i];
        rules[n++] = h.rule;
        if (!counted && this.engine.counts(h.rule)) counted = true;
        if (this.reported[h.rule] ?? true) out.push(h);
      }
      if (!counted) continue;
      // Truncating an array is a call into the runtime: done only when the event has fewer rules than the last.
      if (rules.length !== n) rules.length = n;
      const source = sourceOf(first);
      const ref: EventRef = { event: first.event };
      if (first.line !== undefined) ref.line = first.line;
      const name = typeof input === 'function' ? input(first) : input;
      if (name !== undefined) ref.input = name;
      this.engine.observe(ref, rules, source, alerts);
      if (alerts.length === 0) continue;
      for (const a of alerts) {
        const hit = this.alertHit(a);
        if (hit) out.push(hit);
      }
      alerts.length = 0;
    }
    return out;
  }

  /** End of the stream: the alerts of events still waiting for later ones (maxLateness). */
  flush(): AlertHit[] {
    return this.engine.flush().flatMap((a) => this.alertHit(a) ?? []);
  }

  /** The whole correlation state, versioned and checksummed (see snapshot.ts). */
  snapshot(): Uint8Array<ArrayBuffer> {
    return snapshotEngine(this.engine);
  }

  /** Continue from a snapshot of a session over the same correlations; throws a SnapshotError when it does not fit. */
  restore(bytes: Uint8Array): void {
    restoreEngine(this.engine, bytes);
  }

  private alertHit(a: CorrelationAlert): AlertHit | null {
    const c = this.plan.correlations[a.correlation];
    if (!c.emits) return null;
    const match: CorrelationMatch = {
      index: a.correlation,
      type: c.type,
      group: a.group,
      value: a.value,
      time: formatTime(a.time),
      first: formatTime(a.first),
      last: formatTime(a.last),
      ...(a.ref.input !== undefined ? { input: a.ref.input } : {}),
      ...(a.events ? { events: a.events } : {}),
    };
    return { event: a.ref.event, rule: this.ruleCount + a.correlation, ...(a.ref.line !== undefined ? { line: a.ref.line } : {}), correlation: match };
  }
}

/**
 * The fields of a parsed JSON event as matching reads them (evtx_dump-shaped events through the evtx mapping), with
 * the fast path for top-level scalars: most correlation fields are flat strings or numbers of flat events.
 */
export function eventSource(event: unknown, evtx = true): FieldSource {
  return new ObjectSource(event, evtx);
}

class ObjectSource implements FieldSource {
  private view: EventView | null = null;

  constructor(
    private readonly event: unknown,
    private readonly evtx: boolean,
  ) {}

  field(name: string): FieldValues {
    return (this.view ??= eventView(this.event, this.evtx)).field(name);
  }

  scalar(name: string): string | number | boolean | undefined {
    // An own property of the event itself: in evtx shape the only one is Event, an object, so never a scalar here.
    const e = this.event;
    if (typeof e !== 'object' || e === null || !Object.hasOwn(e, name)) return undefined;
    const v = (e as Record<string, unknown>)[name];
    return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : undefined;
  }
}
