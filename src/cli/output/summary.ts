/**
 * The end-of-scan summary on stderr: events and speed, matched events, hits by level, the rules that fired most,
 * malformed records, rules skipped (errors by code) and, with pipelines, how many rules are routed to their log source.
 * The first line keeps the one-line form scripts may already read (`sigmatch: N events, H hits from R rules`).
 */
import { painter } from './ansi.js';
import { formatBytes, formatCount, formatRate } from './progress.js';
import type { OutputHit } from './types.js';

export interface ScanTotals {
  events: number;
  /** Wall time of the scan (start-up excluded: see `startup`). */
  seconds: number;
  /** The most threads an input was scanned on. */
  threads?: number;
  /** Where the time before the scan went, and the process's wall time from its start to the summary. */
  startup?: StartupTimes;
  /** Bytes of input read (optional). */
  bytes?: number;
  /** Malformed records (reported on stderr as they were met). */
  malformed: number;
  /** Notes about .evtx files (damaged chunks and records, dirty files), by code. */
  evtxNotes?: Readonly<Record<string, number>>;
  /** Rules scanned. */
  rules: number;
  /** Errors of the rules that were skipped (load errors, pipeline rejections). */
  ruleErrors?: readonly { code: string }[];
  /** With pipelines: rules routed to their log source, and the rest (which meet every event). */
  routed?: number;
  unrouted?: number;
  /** Of `unrouted`, rules of products no pipeline routes (kept off the events the pipelines identify). */
  foreign?: number;
  pipelines?: readonly string[];
  /** With correlation rules: how many ran and what their state saw. */
  correlation?: CorrelationTotals;
  /** More labelled lines (the timeline options: rules excluded, hits outside --from/--to). */
  extra?: readonly { label: string; text: string }[];
}

export interface StartupTimes {
  /** Seconds finding, reading and parsing the rules and applying the pipelines (with the cache: reading the entry). */
  load: number;
  /** Seconds compiling the program (0 from the cache). */
  compile: number;
  /** The program came from the compile cache. */
  cached?: boolean;
  /** From the cache: the rules whose logic was rebuilt for their hits' provenance, and the seconds it took. */
  rebuilt?: { rules: number; seconds: number };
  /** Seconds from the process's start to the summary: start-up, scan and output together. */
  wall: number;
}

export interface CorrelationTotals {
  correlations: number;
  /** Alerts reported. */
  alerts: number;
  /** Events with a hit a correlation counts but no usable time (left out of correlation state). */
  eventsWithoutTime: number;
  /** Events older than one already applied (left out of correlation state). */
  lateEvents: number;
  missingValues: number;
  evictedGroups: number;
  evictedEntries: number;
  suppressedAlerts: number;
  /** Events applied before their lateness had passed (--max-pending). */
  releasedEarly: number;
  /** The correlation state file (--state), when one was used. */
  stateFile?: string;
}

export interface RuleHits {
  title: string;
  id?: string;
  level?: string;
  author?: string;
  hits: number;
}

export interface SummaryData extends ScanTotals {
  hits: number;
  /** Distinct events with at least one hit. */
  matchedEvents: number;
  /** Hits per rule level (`unknown` for rules without one). */
  byLevel: Record<string, number>;
  /** Rules by hits, most first (ties: first seen first). */
  topRules: RuleHits[];
}

export const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'] as const;

/**
 * Counts hits as the scan reports them. Hits arrive grouped by event (both engines report in event order), so an
 * event is counted as matched when its key differs from the previous hit's.
 */
export class SummaryCollector {
  private hitCount = 0;
  private matched = 0;
  private lastEvent: string | null = null;
  private readonly levels: Record<string, number> = {};
  private readonly rules = new Map<string, RuleHits>();

  hit(h: OutputHit): void {
    this.hitCount++;
    const eventKey = `${h.file ?? ''}\u0000${h.event}`;
    if (eventKey !== this.lastEvent) {
      this.matched++;
      this.lastEvent = eventKey;
    }
    const level = h.rule.level ?? 'unknown';
    this.levels[level] = (this.levels[level] ?? 0) + 1;
    const key = h.rule.id ?? h.rule.title;
    const known = this.rules.get(key);
    if (known) known.hits++;
    else this.rules.set(key, { title: h.rule.title, id: h.rule.id, level: h.rule.level, author: h.rule.author, hits: 1 });
  }

  get hits(): number {
    return this.hitCount;
  }

  data(totals: ScanTotals): SummaryData {
    const topRules = [...this.rules.values()].sort((a, b) => b.hits - a.hits);
    return { ...totals, hits: this.hitCount, matchedEvents: this.matched, byLevel: { ...this.levels }, topRules };
  }
}

