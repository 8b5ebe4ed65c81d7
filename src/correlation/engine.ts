/**
 * The correlation engine: the state across events. It is fed each event's time and the rules the event matched
 * (with a way to read the event's fields), puts each hit of a referenced rule in its group's window, and returns the
 * alerts of the correlations whose condition holds after that event. Alerts feed the correlations that reference
 * them (chains) at once.
 *
 * Time order: events are applied in order of their time (ties in arrival order). An event may arrive up to
 * `maxLateness` seconds behind the latest time seen and still be put in its place (it waits in a buffer until no
 * earlier event can come); an event earlier than one already applied is late: counted, and left out of correlation
 * state (its own hits are still reported by the matcher).
 *
 * Bounded state: at most `maxGroups` groups (over all correlations; the group updated least recently leaves first),
 * `maxGroupEntries` entries per group (the oldest leaves first), `maxPending` waiting events (the earliest is applied
 * early) and `maxStateBytes` of estimated state (groups leave, then waiting events are applied early). Counted.
 */
import type { CorrelationWindow } from '../rule/model.js';
import { ValueIds } from './distinct.js';
import { GroupTable } from './groups.js';
import type { CorrelationPlan, Consumer, PlannedCorrelation } from './plan.js';
import { DEFAULT_TIME_FIELDS, eventTimeOf, type FieldSource } from './time.js';
import { distinctValue, groupKey, groupObject, groupSource, groupValues, numericFieldValue } from './values.js';
import { ENTRY_OVERHEAD_BYTES, GroupWindow, valueBytes, type EntryValue, type EventRef, type GroupValue } from './window.js';

export interface CorrelationOptions {
  /** Fields that hold the event time, tried before the defaults (DEFAULT_TIME_FIELDS). */
  timeFields?: readonly string[];
  /** An event without a usable time: 'skip' leaves it out of correlation state (counted), 'now' uses the clock. */
  timeFallback?: 'skip' | 'now';
  /** The clock for timeFallback 'now' (epoch milliseconds; default Date.now). */
  now?: () => number;
  /** Seconds an event may arrive behind the latest time seen and still be applied in time order (default 0). */
  maxLateness?: number;
  /** Defaults for correlations whose document does not set them (sigmatch.action, .suppress, .window, .gap). */
  action?: 'alert' | 'reset';
  /** Seconds. */
  suppress?: number;
  window?: CorrelationWindow;
  /** Seconds; session windows (default: the correlation's timespan). */
  gap?: number;
  /** Most groups held at once, over all correlations (default 100,000). */
  maxGroups?: number;
  /** Most entries one group's window holds (default 10,000). */
  maxGroupEntries?: number;
  /**
   * Most events waiting for their turn in time order (maxLateness; default 100,000): beyond it the earliest is
   * applied at once, so later arrivals earlier than it become late (counted).
   */
  maxPending?: number;
  /**
   * Estimated bytes of state (windows, group keys and values, waiting events) kept at most (default 256 MiB): beyond
   * it the least recently updated groups are evicted and waiting events applied early (counted like the other
   * bounds). An estimate from string lengths and fixed costs per group and entry, not a measurement.
   */
  maxStateBytes?: number;
  /** 'refs': alerts list the events in the window when they fired. Default 'none'. */
  events?: 'none' | 'refs';
}

export interface CorrelationAlert {
  /** Index in the plan's correlations. */
  correlation: number;
  /** The event that completed it. */
  ref: EventRef;
  /** That event's time (epoch ms). */
  time: number;
  group: Record<string, GroupValue>;
  /** The aggregated value the condition compared (temporal types: the rules seen, or the steps reached in order). */
  value: number;
  /** Times of the oldest and newest entries of the window (epoch ms). */
  first: number;
  last: number;
  /** The window's events (options.events 'refs'). */
  events?: EventRef[];
}

export interface CorrelationStats {
  /** Events with a hit some correlation counts but no usable time (left out of correlation state). */
  eventsWithoutTime: number;
  /** Events that came after a later event had been applied (left out of correlation state). */
  lateEvents: number;
  /** Hits a value_* correlation left out because the event had no usable value in its field. */
  missingValues: number;
  /** Groups dropped to stay within maxGroups while their window still held entries. */
  evictedGroups: number;
  /** Entries dropped to stay within maxGroupEntries. */
  evictedEntries: number;
  /** Alerts not emitted because the group alerted within the suppress time. */
  suppressedAlerts: number;
  /** Events applied before their lateness had passed, to stay within maxPending. */
  releasedEarly: number;
  alerts: number;
}

