/**
 * One group's window of one correlation: the entries it holds, oldest first, and the aggregate the correlation's
 * type compares (kept up to date as entries come and go, so evaluating costs no pass over the window except for
 * temporal_ordered). The window mode decides what leaves when an entry arrives (sliding: entries older than the
 * timespan; tumbling: everything when a new bucket starts; session: everything when the gap or the session's span is
 * exceeded).
 */
import type { CorrelationType, CorrelationWindow } from '../rule/model.js';
import { ExactSum } from './exact-sum.js';
import type { PlannedCorrelation, TemporalExpression } from './plan.js';

/** Where an event is: its index in its input, and the input's name and the line where the event starts when known. */
export interface EventRef {
  event: number;
  line?: number;
  input?: string;
}

/** The value an entry contributes: a distinct-value key (value_count), a number (value_sum...), or none. */
export type EntryValue = string | number | undefined;

export interface Entry {
  /** Event time, epoch milliseconds. */
  time: number;
  /** temporal types: the positions of `rules` the event counts for (ascending). */
  positions: readonly number[];
  value: EntryValue;
  /** The contributing event, kept when alerts carry their events. */
  ref?: EventRef;
}

/** The aggregate a correlation type compares, updated entry by entry. */
interface Aggregate {
  add(e: Entry): void;
  remove(e: Entry): void;
  clear(): void;
}

class Counts implements Aggregate {
  add(): void {}
  remove(): void {}
  clear(): void {}
}

class Distinct implements Aggregate {
  readonly counts = new Map<string, number>();
  add(e: Entry): void {
    const k = e.value as string;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  remove(e: Entry): void {
    const k = e.value as string;
    const n = this.counts.get(k)! - 1;
    if (n === 0) this.counts.delete(k);
    else this.counts.set(k, n);
  }
  clear(): void {
    this.counts.clear();
  }
}

class Positions implements Aggregate {
  readonly counts: number[];
  seen = 0;
  constructor(positions: number) {
    this.counts = new Array<number>(positions).fill(0);
  }
  add(e: Entry): void {
    for (const p of e.positions) if (this.counts[p]++ === 0) this.seen++;
  }
  remove(e: Entry): void {
    for (const p of e.positions) if (--this.counts[p] === 0) this.seen--;
  }
  clear(): void {
    this.counts.fill(0);
    this.seen = 0;
  }
}

class Sum implements Aggregate {
  readonly sum = new ExactSum();
  add(e: Entry): void {
    this.sum.add(e.value as number);
  }
  remove(e: Entry): void {
    this.sum.subtract(e.value as number);
  }
  clear(): void {
    this.sum.clear();
  }
}

/** The window's values in ascending order (binary insertion), for percentiles. */
class Sorted implements Aggregate {
  readonly values: number[] = [];
  private lowerBound(v: number): number {
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.values[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  add(e: Entry): void {
    this.values.splice(this.lowerBound(e.value as number), 0, e.value as number);
  }
  remove(e: Entry): void {
    this.values.splice(this.lowerBound(e.value as number), 1);
  }
  clear(): void {
    this.values.length = 0;
  }
}

function aggregateFor(type: CorrelationType, positions: number): Aggregate {
  switch (type) {
    case 'event_count':
      return new Counts();
    case 'value_count':
      return new Distinct();
    case 'temporal':
    case 'temporal_ordered':
      return new Positions(positions);
    case 'value_sum':
    case 'value_avg':
      return new Sum();
    case 'value_percentile':
    case 'value_median':
      return new Sorted();
  }
}

/** Nearest-rank percentile of ascending values: the smallest value with at least p% of the values at or below it. */
export function nearestRank(sorted: readonly number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile * sorted.length) / 100));
  return sorted[rank - 1];
}

/** How many of positions 0, 1, 2, ... occur in this order among the entries (one entry may fill consecutive steps). */
export function orderedPrefix(entries: Iterable<Entry>, positions: number): number {
  let k = 0;
  for (const e of entries) {
    for (const p of e.positions) if (p === k && k < positions) k++;
    if (k === positions) break;
  }
  return k;
}

export function evaluateExpression(x: TemporalExpression, seen: (position: number) => boolean): boolean {
  switch (x.kind) {
    case 'position':
      return x.positions.some(seen);
    case 'not':
      return !evaluateExpression(x.arg, seen);
    case 'and':
      return x.args.every((a) => evaluateExpression(a, seen));
    case 'or':
      return x.args.some((a) => evaluateExpression(a, seen));
    case 'of':
      return x.quantifier === 'all' ? x.args.every((a) => evaluateExpression(a, seen)) : x.args.some((a) => evaluateExpression(a, seen));
  }
}

