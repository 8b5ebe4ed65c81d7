/**
 * Correlation rules in `sigmatch scan`: the options, which rules and correlations run (a selected correlation brings
 * the rules it references), the session that turns each input's hits into the hits to report, the state file
 * (--state) and the summary's counters. scan.ts calls these at its few correlation points.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  CorrelationSession,
  isAlertHit,
  planCorrelations,
  SnapshotError,
  type AlertHit,
  type BaseHit,
  type CorrelationMatch,
  type FieldSource,
  type ReferencedRule,
  type SessionOptions,
} from '../correlation/index.js';
import type { SigmaError } from '../rule/errors.js';
import { parseDuration } from '../rule/duration.js';
import type { RuleSet } from '../rule/load.js';
import type { SigmaCorrelation, SigmaRule } from '../rule/model.js';
import { CliError } from './common.js';
import type { CorrelationTotals, OutputCorrelation } from './output/index.js';

/** parseArgs options of the correlation settings. */
export const CORRELATION_OPTIONS = {
  'time-field': { type: 'string', multiple: true },
  'time-fallback': { type: 'string' },
  'max-lateness': { type: 'string' },
  'emit-base-hits': { type: 'boolean', default: false },
  'correlation-events': { type: 'string' },
  'correlation-action': { type: 'string' },
  suppress: { type: 'string' },
  window: { type: 'string' },
  gap: { type: 'string' },
  'max-groups': { type: 'string' },
  'max-group-entries': { type: 'string' },
  'max-pending': { type: 'string' },
  'max-state-mib': { type: 'string' },
  state: { type: 'string' },
} as const;

export const CORRELATION_HELP = `Correlations (Sigma correlation rules among the --rules or in the --compiled set; every one of these is optional):
      --time-field <name>     a field holding the event time, tried before @timestamp, timestamp, UtcTime and the
                              evtx SystemTime; repeatable or comma-separated
      --time-fallback <skip|now>  events without a usable time: left out of correlations (skip, the default) or
                              stamped with the clock (now)
      --max-lateness <dur>    how far behind the latest time an event may arrive and still be put in time order
                              (default 0s; durations as in Sigma: 30s, 5m, 1h, 2d)
      --emit-base-hits        report the hits of rules that only feed correlations (generate: false) too
      --correlation-events <none|refs>  alerts list the events of their window (refs) or not (none, the default)
      --correlation-action <alert|reset>  after an alert keep the group's window (alert) or clear it (reset)
      --suppress <dur>        a group alerts again only this long after its last alert
      --window <sliding|tumbling|session>  how windows follow the stream (default sliding); --gap <dur> for sessions
      --max-groups <n>        groups held at once (default 100000; the least recently updated leaves first)
      --max-group-entries <n> events one group's window holds (default 10000; the oldest leaves first)
      --max-pending <n>       events waiting within --max-lateness (default 100000; beyond it the earliest is
                              applied at once)
      --max-state-mib <n>     estimated MiB of correlation state kept (default 256; beyond it the least recently
                              updated groups leave)
      --state <file>          load the correlation state from file (when it exists) and save it there at the end, so
                              the next run continues where this one stopped (events still waiting within
                              --max-lateness stay in the state)
  A correlation document's own sigmatch.action, sigmatch.suppress, sigmatch.window and sigmatch.gap win over these.
`;

type Values = Partial<{
  'time-field': string[];
  'time-fallback': string;
  'max-lateness': string;
  'emit-base-hits': boolean;
  'correlation-events': string;
  'correlation-action': string;
  suppress: string;
  window: string;
  gap: string;
  'max-groups': string;
  'max-group-entries': string;
  'max-pending': string;
  'max-state-mib': string;
  state: string;
}>;

function duration(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === null) throw new CliError(`scan: --${option} takes a duration such as 30s, 5m, 1h or 2d, got "${text}"`);
  return seconds;
}