export const DEFAULT_MAX_GROUPS = 100_000;
export const DEFAULT_MAX_GROUP_ENTRIES = 10_000;
export const DEFAULT_MAX_PENDING = 100_000;
export const DEFAULT_MAX_STATE_BYTES = 256 * 1024 * 1024;
const MS_PER_SECOND = 1000;

/** A correlation's settings with the run's defaults applied. */
export interface ResolvedSettings {
  window: CorrelationWindow;
  timespanMs: number;
  gapMs: number;
  action: 'alert' | 'reset';
  suppressMs: number;
}

/** What one event (or a chained alert) brings to one group of one correlation. */
export interface Item {
  correlation: number;
  /** The group's key (valuesKey of `values`). */
  key: string;
  /** The group-by values, in the correlation's group-by order. */
  values: GroupValue[];
  positions: number[];
  value: EntryValue;
}

/** An event waiting for its turn in time order. */
export interface Pending {
  time: number;
  /** Arrival order, to keep ties in arrival order. */
  seq: number;
  ref: EventRef;
  items: Item[];
}

/** What a value_* correlation reads from an event: the distinct-value key (value_count) or the number. */
function consumerValue(c: PlannedCorrelation, source: FieldSource): EntryValue {
  return c.type === 'value_count' ? distinctValue(source, c.valueFields!) : numericFieldValue(source, c.valueFields![0]);
}

function before(a: Pending, b: Pending): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** A binary min-heap of pending events by (time, arrival). */
export class PendingQueue {
  readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  push(p: Pending): void {
    const h = this.items;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }
  pop(): Pending | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Estimated bytes of a waiting event's items (see maxStateBytes). */
function itemsBytes(items: readonly Item[]): number {
  let n = 0;
  for (const i of items) {
    n += ENTRY_OVERHEAD_BYTES + i.key.length * 2 + valueBytes(i.value);
    for (const v of i.values) n += valueBytes(v);
  }
  return n;
}

/** Shared one-position lists (most hits count for one position): entries keep them, nobody changes them. */
const ONE_POSITION: readonly (readonly number[])[] = Array.from({ length: 64 }, (_, p) => Object.freeze([p]));

function onePosition(p: number): number[] {
  return (ONE_POSITION[p] as number[] | undefined) ?? [p];
}

/**
 * The consumers of one rule's hits, prepared for the hot path: the distinct group-by field lists among them (each
 * event's group key for a list is read once, however many correlations group by it) and whether every consumer is
 * of a different correlation (then an event of that rule alone needs no merging of positions).
 */
interface Route {
  consumers: readonly Consumer[];
  /** For each consumer, its field list's index in `fieldLists`. */
  listOf: readonly number[];
  fieldLists: readonly (readonly string[])[];
  distinct: boolean;
}

function routeOf(consumers: readonly Consumer[]): Route {
  const fieldLists: (readonly string[])[] = [];
  const listOf = consumers.map(({ groupFields }) => {
    const same = fieldLists.findIndex((l) => l.length === groupFields.length && l.every((f, i) => f === groupFields[i]));
    return same >= 0 ? same : fieldLists.push(groupFields) - 1;
  });
  const distinct = new Set(consumers.map((c) => c.correlation)).size === consumers.length;
  return { consumers, listOf, fieldLists, distinct };
}

export function resolveSettings(c: PlannedCorrelation, options: CorrelationOptions): ResolvedSettings {
  const s = c.source.settings;
  const gap = s.gap ?? options.gap;
  return {
    window: s.window ?? options.window ?? 'sliding',
    timespanMs: c.timespanMs,
    gapMs: gap === undefined ? c.timespanMs : gap * MS_PER_SECOND,
    action: s.action ?? options.action ?? 'alert',
    suppressMs: (s.suppress ?? options.suppress ?? 0) * MS_PER_SECOND,
  };
}

export class CorrelationEngine {
  readonly settings: readonly ResolvedSettings[];
  readonly stats: CorrelationStats = {
    eventsWithoutTime: 0,
    lateEvents: 0,
    missingValues: 0,
    evictedGroups: 0,
    evictedEntries: 0,
    suppressedAlerts: 0,
    releasedEarly: 0,
    alerts: 0,
  };
  /** Every group of every correlation (least recently updated first, for maxGroups). */
  groups: GroupTable;
  /** The distinct values value_count windows hold, interned (distinct.ts). */
  valueIds = new ValueIds();
  pending = new PendingQueue();
  /** The latest event time seen, and the time of the last event applied (epoch ms; -Infinity before any). */
  maxSeen = -Infinity;
  lastApplied = -Infinity;
  seq = 0;
  private readonly timeFields: readonly string[];
  private readonly latenessMs: number;
  /** The bounds on state (options maxGroups and maxGroupEntries with their defaults). */
  readonly limits: { readonly maxGroups: number; readonly maxGroupEntries: number; readonly maxPending: number; readonly maxStateBytes: number };
  /** Estimated bytes of the waiting events (the groups keep their own count). */
  private pendingBytes = 0;
  private readonly keepRefs: boolean;
  /** For each rule, its consumers prepared (routeOf), or null when no correlation counts its hits. */
  private readonly routes: readonly (Route | null)[];
  /** The hot path's per-event scratch: group keys by field list, values by consumer. */
  private readonly keyScratch: string[] = [];
  private readonly valueScratch: EntryValue[] = [];

