/**
 * One group's window of one correlation: the entries it holds, oldest first, and the aggregate the correlation's
 * type compares (kept up to date as entries come and go, so evaluating costs no pass over the window except for
 * temporal_ordered). The window mode decides what leaves when an entry arrives (sliding: entries older than the
 * timespan; tumbling: everything when a new bucket starts; session: everything when the gap or the session's span is
 * exceeded).
 */
import type { CorrelationType, CorrelationWindow } from '../rule/model.js';
import { DistinctIds, ValueIds } from './distinct.js';
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

/** The aggregate a correlation type compares, updated entry by entry (an entry's rule positions and value). */
interface Aggregate {
  add(positions: readonly number[], value: EntryValue): void;
  remove(positions: readonly number[], value: EntryValue): void;
  clear(): void;
}

class Positions implements Aggregate {
  readonly counts: number[];
  seen = 0;
  constructor(positions: number) {
    this.counts = new Array<number>(positions).fill(0);
  }
  add(positions: readonly number[]): void {
    for (const p of positions) if (this.counts[p]++ === 0) this.seen++;
  }
  remove(positions: readonly number[]): void {
    for (const p of positions) if (--this.counts[p] === 0) this.seen--;
  }
  clear(): void {
    this.counts.fill(0);
    this.seen = 0;
  }
}

