/**
 * Every group of every correlation, as numbers: one map per correlation from group key to group number, and per
 * group number its header in columns (correlation, recency stamp, last alert, estimated bytes; the key and the
 * group-by values). A group is a few slots in typed arrays and a map entry, not a graph of objects: with 10,000 groups
 * built in a few seconds, the objects per group were what the collector spent its time copying (BENCHMARKS.md, Run 6).
 * Numbers of deleted groups are reused. The windows' entries live in window.ts, under the same numbers.
 *
 * The order for maxGroups (the least recently updated group leaves first) costs one write per update: the group is
 * stamped with a clock that only goes up. Finding the least recently updated group is deferred to when one must
 * leave: a pass over all groups collects the half with the oldest stamps as candidates, oldest first. Groups updated
 * or deleted since then are skipped (their stamp changed); every group not among the candidates was stamped later
 * than any candidate, and groups updated afterwards later still, so the first candidate whose stamp is unchanged is
 * the least recently updated group. When the candidates run out, another pass collects them again: a pass over n
 * groups serves at least n/2 evictions.
 */
import { groupObject } from './values.js';
import type { EntryValue, GroupValue } from './window.js';

/** What `get` and `oldest` return when there is no such group. */
export const NO_GROUP = -1;

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

/** The header starts with room for this many groups and doubles when full. */
const INITIAL_GROUPS = 1024;
/** The stamp of a group number not in use: no candidate's stamp matches it. */
const DELETED = -1;

/**
 * Each group's header: 64 bytes, one cache line (an update reads and writes nothing else of the group but its map
 * entry and its window's ring), read through two views: doubles at `g * F64_STRIDE + field`, 32-bit integers at
 * `g * I32_STRIDE + field`. The table's fields and the window's (window.ts) share it.
 */
const HEADER_BYTES = 64;
export const F64_STRIDE = HEADER_BYTES / Float64Array.BYTES_PER_ELEMENT;
export const I32_STRIDE = HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT;
/** Doubles: when the group was last updated (the clock; DELETED when the number is free), its estimated bytes, its
 * window's anchor (tumbling bucket or session start), the time of its last alert (NaN when none). */
export const STAMP = 0;
export const BYTES = 1;
export const ANCHOR = 2;
export const LAST_ALERT = 3;
/** 32-bit integers, after the doubles: the correlation's index; the window's ring (slab offset, capacity, head
 * index within the ring, entries held) and value_count's distinct count. */
export const CORRELATION = 8;
export const OFFSET = 9;
export const CAPACITY = 10;
export const HEAD = 11;
export const SIZE = 12;
export const DISTINCT = 13;

export class GroupTable {
  private readonly maps: Map<string, number>[];
  /** The groups' headers (see HEADER_BYTES), as doubles and as integers. */
  f64: Float64Array<ArrayBuffer>;
  i32: Int32Array<ArrayBuffer>;
  /** Per group number: its key, and its group-by values unless they are just the key (one plain string value). */
  private readonly keys: string[] = [];
  private readonly values: (readonly GroupValue[] | null)[] = [];
  /** Group numbers handed out so far (the columns' used length), and those freed for reuse. */
  private end = 0;
  private readonly free: number[] = [];
  private clock = 0;
  private count = 0;
  /** The oldest groups when last collected, oldest first, with the stamps they had then; `next` is the first unused. */
  private candidates: number[] = [];
  private candidateStamps: number[] = [];
  private next = 0;
  /** Estimated bytes of every group held. */
  bytes = 0;