  constructor(
    readonly plan: CorrelationPlan,
    readonly options: CorrelationOptions = {},
  ) {
    this.settings = plan.correlations.map((c) => resolveSettings(c, options));
    this.groups = new GroupTable(plan.correlations.length);
    this.timeFields = [...(options.timeFields ?? []), ...DEFAULT_TIME_FIELDS];
    this.latenessMs = (options.maxLateness ?? 0) * MS_PER_SECOND;
    this.limits = {
      maxGroups: Math.max(1, options.maxGroups ?? DEFAULT_MAX_GROUPS),
      maxGroupEntries: Math.max(1, options.maxGroupEntries ?? DEFAULT_MAX_GROUP_ENTRIES),
      maxPending: Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING),
      maxStateBytes: Math.max(1, options.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES),
    };
    this.keepRefs = options.events === 'refs';
    this.routes = plan.ruleConsumers.map((list) => (list && list.length > 0 ? routeOf(list) : null));
  }

  /** Whether any correlation counts hits of rule `rule`. */
  counts(rule: number): boolean {
    return this.plan.ruleConsumers[rule]?.length > 0;
  }

  /**
   * An event and the rules it matched (indices into the plan's rules, any order); `source` reads its fields.
   * Appends to `out` the alerts that are complete now (with maxLateness, possibly of earlier events).
   */
  observe(ref: EventRef, rules: readonly number[], source: FieldSource, out: CorrelationAlert[]): void {
    let route: Route | null = null;
    let consumers: Consumer[] | null = null;
    for (const r of rules) {
      const found = this.routes[r];
      if (!found) continue;
      if (route === null) route = found;
      else consumers = (consumers ?? [...route.consumers]).concat(found.consumers);
    }
    if (route === null) return;
    if (consumers) route = routeOf(consumers); // several counted rules in one event: rare
    let time = eventTimeOf(source, this.timeFields);
    if (time === null) {
      if (this.options.timeFallback !== 'now') {
        this.stats.eventsWithoutTime++;
        return;
      }
      time = (this.options.now ?? Date.now)();
    }
    if (!route.distinct) {
      this.place(time, ref, this.itemsFor(route, source), out);
      return;
    }
    // Every consumer of another correlation: one item each, read straight into scratch.
    const n = route.consumers.length;
    const keys = this.keyScratch;
    for (let l = 0; l < route.fieldLists.length; l++) keys[l] = groupKey(source, route.fieldLists[l]);
    const values = this.valueScratch;
    let present = 0;
    for (let k = 0; k < n; k++) {
      const c = this.plan.correlations[route.consumers[k].correlation];
      const value = c.valueFields ? consumerValue(c, source) : undefined;
      values[k] = value;
      if (c.valueFields && value === undefined) this.stats.missingValues++;
      else present++;
    }
    if (present === 0) return;
    if (this.pending.size === 0 && time >= this.lastApplied && time <= Math.max(this.maxSeen, time) - this.latenessMs) {
      // In time order with nothing waiting: applied at once, no item made.
      if (time > this.maxSeen) this.maxSeen = time;
      this.lastApplied = time;
      for (let k = 0; k < n; k++) {
        const { correlation, position, groupFields } = route.consumers[k];
        const c = this.plan.correlations[correlation];
        if (c.valueFields && values[k] === undefined) continue;
        const key = keys[route.listOf[k]];
        const g = this.groups.get(correlation, key) ?? this.newGroup(c, key, groupValues(source, groupFields));
        this.update(g, onePosition(position), values[k], time, ref, out);
      }
      return;
    }
    const items: Item[] = [];
    for (let k = 0; k < n; k++) {
      const { correlation, position, groupFields } = route.consumers[k];
      if (this.plan.correlations[correlation].valueFields && values[k] === undefined) continue;
      items.push({ correlation, key: keys[route.listOf[k]], values: groupValues(source, groupFields), positions: onePosition(position), value: values[k] });
    }
    this.place(time, ref, items, out);
  }