export interface SummaryFormat {
  color?: boolean;
  /** How many rules to list under "top rules" (default 5). */
  top?: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The summary as text (lines ending in newlines), for stderr. */
export function formatSummary(d: SummaryData, options: SummaryFormat = {}): string {
  const p = painter(options.color ?? false);
  const top = options.top ?? 5;
  const errors = d.ruleErrors ?? [];
  const lines: string[] = [];
  lines.push(
    `sigmatch: ${d.events} events, ${d.hits} hits from ${d.rules} rules` +
      `${errors.length > 0 ? `, ${errors.length} rule errors` : ''}` +
      `${d.malformed > 0 ? `, ${d.malformed} malformed records` : ''}`,
  );
  const label = (s: string): string => p.paint(s.padEnd(10), 'bold');
  const rate = d.seconds > 0 ? d.events / d.seconds : 0;
  const threads = d.threads !== undefined ? `, ${plural(d.threads, 'thread')}` : '';
  lines.push(`  ${label('time')}${d.seconds.toFixed(2)} s, ${formatRate(rate)} events/s${d.bytes !== undefined ? `, ${formatBytes(d.bytes)}` : ''}${threads}`);
  if (d.startup) {
    const s = d.startup;
    const rebuilt = s.rebuilt && s.rebuilt.rules > 0 ? ` (and ${s.rebuilt.seconds.toFixed(2)} s rebuilding ${plural(s.rebuilt.rules, 'rule')} for the report)` : '';
    const rules = s.cached ? `rules ${s.load.toFixed(2)} s from the compile cache${rebuilt}` : `load ${s.load.toFixed(2)} s, compile ${s.compile.toFixed(2)} s`;
    lines.push(`  ${label('start-up')}${rules}; total ${s.wall.toFixed(2)} s wall (process start to this summary)`);
  }
  lines.push(`  ${label('matched')}${plural(d.matchedEvents, 'event')} of ${formatCount(d.events)}, ${plural(d.hits, 'hit')}`);
  if (d.hits > 0) {
    const levels = [...LEVELS, ...Object.keys(d.byLevel).filter((l) => !(LEVELS as readonly string[]).includes(l))]
      .filter((l) => d.byLevel[l])
      .map((l) => `${p.level(l)} ${d.byLevel[l]}`);
    lines.push(`  ${label('levels')}${levels.join('  ')}`);
    const shown = d.topRules.slice(0, top);
    const width = Math.max(...shown.map((r) => String(r.hits).length));
    shown.forEach((r, i) => {
      const head = i === 0 ? label('top rules') : ' '.repeat(10);
      lines.push(`  ${head}${String(r.hits).padStart(width)}  ${p.level(r.level, (r.level ?? '-').padEnd(13))} ${r.title}${r.author ? ` (${r.author})` : ''}`);
    });
    if (d.topRules.length > top) lines.push(`  ${' '.repeat(10)}... and ${plural(d.topRules.length - top, 'more rule')}`);
  }
  if (d.correlation) lines.push(...correlationLines(d.correlation, label));
  if (d.malformed > 0) lines.push(`  ${label('malformed')}${plural(d.malformed, 'record')} skipped (reported above with their lines)`);
  const evtx = Object.entries(d.evtxNotes ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (evtx.length > 0) {
    const total = evtx.reduce((n, [, c]) => n + c, 0);
    lines.push(`  ${label('evtx')}${plural(total, 'note')}: ${evtx.map(([c, n]) => `${c} ${n}`).join(', ')} (reported above with their offsets)`);
  }
  if (errors.length > 0) {
    const byCode = new Map<string, number>();
    for (const e of errors) byCode.set(e.code, (byCode.get(e.code) ?? 0) + 1);
    const codes = [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c, n]) => `${c} ${n}`);
    lines.push(`  ${label('skipped')}${plural(errors.length, 'rule error')}: ${codes.join(', ')} (run sigmatch validate for details)`);
  }
  for (const e of d.extra ?? []) lines.push(`  ${label(e.label)}${e.text}`);
  if (d.pipelines && d.pipelines.length > 0) {
    lines.push(
      `  ${label('routing')}pipelines ${d.pipelines.join(', ')}: ${d.routed ?? 0} rules routed to their log source, ${d.unrouted ?? 0} not recognised by any pipeline (${unroutedText(d.unrouted ?? 0, d.foreign ?? 0)})`,
    );
  } else if (d.unrouted !== undefined && d.rules > 0) {
    lines.push(`  ${label('routing')}no pipeline: every rule meets every event (-P sysmon -P windows route Windows rules to their logs)`);
  }
  return `${lines.join('\n')}\n`;
}

/** What the unrouted rules meet: all events, except the foreign products' rules (docs/pipelines.md). */
function unroutedText(unrouted: number, foreign: number): string {
  if (foreign === 0) return 'they meet every event';
  const rest = unrouted - foreign;
  return `${foreign} of other products ${foreign === 1 ? 'meets' : 'meet'} only events no pipeline identifies, ${rest} ${rest === 1 ? 'meets' : 'meet'} every event`;
}

/** The correlation lines of the summary: alerts, then whatever left events or state out (only when it happened). */
function correlationLines(c: CorrelationTotals, label: (s: string) => string): string[] {
  const lines = [`  ${label('correlate')}${plural(c.alerts, 'alert')} from ${plural(c.correlations, 'correlation rule')}${c.suppressedAlerts > 0 ? `, ${plural(c.suppressedAlerts, 'alert')} suppressed` : ''}`];
  const left: string[] = [];
  if (c.eventsWithoutTime > 0) left.push(`${plural(c.eventsWithoutTime, 'event')} without a usable time (--time-field, --time-fallback now)`);
  if (c.lateEvents > 0) left.push(`${plural(c.lateEvents, 'late event')} (--max-lateness)`);
  if (c.missingValues > 0) left.push(`${plural(c.missingValues, 'hit')} without a value in the aggregated field`);
  if (left.length > 0) lines.push(`  ${' '.repeat(10)}left out: ${left.join(', ')}`);
  const evicted: string[] = [];
  if (c.evictedGroups > 0) evicted.push(`${plural(c.evictedGroups, 'group')} (--max-groups)`);
  if (c.evictedEntries > 0) evicted.push(`${plural(c.evictedEntries, 'window entry', 'window entries')} (--max-group-entries)`);
  if (c.releasedEarly > 0) evicted.push(`${plural(c.releasedEarly, 'waiting event')} applied early (--max-pending)`);
  if (evicted.length > 0) lines.push(`  ${' '.repeat(10)}evicted: ${evicted.join(', ')}`);
  if (c.stateFile) lines.push(`  ${' '.repeat(10)}state saved to ${c.stateFile}`);
  return lines;
}
