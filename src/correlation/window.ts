/**
 * The groups' windows: the entries each holds, oldest first, and the aggregate the correlation's
 * type compares (kept up to date as entries come and go, so evaluating costs no pass over the window except for
 * temporal_ordered). The window mode decides what leaves when an entry arrives (sliding: entries older than the
 * timespan; tumbling: everything when a new bucket starts; session: everything when the gap or the session's span is
 * exceeded).
 */
import type { CorrelationType, CorrelationWindow } from '../rule/model.js';
import { ValueIds } from './distinct.js';
import { ANCHOR, CAPACITY, DISTINCT, ENTRY_OVERHEAD_BYTES, F64_STRIDE, HEAD, I32_STRIDE, OFFSET, SIZE, valueBytes, type GroupTable } from './groups.js';
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

/** A group-by field's value in a group: absent (null), one string form, or several (the field held an array). */
export type GroupValue = string | string[] | null;

const NO_POSITIONS: readonly number[] = Object.freeze([]);

const isTemporal = (c: PlannedCorrelation): boolean => c.type === 'temporal' || c.type === 'temporal_ordered';

/** A group's first ring of entries; rings double when full (powers of two: an index wraps with a mask). */
const MIN_CAPACITY = 8;
/** The slab's first length in entries; it doubles when the rings outgrow it. */
const INITIAL_SLAB = 1 << 14;
/** value_count windows up to this many entries count distinct values by scanning their ring; longer ones keep counts. */
const SCAN_UP_TO = 32;

/**
 * The windows of every group (numbered by the GroupTable): each group's entries, oldest first, in a ring of its own
 * inside pooled slabs. Columns of the slab: times (Float64Array); the value (value_count: its interned number in the
 * shared ValueIds; value_sum and the other numeric types: the number) when a correlation aggregates values; rule
 * positions (temporal types) and event references (alerts list their events) only when some correlation needs them.
 * A ring is a power-of-two region of the slab, taken from a free list of its size or from the slab's end; it moves
 * to a region twice as large when full and goes back to its free list when the window empties. The ring's offset,
 * capacity, head and size, value_count's distinct count and the anchor are fields of the group's header (groups.ts).
 * Aggregates of the other types (per-position counts, exact sums, sorted values) are objects per group, made only for
 * those types; value_count's counts map only for windows longer than SCAN_UP_TO.
 */
export class Windows {
  private readonly aggregates: (Aggregate | null)[] = [];
  private readonly counts: (Map<number, number> | null)[] = [];

  /** Times and values interleaved: entry i's time at `i * stride`, its value (when kept) right after it. */
  private slab: Float64Array;
  private readonly stride: number;
  private positions: (readonly number[] | undefined)[] | null;
  private refs: (EventRef | undefined)[] | null;
  /** The slab's first unused entry, and free rings by log2 of their capacity. */
  private top = 0;
  private readonly freeRings: number[][] = [];

  /**
   * @param table the groups (their headers hold the rings; its bytes estimate is kept up to date here)
   * @param correlations the plan's correlations, by index
   * @param keepRefs whether entries keep their event references (alerts list their events)
   * @param valueIds value_count's distinct values, interned (shared by every window)
   */
  constructor(
    private readonly table: GroupTable,
    private readonly correlations: readonly PlannedCorrelation[],
    keepRefs = false,
    readonly valueIds = new ValueIds(),
  ) {
    this.stride = correlations.some((c) => c.valueFields) ? 2 : 1;
    this.slab = new Float64Array(INITIAL_SLAB * this.stride);
    this.positions = correlations.some(isTemporal) ? new Array(INITIAL_SLAB) : null;
    this.refs = keepRefs ? new Array(INITIAL_SLAB) : null;
  }

  /** Make group `g`'s window (empty; the table made its header) for correlation `c`. */
  init(g: number, c: PlannedCorrelation): void {
    this.aggregates[g] = aggregateFor(c.type, c.positions);
    this.counts[g] = null;
  }

  size(g: number): number {
    return this.table.i32[g * I32_STRIDE + SIZE];
  }

  /** The anchor (tumbling bucket or session start; survives entry eviction). */
  anchor(g: number): number {
    return this.table.f64[g * F64_STRIDE + ANCHOR];
  }