  /** Apply an event's items now, or queue them until no earlier event can come (maxLateness); late ones are counted. */
  private place(time: number, ref: EventRef, items: Item[], out: CorrelationAlert[]): void {
    if (items.length === 0) return;
    if (time < this.lastApplied) {
      this.stats.lateEvents++;
      return;
    }
    if (time > this.maxSeen) this.maxSeen = time;
    const watermark = this.maxSeen - this.latenessMs;
    if (this.pending.size === 0 && time <= watermark) {
      this.apply(time, ref, items, out); // in order: no need to queue
    } else {
      this.pending.push({ time, seq: this.seq++, ref, items });
      this.pendingBytes += itemsBytes(items);
      this.release(watermark, out);
    }
    // Groups keep within maxStateBytes as they change (update); waiting events give way here.
    while (this.pending.size > 0 && (this.pending.size > this.limits.maxPending || this.stateBytes > this.limits.maxStateBytes)) {
      this.stats.releasedEarly++;
      this.applyPending(out);
    }
  }

  /** Replace the whole state (snapshot.ts, after it has checked everything). */
  restoreState(state: { groups: GroupTable; valueIds: ValueIds; pending: readonly Pending[]; maxSeen: number; lastApplied: number; seq: number }): void {
    this.groups = state.groups;
    this.valueIds = state.valueIds;
    this.pending = new PendingQueue();
    this.pendingBytes = 0;
    for (const p of state.pending) {
      this.pending.push(p);
      this.pendingBytes += itemsBytes(p.items);
    }
    this.maxSeen = state.maxSeen;
    this.lastApplied = state.lastApplied;
    this.seq = state.seq;
  }

  /** Estimated bytes of the whole state (see maxStateBytes). */
  get stateBytes(): number {
    return this.groups.bytes + this.pendingBytes;
  }

  /** End of input: apply every event still waiting for later ones. */
  flush(): CorrelationAlert[] {
    const out: CorrelationAlert[] = [];
    this.release(Infinity, out);
    return out;
  }

  private release(watermark: number, out: CorrelationAlert[]): void {
    while (this.pending.size > 0 && this.pending.peek()!.time <= watermark) this.applyPending(out);
  }

  /** Apply the earliest waiting event. */
  private applyPending(out: CorrelationAlert[]): void {
    const p = this.pending.pop()!;
    this.pendingBytes -= itemsBytes(p.items);
    this.apply(p.time, p.ref, p.items, out);
  }

  /**
   * What the consumers of a hit bring: one item per (correlation, group), positions merged. A value_* correlation
   * gets no item when the event has no usable value in its field (counted once per correlation and group).
   */
  private itemsFor(route: Route, source: FieldSource): Item[] {
    const items: Item[] = [];
    let missing: Item[] | null = null;
    const keys = route.fieldLists.map((fields) => groupKey(source, fields));
    for (let k = 0; k < route.consumers.length; k++) {
      const { correlation, position, groupFields } = route.consumers[k];
      const c = this.plan.correlations[correlation];
      const key = keys[route.listOf[k]];
      let same: Item | undefined;
      for (const i of items) if (i.correlation === correlation && i.key === key) same = i;
      if (!same && missing) for (const i of missing) if (i.correlation === correlation && i.key === key) same = i;
      if (same) {
        // Position lists start shared (ONE_POSITION) and are copied when they grow.
        if (!same.positions.includes(position)) same.positions = [...same.positions, position];
        continue;
      }
      const value = c.valueFields ? consumerValue(c, source) : undefined;
      const item: Item = { correlation, key, values: groupValues(source, groupFields), positions: onePosition(position), value };
      if (c.valueFields && value === undefined) (missing ??= []).push(item);
      else items.push(item);
    }
    if (missing) this.stats.missingValues += missing.length;
    for (const i of items) if (i.positions.length > 1) i.positions.sort((a, b) => a - b);
    return items;
  }