function count(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`scan: --${option} takes a whole number of 1 or more, got "${text}"`);
  return n;
}

const BYTES_PER_MIB = 1024 * 1024;

function mebibytes(text: string | undefined): number | undefined {
  const n = count('max-state-mib', text);
  return n === undefined ? undefined : n * BYTES_PER_MIB;
}

function oneOf<T extends string>(option: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!allowed.includes(text as T)) throw new CliError(`scan: --${option} takes ${allowed.join(' or ')}, got "${text}"`);
  return text as T;
}

/** The run's correlation settings from the command line. */
export function correlationSettings(values: Values): SessionOptions {
  const options: SessionOptions = {
    timeFields: values['time-field'] ?? [],
    timeFallback: oneOf('time-fallback', values['time-fallback'], ['skip', 'now'] as const),
    maxLateness: duration('max-lateness', values['max-lateness']),
    emitBaseHits: values['emit-base-hits'] ?? false,
    events: oneOf('correlation-events', values['correlation-events'], ['none', 'refs'] as const),
    action: oneOf('correlation-action', values['correlation-action'], ['alert', 'reset'] as const),
    suppress: duration('suppress', values.suppress),
    window: oneOf('window', values.window, ['sliding', 'tumbling', 'session'] as const),
    gap: duration('gap', values.gap),
    maxGroups: count('max-groups', values['max-groups']),
    maxGroupEntries: count('max-group-entries', values['max-group-entries']),
    maxPending: count('max-pending', values['max-pending']),
    maxStateBytes: mebibytes(values['max-state-mib']),
  };
  if (options.gap !== undefined && options.window !== 'session') throw new CliError('scan: --gap applies to session windows (--window session)');
  return options;
}

/** Whether any correlation option was given (they need correlation rules). */
export function correlationOptionsGiven(values: Values): boolean {
  return Object.entries(values).some(([k, v]) => k in CORRELATION_OPTIONS && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0));
}

export interface Selected {
  rules: SigmaRule[];
  correlations: SigmaCorrelation[];
  /** Whether each rule, then each correlation (in that order), was selected itself (its hits are shown). */
  shown: boolean[];
}

/**
 * The rules and correlations a run evaluates: the selected ones, and every rule or correlation a selected correlation
 * references (directly or through chains), which run to feed it but show no hits of their own.
 */
export function selectWithCorrelations(set: Pick<RuleSet, 'rules' | 'correlations'>, selected: (doc: SigmaRule | SigmaCorrelation) => boolean): Selected {
  const byName = new Map<string, (SigmaRule | SigmaCorrelation)[]>();
  for (const d of [...set.rules, ...set.correlations]) {
    for (const key of new Set([d.id, d.name])) if (key !== undefined) byName.set(key, [...(byName.get(key) ?? []), d]);
  }
  const needed = new Set<SigmaRule | SigmaCorrelation>();
  const visit = (d: SigmaRule | SigmaCorrelation): void => {
    if (needed.has(d)) return;
    needed.add(d);
    if (d.kind === 'correlation') for (const ref of d.rules) for (const t of byName.get(ref) ?? []) visit(t);
  };
  for (const d of [...set.rules, ...set.correlations]) if (selected(d)) visit(d);
  const rules = set.rules.filter((r) => needed.has(r));
  const correlations = set.correlations.filter((c) => needed.has(c));
  return { rules, correlations, shown: [...rules, ...correlations].map(selected) };
}

/** The correlations of a scan: their session, state file and counters. */
export class ScanCorrelations {
  readonly session: CorrelationSession;
  /** The correlations that run, in alert index order. */
  readonly correlations: readonly SigmaCorrelation[];

  private constructor(
    session: CorrelationSession,
    private readonly shown: readonly boolean[],
    private readonly stateFile: string | undefined,
  ) {
    this.session = session;
    this.correlations = session.plan.correlations.map((c) => c.source);
  }