  /** Slab index of group `g`'s i-th entry, oldest first. */
  private at(g: number, i: number): number {
    const i32 = this.table.i32;
    const h = g * I32_STRIDE;
    return i32[h + OFFSET] + ((i32[h + HEAD] + i) & (i32[h + CAPACITY] - 1));
  }

  /** Times of the oldest and newest entries (NaN when empty). */
  firstTime(g: number): number {
    return this.size(g) > 0 ? this.slab[this.at(g, 0) * this.stride] : NaN;
  }

  lastTime(g: number): number {
    const n = this.size(g);
    return n > 0 ? this.slab[this.at(g, n - 1) * this.stride] : NaN;
  }

  /** The entries held, oldest first (for snapshots). */
  *held(g: number): IterableIterator<Entry> {
    const c = this.correlations[this.table.correlationOf(g)];
    for (let i = 0; i < this.size(g); i++) {
      const at = this.at(g, i);
      const e: Entry = { time: this.slab[at * this.stride], positions: (isTemporal(c) && this.positions?.[at]) || NO_POSITIONS, value: this.entryValue(c, at) };
      const ref = this.refs?.[at];
      if (ref) e.ref = ref;
      yield e;
    }
  }

  private entryValue(c: PlannedCorrelation, at: number): EntryValue {
    if (!c.valueFields) return undefined;
    const v = this.slab[at * this.stride + 1];
    return c.type === 'value_count' ? this.valueIds.text(v) : v;
  }

  /**
   * The event references of the entries held, oldest first (empty unless entries keep them; entries restored from a
   * state saved without references have none).
   */
  heldRefs(g: number): EventRef[] {
    const out: EventRef[] = [];
    if (!this.refs) return out;
    for (let i = 0; i < this.size(g); i++) {
      const ref = this.refs[this.at(g, i)];
      if (ref !== undefined) out.push(ref);
    }
    return out;
  }

  /**
   * Make room in group `g`'s window for an entry at `time` as the window mode says (entries arrive in time order).
   * `timespanMs` and `gapMs` are the correlation's, with the run's defaults applied.
   */
  open(g: number, c: PlannedCorrelation, time: number, mode: CorrelationWindow, timespanMs: number, gapMs: number): void {
    const h = g * I32_STRIDE;
    if (mode === 'sliding') {
      const cutoff = time - timespanMs;
      const i32 = this.table.i32;
      while (i32[h + SIZE] > 0 && this.slab[(i32[h + OFFSET] + i32[h + HEAD]) * this.stride] < cutoff) this.dropOldest(g, c);
      return;
    }
    const f64 = this.table.f64;
    const a = g * F64_STRIDE + ANCHOR;
    if (mode === 'tumbling') {
      const bucket = timespanMs > 0 ? Math.floor(time / timespanMs) : time;
      if (this.size(g) > 0 && bucket !== f64[a]) this.clear(g, c);
      if (this.size(g) === 0) this.table.f64[a] = bucket;
    } else {
      if (this.size(g) > 0 && (time - this.lastTime(g) > gapMs || time - f64[a] > timespanMs)) this.clear(g, c);
      if (this.size(g) === 0) this.table.f64[a] = time;
    }
  }

  push(g: number, c: PlannedCorrelation, time: number, positions: readonly number[], value: EntryValue, ref?: EventRef): void {
    const h = g * I32_STRIDE;
    let i32 = this.table.i32;
    const n = i32[h + SIZE];
    if (n === i32[h + CAPACITY]) {
      this.grow(g, n);
      i32 = this.table.i32;
    }
    const at = i32[h + OFFSET] + ((i32[h + HEAD] + n) & (i32[h + CAPACITY] - 1));
    const slab = this.slab;
    const t = at * this.stride;
    slab[t] = time;
    let bytes = ENTRY_OVERHEAD_BYTES;
    if (c.type === 'value_count') {
      const id = this.valueIds.acquire(value as string);
      this.countIn(g, id, n);
      slab[t + 1] = id;
      bytes += valueBytes(value);
    } else if (c.valueFields) {
      slab[t + 1] = value as number;
      this.aggregates[g]!.add(positions, value);
      bytes += valueBytes(value);
    } else {
      this.aggregates[g]?.add(positions, value);
    }
    // Only temporal windows keep rule positions (snapshots write none for the others).
    if (this.positions && isTemporal(c)) this.positions[at] = positions;
    if (this.refs) this.refs[at] = ref;
    i32[h + SIZE] = n + 1;
    this.table.addBytes(g, bytes);
  }

