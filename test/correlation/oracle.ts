/**
 * A brute-force statement of correlation semantics, for property tests: it keeps each group's whole history and
 * recomputes every window from it at every event (sliding: the history since the last reset within the timespan;
 * tumbling: the same bucket; session: the session found by walking the history), recomputes every aggregate from
 * scratch (exact sums in BigInt), and decides time order and lateness by recomputing the set of applied events
 * after each arrival. Independent of src/correlation except for the shapes it answers with. Bounds on state
 * (maxGroups, maxGroupEntries) are not modelled: tests run with limits the streams never reach.
 */
import type { CorrelationBound, CorrelationType, CorrelationWindow } from '../../src/rule/model.js';

export interface OracleSpec {
  title: string;
  /** Referenced by chains under this name. */
  name: string;
  type: CorrelationType;
  /** Rule names or spec names. */
  rules: string[];
  /** Empty or ['g']: the test events' group field. */
  groupBy: string[];
  timespanSeconds: number;
  bounds: CorrelationBound[];
  /** value_* types: 'v' (value_count) or 'n' (numbers). */
  field?: 'v' | 'n';
  percentile?: number;
}

export interface OracleEvent {
  /** Epoch ms, or null for no usable time. */
  time: number | null;
  g?: string;
  /** The base rules it matches ('rule_a', ...), in rule order. */
  rules: string[];
  v?: string;
  n?: unknown;
}

export interface OracleOptions {
  window: CorrelationWindow;
  gapSeconds: number;
  action: 'alert' | 'reset';
  suppressSeconds: number;
  latenessSeconds: number;
}

export interface OracleAlert {
  title: string;
  event: number;
  group: Record<string, string | null>;
  value: number;
}

export interface OracleResult {
  alerts: OracleAlert[];
  stats: { eventsWithoutTime: number; lateEvents: number; missingValues: number; suppressedAlerts: number; alerts: number };
}

interface HistoryEntry {
  time: number;
  positions: number[];
  value: string | number | undefined;
}

interface GroupHistory {
  entries: HistoryEntry[];
  resetAt: number;
  lastAlert: number | null;
}

interface Item {
  spec: number;
  group: Record<string, string | null>;
  positions: number[];
  value: string | number | undefined;
}

// ---- exact arithmetic -----------------------------------------------------------------------------------------

const SCALE = 1100; // every finite double times 2^1100 is an integer

function scaled(v: number): bigint {
  if (v === 0) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exponent !== 0) mantissa |= 1n << 52n;
  const shift = (exponent === 0 ? 1 : exponent) - 1075 + SCALE;
  const magnitude = mantissa << BigInt(shift);
  return v < 0 ? -magnitude : magnitude;
}

/** The double nearest to s / 2^SCALE (ties to even), for results in the normal range. */
function unscaled(s: bigint): number {
  if (s === 0n) return 0;
  const negative = s < 0n;
  const a = negative ? -s : s;
  const bits = a.toString(2).length;
  const drop = bits - 53;
  let m: bigint;
  if (drop > 0) {
    m = a >> BigInt(drop);
    const rest = a - (m << BigInt(drop));
    const half = 1n << BigInt(drop - 1);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
  } else m = a << BigInt(-drop);
  const value = Number(m) * 2 ** (drop - SCALE + 600) * 2 ** -600;
  return negative ? -value : value;
}

/** The exact sum of doubles, rounded once. */
export function exactTotal(values: readonly number[]): number {
  return unscaled(values.reduce((s, v) => s + scaled(v), 0n));
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(v)) return Number(v);
  return undefined;
}

// ---- the oracle -----------------------------------------------------------------------------------------------