class Sum implements Aggregate {
  readonly sum = new ExactSum();
  add(_positions: readonly number[], value: EntryValue): void {
    this.sum.add(value as number);
  }
  remove(_positions: readonly number[], value: EntryValue): void {
    this.sum.subtract(value as number);
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
  add(_positions: readonly number[], value: EntryValue): void {
    this.values.splice(this.lowerBound(value as number), 0, value as number);
  }
  remove(_positions: readonly number[], value: EntryValue): void {
    this.values.splice(this.lowerBound(value as number), 1);
  }
  clear(): void {
    this.values.length = 0;
  }
}

/** The aggregate of a type, or null for event_count (the count is the size) and value_count (DistinctIds). */
function aggregateFor(type: CorrelationType, positions: number): Aggregate | null {
  switch (type) {
    case 'event_count':
    case 'value_count':
      return null;
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

/**
 * How many of positions 0, 1, 2, ... occur in this order among the entries' position lists, oldest first (one entry
 * may fill consecutive steps; the earliest match of each step is the best choice for the next).
 */
export function orderedPrefix(lists: readonly (readonly number[])[], from: number, positions: number): number {
  let k = 0;
  for (let i = from; i < lists.length && k < positions; i++) {
    for (const p of lists[i]) if (p === k && k < positions) k++;
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

/** Entries are appended at the tail and leave from the head; the columns are compacted once the dead head is large. */
const COMPACT_AFTER = 1024;

/** A group-by field's value in a group: absent (null), one string form, or several (the field held an array). */
export type GroupValue = string | string[] | null;

const NO_POSITIONS: readonly number[] = Object.freeze([]);
/** What windows of other types than value_count hold in place of a distinct-value table and count (never used). */
const NO_VALUE_IDS = new ValueIds();
const NO_DISTINCT = new DistinctIds();

/**
 * Estimated bytes of state (for maxStateBytes: a bound on memory, not a measurement of it): a fixed cost per group
 * and per entry, and two bytes per code unit of the strings kept (group keys and values, distinct values).
 */
export const GROUP_OVERHEAD_BYTES = 256;
export const ENTRY_OVERHEAD_BYTES = 16;
const BYTES_PER_CODE_UNIT = 2;

/** Estimated bytes of a value kept in a window or an item. */
export function valueBytes(value: EntryValue | GroupValue): number {
  if (typeof value === 'string') return value.length * BYTES_PER_CODE_UNIT;
  if (Array.isArray(value)) return value.reduce((n, v) => n + v.length * BYTES_PER_CODE_UNIT + ENTRY_OVERHEAD_BYTES, 0);
  return ENTRY_OVERHEAD_BYTES / 2;
}

/**
 * The entries are kept in columns (times; rule positions for temporal types; values for value types; event
 * references when alerts list them): a window of event_count is an array of numbers, not of objects.
 */
export class GroupWindow {
  private times: number[] = [];
  private positions: (readonly number[])[] | null;
  /** value_sum and the other numeric types: the numbers. */
  private values: EntryValue[] | null;
  /** value_count: the distinct values' numbers in `valueIds`, and their count. */
  private ids: number[] | null;
  private readonly valueIds: ValueIds;
  private readonly distinct: DistinctIds;
  private refs: EventRef[] | null;
  private head = 0;
  private readonly aggregate: Aggregate | null;
  /** tumbling: the bucket the entries belong to; session: when the session started (survives entry eviction). */
  private anchor = 0;
  /** Time of the last alert this group emitted (suppression), or null. */
  lastAlert: number | null = null;
  /** When the group was last updated, in the table's order (groups.ts). */
  stamp = 0;
  /** Estimated bytes this group holds (its key and group, its entries). */
  bytes: number;

  /**
   * @param key the group's identity within its correlation (see valuesKey)
   * @param group the group-by names and values, as alerts report them
   * @param keepRefs whether entries keep their event references (alerts list their events)
   * @param valueIds value_count: the table of distinct values the engine's windows share (default: one of its own)
   */
  constructor(
    readonly correlation: PlannedCorrelation,
    readonly key: string,
    readonly group: Readonly<Record<string, GroupValue>>,
    keepRefs = false,
    valueIds?: ValueIds,
  ) {
    this.aggregate = aggregateFor(correlation.type, correlation.positions);
    this.bytes = this.baseBytes();
    const temporal = correlation.type === 'temporal' || correlation.type === 'temporal_ordered';
    this.positions = temporal ? [] : null;
    const distinct = correlation.type === 'value_count';
    this.values = correlation.valueFields && !distinct ? [] : null;
    this.ids = distinct ? [] : null;
    this.valueIds = distinct ? (valueIds ?? new ValueIds()) : NO_VALUE_IDS;
    this.distinct = distinct ? new DistinctIds() : NO_DISTINCT;
    this.refs = keepRefs ? [] : null;
  }

  get size(): number {
    return this.times.length - this.head;
  }

  /** The entries held, oldest first (for snapshots and alerts' event lists). */
  *held(): IterableIterator<Entry> {
    for (let i = this.head; i < this.times.length; i++) {
      const value = this.ids ? this.valueIds.text(this.ids[i]) : this.values ? this.values[i] : undefined;
      const e: Entry = { time: this.times[i], positions: this.positions ? this.positions[i] : NO_POSITIONS, value };
      if (this.refs) e.ref = this.refs[i];
      yield e;
    }
  }

  /**
   * The event references of the entries held, oldest first (empty unless entries keep them; entries restored from a
   * state saved without references have none).
   */
  heldRefs(): EventRef[] {
    return this.refs ? this.refs.slice(this.head).filter((r) => r !== undefined) : [];
  }

  /** Times of the oldest and newest entries (NaN when empty). */
  firstTime(): number {
    return this.size > 0 ? this.times[this.head] : NaN;
  }

  lastTime(): number {
    return this.size > 0 ? this.times[this.times.length - 1] : NaN;
  }

  /**
   * Make room for an entry at `time` as the window mode says (entries arrive in time order). `timespanMs` and
   * `gapMs` are the correlation's, with the run's defaults applied.
   */
  open(time: number, mode: CorrelationWindow, timespanMs: number, gapMs: number): void {
    if (mode === 'sliding') {
      const cutoff = time - timespanMs;
      while (this.head < this.times.length && this.times[this.head] < cutoff) this.dropOldest();
    } else if (mode === 'tumbling') {
      const bucket = timespanMs > 0 ? Math.floor(time / timespanMs) : time;
      if (this.size > 0 && bucket !== this.anchor) this.clear();
      if (this.size === 0) this.anchor = bucket;
    } else {
      if (this.size > 0 && (time - this.lastTime() > gapMs || time - this.anchor > timespanMs)) this.clear();
      if (this.size === 0) this.anchor = time;
    }
  }

  private baseBytes(): number {
    let n = GROUP_OVERHEAD_BYTES + this.key.length * BYTES_PER_CODE_UNIT;
    for (const v of Object.values(this.group)) n += valueBytes(v);
    return n;
  }

  push(time: number, positions: readonly number[], value: EntryValue, ref?: EventRef): void {
    if (this.ids) {
      const id = this.valueIds.acquire(value as string);
      this.distinct.add(id, this.ids, this.head);
      this.ids.push(id);
    } else {
      if (this.values) this.values.push(value);
      this.aggregate?.add(positions, value);
    }
    this.bytes += ENTRY_OVERHEAD_BYTES + (this.ids || this.values ? valueBytes(value) : 0);
    this.times.push(time);
    if (this.positions) this.positions.push(positions);
    if (this.refs) this.refs.push(ref as EventRef);
  }

  /** Remove the oldest entry (window or size eviction). */
  dropOldest(): void {
    const i = this.head++;
    if (this.ids) {
      const id = this.ids[i];
      this.bytes -= ENTRY_OVERHEAD_BYTES + valueBytes(this.valueIds.text(id));
      this.distinct.remove(id, this.ids, this.head);
      this.valueIds.release(id);
    } else {
      this.bytes -= ENTRY_OVERHEAD_BYTES + (this.values ? valueBytes(this.values[i]) : 0);
      this.aggregate?.remove(this.positions ? this.positions[i] : NO_POSITIONS, this.values ? this.values[i] : undefined);
    }
    if (this.head === this.times.length) {
      this.clearColumns();
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.times.length) {
      const from = this.head;
      this.times = this.times.slice(from);
      if (this.positions) this.positions = this.positions.slice(from);
      if (this.values) this.values = this.values.slice(from);
      if (this.ids) this.ids = this.ids.slice(from);
      if (this.refs) this.refs = this.refs.slice(from);
      this.head = 0;
    } else {
      // Let the left entry's objects go (its references) before compaction.
      if (this.refs) this.refs[i] = undefined as unknown as EventRef;
    }
  }

  /** Empty the window (the group's anchor and last alert stay). */
  clear(): void {
    if (this.ids) for (let i = this.head; i < this.ids.length; i++) this.valueIds.release(this.ids[i]);
    this.clearColumns();
    this.aggregate?.clear();
    this.bytes = this.baseBytes();
  }

  private clearColumns(): void {
    this.times = [];
    if (this.positions) this.positions = [];
    if (this.values) this.values = [];
    if (this.ids) this.ids = [];
    if (this.refs) this.refs = [];
    this.head = 0;
    this.distinct.clear();
  }

  /** The aggregated value the condition compares (for temporal types: the rules seen, or the steps in order). */
  value(): number {
    const c = this.correlation;
    const a = this.aggregate;
    switch (c.type) {
      case 'event_count':
        return this.size;
      case 'value_count':
        return this.distinct.distinct;
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
        return orderedPrefix(this.positions!, this.head, c.positions);
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
    for (const e of entries) this.push(e.time, e.positions, e.value, e.ref);
    this.anchor = anchor;
    this.lastAlert = lastAlert;
  }
}