  /** value_count: `id` arrives in group `g`'s window, which holds `n` entries before it. */
  private countIn(g: number, id: number, n: number): void {
    const counts = this.counts[g];
    const d = g * I32_STRIDE + DISTINCT;
    if (counts) {
      const k = counts.get(id);
      counts.set(id, k === undefined ? 1 : k + 1);
      if (k === undefined) this.table.i32[d]++;
      return;
    }
    if (!this.holdsId(g, id, n)) this.table.i32[d]++;
    if (n >= SCAN_UP_TO) {
      const built = new Map<number, number>([[id, 1]]);
      for (let i = 0; i < n; i++) {
        const held = this.slab[this.at(g, i) * 2 + 1];
        built.set(held, (built.get(held) ?? 0) + 1);
      }
      this.counts[g] = built;
    }
  }

  /** Whether the `n` oldest entries of group `g`'s window hold value number `id`. */
  private holdsId(g: number, id: number, n: number): boolean {
    const slab = this.slab;
    const i32 = this.table.i32;
    const h = g * I32_STRIDE;
    const base = i32[h + OFFSET];
    const mask = i32[h + CAPACITY] - 1;
    const head = i32[h + HEAD];
    for (let i = 0; i < n; i++) if (slab[(base + ((head + i) & mask)) * 2 + 1] === id) return true;
    return false;
  }

  /** Remove the oldest entry of group `g` (window or size eviction). */
  dropOldest(g: number, c: PlannedCorrelation): void {
    const i32 = this.table.i32;
    const h = g * I32_STRIDE;
    const at = i32[h + OFFSET] + i32[h + HEAD];
    const n = i32[h + SIZE] - 1;
    i32[h + HEAD] = (i32[h + HEAD] + 1) & (i32[h + CAPACITY] - 1);
    i32[h + SIZE] = n;
    let bytes = ENTRY_OVERHEAD_BYTES;
    if (c.type === 'value_count') {
      const id = this.slab[at * 2 + 1];
      bytes += valueBytes(this.valueIds.text(id));
      this.countOut(g, id, n);
      this.valueIds.release(id);
    } else {
      const value = c.valueFields ? this.slab[at * 2 + 1] : undefined;
      if (c.valueFields) bytes += valueBytes(value);
      this.aggregates[g]?.remove(this.positions?.[at] ?? NO_POSITIONS, value);
    }
    if (this.positions) this.positions[at] = undefined;
    if (this.refs) this.refs[at] = undefined;
    this.table.addBytes(g, -bytes);
    if (n === 0) this.release(g);
  }

  /** value_count: `id` left group `g`'s window, which holds `n` entries now. */
  private countOut(g: number, id: number, n: number): void {
    const counts = this.counts[g];
    const d = g * I32_STRIDE + DISTINCT;
    if (counts) {
      const k = counts.get(id)! - 1;
      if (k > 0) counts.set(id, k);
      else {
        counts.delete(id);
        this.table.i32[d]--;
      }
      return;
    }
    if (!this.holdsId(g, id, n)) this.table.i32[d]--;
  }

  /** Empty group `g`'s window (its anchor stays; the group's last alert is the table's). */
  clear(g: number, c: PlannedCorrelation): void {
    const n = this.size(g);
    for (let i = 0; i < n; i++) {
      const at = this.at(g, i);
      if (c.type === 'value_count') this.valueIds.release(this.slab[at * 2 + 1]);
      if (this.positions) this.positions[at] = undefined;
      if (this.refs) this.refs[at] = undefined;
    }
    this.table.i32[g * I32_STRIDE + SIZE] = 0;
    this.release(g);
    this.aggregates[g]?.clear();
    this.table.addBytes(g, this.table.baseBytes(g) - this.table.bytesOf(g));
  }

  /** The window is empty: its ring goes back to the free list, its distinct counts go. */
  private release(g: number): void {
    const i32 = this.table.i32;
    const h = g * I32_STRIDE;
    const capacity = i32[h + CAPACITY];
    if (capacity > 0) (this.freeRings[Math.log2(capacity)] ??= []).push(i32[h + OFFSET]);
    i32[h + CAPACITY] = 0;
    i32[h + HEAD] = 0;
    i32[h + DISTINCT] = 0;
    this.counts[g] = null;
  }