/** Whether a value meets every bound of a condition. */
export function meetsBounds(value: number, bounds: PlannedCorrelation['bounds']): boolean {
  for (const b of bounds) {
    const ok =
      b.op === 'gt' ? value > b.value
      : b.op === 'gte' ? value >= b.value
      : b.op === 'lt' ? value < b.value
      : b.op === 'lte' ? value <= b.value
      : b.op === 'eq' ? value === b.value
      : value !== b.value;
    if (!ok) return false;
  }
  return true;
}

/** Entries are appended at the tail and leave from the head; the array is compacted once the dead head is large. */
const COMPACT_AFTER = 1024;

/** A group-by field's value in a group: absent (null), one string form, or several (the field held an array). */
export type GroupValue = string | string[] | null;

export class GroupWindow {
  private entries: Entry[] = [];
  private head = 0;
  private readonly aggregate: Aggregate;
  /** tumbling: the bucket the entries belong to; session: when the session started (survives entry eviction). */
  private anchor = 0;
  /** Time of the last alert this group emitted (suppression), or null. */
  lastAlert: number | null = null;
  /** Neighbours in the table's least-recently-updated order (groups.ts). */
  older: GroupWindow | null = null;
  newer: GroupWindow | null = null;

  /**
   * @param key the group's identity within its correlation (see groupKey)
   * @param group the group-by names and values, as alerts report them
   */
  constructor(
    readonly correlation: PlannedCorrelation,
    readonly key: string,
    readonly group: Readonly<Record<string, GroupValue>>,
  ) {
    this.aggregate = aggregateFor(correlation.type, correlation.positions);
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** The entries held, oldest first. */
  *held(): IterableIterator<Entry> {
    for (let i = this.head; i < this.entries.length; i++) yield this.entries[i];
  }

  first(): Entry | undefined {
    return this.entries[this.head];
  }

  last(): Entry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /**
   * Make room for an entry at `time` as the window mode says (entries arrive in time order). Returns the entries
   * removed. `timespanMs` and `gapMs` are the correlation's, with the run's defaults applied.
   */
  open(time: number, mode: CorrelationWindow, timespanMs: number, gapMs: number): number {
    const before = this.size;
    if (mode === 'sliding') {
      const cutoff = time - timespanMs;
      while (this.head < this.entries.length && this.entries[this.head].time < cutoff) this.dropOldest();
    } else if (mode === 'tumbling') {
      const bucket = timespanMs > 0 ? Math.floor(time / timespanMs) : time;
      if (this.size > 0 && bucket !== this.anchor) this.clear();
      if (this.size === 0) this.anchor = bucket;
    } else {
      const last = this.last();
      if (this.size > 0 && (time - last!.time > gapMs || time - this.anchor > timespanMs)) this.clear();
      if (this.size === 0) this.anchor = time;
    }
    return before - this.size;
  }

  push(e: Entry): void {
    this.entries.push(e);
    this.aggregate.add(e);
  }

  /** Remove the oldest entry (window or size eviction). */
  dropOldest(): void {
    const e = this.entries[this.head];
    this.entries[this.head++] = undefined as unknown as Entry;
    this.aggregate.remove(e);
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.aggregate.clear();
  }

  /** The aggregated value the condition compares (for temporal types: the rules seen, or the steps in order). */
  value(): number {
    const c = this.correlation;
    const a = this.aggregate;
    switch (c.type) {
      case 'event_count':
        return this.size;
      case 'value_count':
        return (a as Distinct).counts.size;
      case 'value_sum':
        return (a as Sum).sum.value();
      case 'value_avg':
        return (a as Sum).sum.value() / this.size;
      case 'value_percentile':
      case 'value_median':
        return nearestRank((a as Sorted).values, c.percentile);
      case 'temporal':
        return (a as Positions).seen;
      case 'temporal_ordered':
        return orderedPrefix(this.held(), c.positions);
    }
  }

  /** Whether the condition holds for `value` (this window's value()). */
  holds(value: number): boolean {
    const c = this.correlation;
    if (c.type === 'temporal' || c.type === 'temporal_ordered') {
      if (c.expression) {
        const counts = (this.aggregate as Positions).counts;
        const seen = c.type === 'temporal' ? (k: number) => counts[k] > 0 : (k: number) => k < value;
        return evaluateExpression(c.expression, seen);
      }
      if (c.bounds.length === 0) return value === c.positions;
    }
    return meetsBounds(value, c.bounds);
  }

  /** For snapshots: the anchor (tumbling bucket or session start). */
  get windowAnchor(): number {
    return this.anchor;
  }

  /** Rebuild from a snapshot: entries oldest first, the anchor and the last alert time. */
  restoreFrom(entries: readonly Entry[], anchor: number, lastAlert: number | null): void {
    this.clear();
    for (const e of entries) this.push(e);
    this.anchor = anchor;
    this.lastAlert = lastAlert;
  }
}