  private apply(time: number, ref: EventRef, items: readonly Item[], out: CorrelationAlert[]): void {
    this.lastApplied = time;
    for (const item of items) this.updateItem(item, time, ref, out);
  }

  private updateItem(item: Item, time: number, ref: EventRef, out: CorrelationAlert[]): void {
    const c = this.plan.correlations[item.correlation];
    const g = this.groups.get(c.index, item.key) ?? this.newGroup(c, item.key, item.values);
    this.update(g, item.positions, item.value, time, ref, out);
  }

  /** Put an entry in group `g`'s window (made the most recently updated), and alert when the condition holds. */
  private update(g: GroupWindow, positions: readonly number[], entryValue: EntryValue, time: number, ref: EventRef, out: CorrelationAlert[]): void {
    const c = g.correlation;
    const s = this.settings[c.index];
    this.groups.touch(g);
    const before = g.bytes;
    g.open(time, s.window, s.timespanMs, s.gapMs);
    g.push(time, positions, entryValue, ref);
    if (g.size > this.limits.maxGroupEntries) {
      g.dropOldest();
      this.stats.evictedEntries++;
    }
    this.groups.bytes += g.bytes - before;
    while (this.groups.bytes > this.limits.maxStateBytes && this.groups.oldest() !== g) this.evictGroup();
    const value = g.value();
    if (!g.holds(value)) return;
    if (s.suppressMs > 0 && g.lastAlert !== null && time - g.lastAlert < s.suppressMs) {
      this.stats.suppressedAlerts++;
      return;
    }
    const alert: CorrelationAlert = { correlation: c.index, ref, time, group: g.group, value, first: g.firstTime(), last: g.lastTime() };
    if (this.keepRefs) alert.events = g.heldRefs();
    g.lastAlert = time;
    if (s.action === 'reset') {
      const held = g.bytes;
      g.clear();
      this.groups.bytes += g.bytes - held;
    }
    this.stats.alerts++;
    out.push(alert);
    if (c.consumers.length > 0) {
      for (const chained of this.itemsFor(routeOf(c.consumers), groupSource(alert.group))) this.updateItem(chained, time, ref, out);
    }
  }

  /** A new group of correlation `c` (the most recently updated), making room for it within the bounds. */
  private newGroup(c: PlannedCorrelation, key: string, values: readonly GroupValue[]): GroupWindow {
    if (this.groups.size >= this.limits.maxGroups) this.evictGroup();
    const g = new GroupWindow(c, key, groupObject(c.groupBy, values), this.keepRefs, this.valueIds);
    this.groups.add(g);
    while (this.groups.bytes > this.limits.maxStateBytes && this.groups.oldest() !== g) this.evictGroup();
    return g;
  }

  /** Drop the group updated least recently; counted when its window could still matter. */
  private evictGroup(): void {
    const g = this.groups.oldest()!;
    this.groups.delete(g);
    if (!this.expired(g)) this.stats.evictedGroups++;
    g.clear(); // lets its distinct values go
  }

  /** Whether no later event can see anything of this group (its window is over and its suppression too). */
  private expired(g: GroupWindow): boolean {
    const s = this.settings[g.correlation.index];
    const now = this.lastApplied;
    if (g.lastAlert !== null && now - g.lastAlert < s.suppressMs) return false;
    if (g.size === 0) return true;
    const last = g.lastTime();
    if (s.window === 'sliding') return last < now - s.timespanMs;
    if (s.window === 'tumbling') return (s.timespanMs > 0 ? Math.floor(now / s.timespanMs) : now) !== g.windowAnchor;
    return now - last > s.gapMs || now - g.windowAnchor > s.timespanMs;
  }
}