  /** Group `g`'s ring is full with `n` entries: move them, oldest first, to a ring twice as large. */
  private grow(g: number, n: number): void {
    const i32 = this.table.i32;
    const h = g * I32_STRIDE;
    const old = i32[h + CAPACITY];
    const capacity = old === 0 ? MIN_CAPACITY : old * 2;
    const to = this.take(capacity);
    if (old > 0) {
      const from = i32[h + OFFSET];
      const head = i32[h + HEAD];
      const first = old - head; // entries from the head to the ring's end, then from its start
      const move = <T extends { copyWithin(target: number, start: number, end: number): unknown }>(column: T, stride: number): void => {
        column.copyWithin(to * stride, (from + head) * stride, (from + old) * stride);
        column.copyWithin((to + first) * stride, from * stride, (from + head) * stride);
      };
      move(this.slab, this.stride);
      if (this.positions) move(this.positions, 1);
      if (this.refs) move(this.refs, 1);
      if (this.positions || this.refs) {
        for (let i = 0; i < n; i++) {
          if (this.positions) this.positions[from + i] = undefined;
          if (this.refs) this.refs[from + i] = undefined;
        }
      }
      (this.freeRings[Math.log2(old)] ??= []).push(from);
    }
    i32[h + OFFSET] = to;
    i32[h + CAPACITY] = capacity;
    i32[h + HEAD] = 0;
  }

  /** A free ring of `capacity` entries (a power of two): from its free list, or from the slab's end. */
  private take(capacity: number): number {
    const reused = this.freeRings[Math.log2(capacity)]?.pop();
    if (reused !== undefined) return reused;
    const at = this.top;
    this.top += capacity;
    if (this.top * this.stride > this.slab.length) this.growSlab(Math.max(this.slab.length / this.stride * 2, this.top));
    return at;
  }

  private growSlab(length: number): void {
    const slab = new Float64Array(length * this.stride);
    slab.set(this.slab);
    this.slab = slab;
    const widen = <T>(column: T[]): T[] => {
      const next = new Array<T>(length);
      for (let i = 0; i < column.length; i++) next[i] = column[i];
      return next;
    };
    if (this.positions) this.positions = widen(this.positions);
    if (this.refs) this.refs = widen(this.refs);
  }

  /** The aggregated value the condition compares (for temporal types: the rules seen, or the steps in order). */
  value(g: number, c: PlannedCorrelation): number {
    const a = this.aggregates[g];
    switch (c.type) {
      case 'event_count':
        return this.size(g);
      case 'value_count':
        return this.table.i32[g * I32_STRIDE + DISTINCT];
      case 'value_sum':
        return (a as Sum).sum.value();
      case 'value_avg':
        return (a as Sum).sum.value() / this.size(g);
      case 'value_percentile':
      case 'value_median':
        return nearestRank((a as Sorted).values, c.percentile);
      case 'temporal':
        return (a as Positions).seen;
      case 'temporal_ordered': {
        const lists: (readonly number[])[] = [];
        for (let i = 0; i < this.size(g); i++) lists.push(this.positions![this.at(g, i)] ?? NO_POSITIONS);
        return orderedPrefix(lists, 0, c.positions);
      }
    }
  }

  /** Whether the condition holds for `value` (group `g`'s value()). */
  holds(g: number, c: PlannedCorrelation, value: number): boolean {
    if (isTemporal(c)) {
      if (c.expression) {
        const counts = (this.aggregates[g] as Positions).counts;
        const seen = c.type === 'temporal' ? (k: number) => counts[k] > 0 : (k: number) => k < value;
        return evaluateExpression(c.expression, seen);
      }
      if (c.bounds.length === 0) return value === c.positions;
    }
    return meetsBounds(value, c.bounds);
  }

  /** Rebuild group `g`'s window from a snapshot: entries oldest first, and the anchor. */
  restoreFrom(g: number, c: PlannedCorrelation, entries: readonly Entry[], anchor: number): void {
    this.clear(g, c);
    for (const e of entries) this.push(g, c, e.time, e.positions, e.value, e.ref);
    this.table.f64[g * F64_STRIDE + ANCHOR] = anchor;
  }
}