  /** @param groupBy each correlation's group-by names (alerts report groups by them) */
  constructor(private readonly groupBy: readonly (readonly string[])[]) {
    this.maps = groupBy.map(() => new Map());
    const buffer = new ArrayBuffer(INITIAL_GROUPS * HEADER_BYTES);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  get size(): number {
    return this.count;
  }

  /** The group number of `key` in correlation `correlation`, or NO_GROUP. */
  get(correlation: number, key: string): number {
    return this.maps[correlation].get(key) ?? NO_GROUP;
  }

  /** Add a new group (its window empty) as the most recently updated; returns its number. */
  add(correlation: number, key: string, values: readonly GroupValue[]): number {
    const g = this.free.length > 0 ? this.free.pop()! : this.end++;
    if ((g + 1) * F64_STRIDE > this.f64.length) this.grow();
    this.maps[correlation].set(key, g);
    this.f64.fill(0, g * F64_STRIDE, (g + 1) * F64_STRIDE);
    this.i32[g * I32_STRIDE + CORRELATION] = correlation;
    this.keys[g] = key;
    this.values[g] = values.length === 1 && values[0] === key ? null : values;
    this.f64[g * F64_STRIDE + LAST_ALERT] = NaN;
    const bytes = this.baseBytes(g);
    this.f64[g * F64_STRIDE + BYTES] = bytes;
    this.bytes += bytes;
    this.count++;
    this.f64[g * F64_STRIDE + STAMP] = ++this.clock;
    return g;
  }

  /** Mark a group as the most recently updated. */
  touch(g: number): void {
    this.f64[g * F64_STRIDE + STAMP] = ++this.clock;
  }

  correlationOf(g: number): number {
    return this.i32[g * I32_STRIDE + CORRELATION];
  }

  /** Estimated bytes group `g` holds (its key and values, its entries). */
  bytesOf(g: number): number {
    return this.f64[g * F64_STRIDE + BYTES];
  }

  /** Estimated bytes of group `g` change by `delta` (window.ts, as entries come and go). */
  addBytes(g: number, delta: number): void {
    this.f64[g * F64_STRIDE + BYTES] += delta;
    this.bytes += delta;
  }

  /** The time of group `g`'s last alert, or null. */
  lastAlert(g: number): number | null {
    const t = this.f64[g * F64_STRIDE + LAST_ALERT];
    return Number.isNaN(t) ? null : t;
  }

  setLastAlert(g: number, time: number): void {
    this.f64[g * F64_STRIDE + LAST_ALERT] = time;
  }

  private stamp(g: number): number {
    return this.f64[g * F64_STRIDE + STAMP];
  }

  key(g: number): string {
    return this.keys[g];
  }

  /** The group-by values of group `g`, in its correlation's group-by order. */
  valuesOf(g: number): readonly GroupValue[] {
    return this.values[g] ?? [this.keys[g]];
  }

  /** The group-by names with their values, as alerts report them. */
  group(g: number): Record<string, GroupValue> {
    return groupObject(this.groupBy[this.correlationOf(g)], this.valuesOf(g));
  }

  /** Estimated bytes of a group with an empty window: a fixed cost, its key and its values. */
  baseBytes(g: number): number {
    const key = this.keys[g];
    const values = this.values[g];
    let n = GROUP_OVERHEAD_BYTES + key.length * BYTES_PER_CODE_UNIT;
    // By the group object's values, as alerts report them (a name repeated in group-by counts once).
    if (values === null) n += valueBytes(key);
    else for (const v of Object.values(this.group(g))) n += valueBytes(v);
    return n;
  }

  /** The group updated least recently, or NO_GROUP. */
  oldest(): number {
    if (this.count === 0) return NO_GROUP;
    for (;;) {
      while (this.next < this.candidates.length) {
        const g = this.candidates[this.next];
        if (this.stamp(g) === this.candidateStamps[this.next]) return g;
        this.next++;
      }
      this.collect();
    }
  }

  /** Remove group `g` (its window already emptied: window.ts) and free its number. */
  delete(g: number): void {
    this.maps[this.correlationOf(g)].delete(this.keys[g]);
    this.count--;
    this.bytes -= this.bytesOf(g);
    this.f64[g * F64_STRIDE + BYTES] = 0;
    this.f64[g * F64_STRIDE + STAMP] = DELETED;
    this.keys[g] = '';
    this.values[g] = null;
    this.free.push(g);
  }

  /** Every group, least recently updated first. */
  inOrder(): number[] {
    const all: number[] = [];
    for (let g = 0; g < this.end; g++) if (this.stamp(g) !== DELETED) all.push(g);
    const f64 = this.f64;
    return all.sort((a, b) => f64[a * F64_STRIDE + STAMP] - f64[b * F64_STRIDE + STAMP]);
  }

  private collect(): void {
    const all = this.inOrder();
    all.length = Math.max(1, all.length >> 1);
    this.candidates = all;
    this.candidateStamps = all.map((g) => this.stamp(g));
    this.next = 0;
  }

  private grow(): void {
    const buffer = new ArrayBuffer(this.f64.byteLength * 2);
    new Uint8Array(buffer).set(new Uint8Array(this.f64.buffer));
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }
}