  /**
   * The correlations of a selection, with their plan errors (reported like rule errors), or null when there are
   * none; loads the state file when it exists.
   */
  static create(
    selection: { rules: readonly ReferencedRule[]; correlations: readonly SigmaCorrelation[]; shown: readonly boolean[] },
    options: SessionOptions,
    stateFile: string | undefined,
  ): { correlations: ScanCorrelations | null; errors: SigmaError[] } {
    const plan = planCorrelations(selection.rules, selection.correlations);
    if (plan.correlations.length === 0) {
      if (stateFile !== undefined) throw new CliError('scan: --state needs correlation rules among the --rules (none loaded)');
      return { correlations: null, errors: plan.errors };
    }
    const planned = new Set(plan.correlations.map((c) => c.source));
    const shown = [...selection.shown.slice(0, selection.rules.length), ...selection.correlations.flatMap((c, i) => (planned.has(c) ? [selection.shown[selection.rules.length + i]] : []))];
    const session = new CorrelationSession(plan, selection.rules.length, options);
    if (stateFile !== undefined && existsSync(stateFile)) {
      try {
        session.restore(readFileSync(stateFile));
      } catch (e) {
        if (e instanceof SnapshotError) throw new CliError(`scan: ${stateFile}: ${e.message} (${e.code})`);
        throw new CliError(`scan: cannot read the state file ${stateFile}: ${(e as Error).message}`);
      }
    }
    return { correlations: new ScanCorrelations(session, shown, stateFile), errors: plan.errors };
  }

  /** Alerts reported so far. */
  private reported = 0;

  /**
   * One input's hits (in event order) -> the hits to show: rule hits as `generate` and the selection say, and the
   * alerts of selected correlations. `input` names the file in alerts' references (undefined for stdin).
   */
  process<H extends BaseHit>(hits: readonly H[], sourceOf: (hit: H) => FieldSource, input: string | undefined): (H | AlertHit)[] {
    return this.keepShown(this.session.process(hits, sourceOf, input));
  }

  private keepShown<H extends BaseHit>(hits: (H | AlertHit)[]): (H | AlertHit)[] {
    const out = hits.filter((h) => this.shown[h.rule] ?? true);
    for (const h of out) if (isAlertHit(h)) this.reported++;
    return out;
  }

  /** End of the run: without a state file, the alerts of events still waiting for later ones; then save the state. */
  finish(): AlertHit[] {
    if (this.stateFile === undefined) return this.keepShown(this.session.flush()) as AlertHit[];
    const temporary = `${this.stateFile}.tmp-${process.pid}`;
    try {
      writeFileSync(temporary, this.session.snapshot());
      renameSync(temporary, this.stateFile); // a crash mid-write leaves the old state whole
    } catch (e) {
      throw new CliError(`scan: cannot write the state file ${this.stateFile}: ${(e as Error).message}`);
    }
    return [];
  }

  totals(): CorrelationTotals {
    const s = this.session.stats;
    return {
      correlations: this.correlations.length,
      alerts: this.reported,
      eventsWithoutTime: s.eventsWithoutTime,
      lateEvents: s.lateEvents,
      missingValues: s.missingValues,
      evictedGroups: s.evictedGroups,
      evictedEntries: s.evictedEntries,
      suppressedAlerts: s.suppressedAlerts,
      releasedEarly: s.releasedEarly,
      ...(this.stateFile !== undefined ? { stateFile: this.stateFile } : {}),
    };
  }
}

/** An alert as the output formats show it (event references name their file). */
export function outputCorrelation(c: CorrelationMatch): OutputCorrelation {
  return {
    type: c.type,
    group: c.group,
    value: c.value,
    first: c.first,
    last: c.last,
    ...(c.events ? { events: c.events.map((r) => ({ ...(r.input !== undefined ? { file: r.input } : {}), event: r.event, ...(r.line !== undefined ? { line: r.line } : {}) })) } : {}),
  };
}