export function runOracle(specs: readonly OracleSpec[], events: readonly OracleEvent[], options: OracleOptions): OracleResult {
  const stats = { eventsWithoutTime: 0, lateEvents: 0, missingValues: 0, suppressedAlerts: 0, alerts: 0 };
  const alerts: OracleAlert[] = [];
  const histories = specs.map(() => new Map<string, GroupHistory>());
  const ms = (s: number): number => s * 1000;

  /** The items an event brings, in the order the contract states: its rules in order, then specs in load order. */
  const itemsOf = (names: readonly string[], group: (spec: OracleSpec) => Record<string, string | null>, valueOf: (spec: OracleSpec) => string | number | undefined): Item[] => {
    const items: (Item & { missing: boolean })[] = [];
    for (const name of names) {
      specs.forEach((spec, i) => {
        spec.rules.forEach((ref, position) => {
          if (ref !== name) return;
          const g = group(spec);
          const same = items.find((it) => it.spec === i && JSON.stringify(it.group) === JSON.stringify(g));
          if (same) {
            if (!same.positions.includes(position)) same.positions.push(position);
            return;
          }
          const value = spec.field ? valueOf(spec) : undefined;
          items.push({ spec: i, group: g, positions: [position], value, missing: spec.field !== undefined && value === undefined });
        });
      });
    }
    stats.missingValues += items.filter((i) => i.missing).length;
    return items.filter((i) => !i.missing).map((i) => ({ ...i, positions: [...i.positions].sort((a, b) => a - b) }));
  };

  const windowOf = (h: GroupHistory, spec: OracleSpec, now: number): HistoryEntry[] => {
    const live = h.entries.slice(h.resetAt);
    const span = ms(spec.timespanSeconds);
    if (options.window === 'sliding') return live.filter((e) => e.time >= now - span);
    if (options.window === 'tumbling') return live.filter((e) => Math.floor(e.time / span) === Math.floor(now / span));
    let start = 0;
    for (let k = 1; k < live.length; k++) {
      if (live[k].time - live[k - 1].time > ms(options.gapSeconds) || live[k].time - live[start].time > span) start = k;
    }
    return live.slice(start);
  };

  const aggregate = (spec: OracleSpec, w: readonly HistoryEntry[]): { value: number; holds: boolean } => {
    const compare = (value: number): { value: number; holds: boolean } => ({
      value,
      holds: spec.bounds.every((b) =>
        b.op === 'gt' ? value > b.value : b.op === 'gte' ? value >= b.value : b.op === 'lt' ? value < b.value : b.op === 'lte' ? value <= b.value : b.op === 'eq' ? value === b.value : value !== b.value,
      ),
    });
    const P = spec.rules.length;
    const numbers = w.map((e) => e.value as number);
    switch (spec.type) {
      case 'event_count':
        return compare(w.length);
      case 'value_count':
        return compare(new Set(w.map((e) => e.value)).size);
      case 'value_sum':
        return compare(exactTotal(numbers));
      case 'value_avg':
        return compare(exactTotal(numbers) / numbers.length);
      case 'value_percentile':
      case 'value_median': {
        const p = spec.type === 'value_median' ? 50 : (spec.percentile ?? 50);
        const sorted = [...numbers].sort((a, b) => a - b);
        const i = sorted.findIndex((_, k) => (k + 1) * 100 >= p * sorted.length);
        return compare(sorted[i]);
      }
      case 'temporal': {
        const seen = new Set(w.flatMap((e) => e.positions)).size;
        return spec.bounds.length > 0 ? compare(seen) : { value: seen, holds: seen === P };
      }
      case 'temporal_ordered': {
        // The longest prefix of steps 0..k-1 found at non-decreasing positions of the window (an entry may fill
        // consecutive steps): try each k from the top with a search over all choices.
        const fits = (k: number, step: number, from: number): boolean =>
          step === k || w.some((e, i) => i >= from && e.positions.includes(step) && fits(k, step + 1, i));
        let k = P;
        while (k > 0 && !fits(k, 0, 0)) k--;
        return spec.bounds.length > 0 ? compare(k) : { value: k, holds: k === P };
      }
    }
  };

  const update = (item: Item, time: number, event: number): void => {
    const spec = specs[item.spec];
    const key = JSON.stringify(item.group);
    let h = histories[item.spec].get(key);
    if (!h) histories[item.spec].set(key, (h = { entries: [], resetAt: 0, lastAlert: null }));
    h.entries.push({ time, positions: item.positions, value: item.value });
    const { value, holds } = aggregate(spec, windowOf(h, spec, time));
    if (!holds) return;
    if (options.suppressSeconds > 0 && h.lastAlert !== null && time - h.lastAlert < ms(options.suppressSeconds)) {
      stats.suppressedAlerts++;
      return;
    }
    h.lastAlert = time;
    if (options.action === 'reset') h.resetAt = h.entries.length;
    stats.alerts++;
    alerts.push({ title: spec.title, event, group: item.group, value });
    const chained = itemsOf(
      [spec.name],
      (s) => Object.fromEntries(s.groupBy.map((f) => [f, Object.hasOwn(item.group, f) ? item.group[f] : null])),
      (s) => (s.field === 'v' ? (item.group.v ?? undefined) : numeric(item.group.n)),
    );
    for (const c of chained) update(c, time, event);
  };

  // Arrival: time, items, lateness; the applied set recomputed after each arrival.
  const accepted: { index: number; time: number; items: Item[] }[] = [];
  let lastApplied = -Infinity;
  let maxSeen = -Infinity;
  events.forEach((e, index) => {
    if (!e.rules.some((r) => specs.some((s) => s.rules.includes(r)))) return;
    if (e.time === null) {
      stats.eventsWithoutTime++;
      return;
    }
    const items = itemsOf(
      e.rules,
      (s) => Object.fromEntries(s.groupBy.map((f) => [f, e.g ?? null])),
      (s) => (s.field === 'v' ? e.v : numeric(e.n)),
    );
    if (items.length === 0) return;
    if (e.time < lastApplied) {
      stats.lateEvents++;
      return;
    }
    accepted.push({ index, time: e.time, items });
    maxSeen = Math.max(maxSeen, e.time);
    const watermark = maxSeen - ms(options.latenessSeconds);
    for (const a of accepted) if (a.time <= watermark) lastApplied = Math.max(lastApplied, a.time);
  });
  const order = [...accepted].sort((a, b) => a.time - b.time || a.index - b.index);
  for (const a of order) for (const item of a.items) update(item, a.time, a.index);
  return { alerts, stats };
}
