/**
 * Event metrics, as Hayabusa's eid and computer metrics give them: events counted by Channel, EventID, Provider and
 * Computer (each alone, or several together: `channel+event_id`), with each group's first and last event time.
 * Distinct groups per breakdown are bounded (MAX_GROUPS): past it, new values are counted together as "other".
 */
import { parseTime } from '../../correlation/index.js';
import { eventChannel, eventComputer, eventIdOf, eventProvider, eventTime } from '../../input/event-fields.js';

export const DIMENSIONS = ['channel', 'event_id', 'provider', 'computer'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const READERS: Record<Dimension, (event: unknown) => string | undefined> = {
  channel: eventChannel,
  event_id: eventIdOf,
  provider: eventProvider,
  computer: eventComputer,
};

/** Groups one breakdown keeps apart; later new values are counted under `other`. */
export const MAX_GROUPS = 100_000;
const KEY_SEPARATOR = '\u0000';
const ABSENT = '\u0001';

export interface Group {
  /** The dimensions' values (null: the event does not say). */
  values: (string | null)[];
  count: number;
  /** Epoch milliseconds of the group's earliest and latest events with a usable time (null: none had one). */
  first: number | null;
  last: number | null;
}

export interface Breakdown {
  by: readonly Dimension[];
  /** Most events first (ties: by value). */
  groups: Group[];
  /** Events of values met after MAX_GROUPS groups, counted together. */
  other: Omit<Group, 'values'> | null;
}

export interface Metrics {
  events: number;
  /** Events without a time that can be read. */
  untimed: number;
  first: number | null;
  last: number | null;
  breakdowns: Breakdown[];
}

function widen(g: Omit<Group, 'values'>, t: number | null): void {
  g.count++;
  if (t === null) return;
  if (g.first === null || t < g.first) g.first = t;
  if (g.last === null || t > g.last) g.last = t;
}

class BreakdownCounter {
  private readonly groups = new Map<string, Group>();
  private other: Omit<Group, 'values'> | null = null;

  constructor(readonly by: readonly Dimension[]) {}

  add(values: Readonly<Record<Dimension, string | undefined>>, t: number | null): void {
    const vs = this.by.map((d) => values[d] ?? null);
    const key = vs.map((v) => v ?? ABSENT).join(KEY_SEPARATOR);
    let g: Omit<Group, 'values'> | undefined = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size < MAX_GROUPS) {
        const created: Group = { values: vs, count: 0, first: null, last: null };
        this.groups.set(key, created);
        g = created;
      } else g = this.other ??= { count: 0, first: null, last: null };
    }
    widen(g, t);
  }

  result(): Breakdown {
    // Ties by value, events that do not say last.
    const text = (g: Group): string => g.values.map((v) => v ?? '\uffff').join(KEY_SEPARATOR);
    const groups = [...this.groups.values()].sort((a, b) => b.count - a.count || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
    return { by: this.by, groups, other: this.other };
  }
}

export class EventMetrics {
  private readonly total: Omit<Group, 'values'> = { count: 0, first: null, last: null };
  private untimed = 0;
  private readonly counters: BreakdownCounter[];
  private readonly needed: Dimension[];

  constructor(breakdowns: readonly (readonly Dimension[])[]) {
    this.counters = breakdowns.map((b) => new BreakdownCounter(b));
    this.needed = DIMENSIONS.filter((d) => breakdowns.some((b) => b.includes(d)));
  }

  /** Events counted so far. */
  get events(): number {
    return this.total.count;
  }

  add(event: unknown): void {
    const written = eventTime(event);
    const t = written === undefined ? null : parseTime(written);
    if (t === null) this.untimed++;
    widen(this.total, t);
    const values = { channel: undefined, event_id: undefined, provider: undefined, computer: undefined } as Record<Dimension, string | undefined>;
    for (const d of this.needed) values[d] = READERS[d](event);
    for (const c of this.counters) c.add(values, t);
  }

  result(): Metrics {
    return { events: this.total.count, untimed: this.untimed, first: this.total.first, last: this.total.last, breakdowns: this.counters.map((c) => c.result()) };
  }
}

/**
 * `--by`: comma-separated breakdowns, each one dimension or several joined with `+` (`channel+event_id`); null for
 * a name that is not a dimension (the caller reports it).
 */
export function parseBreakdowns(spec: string): { breakdowns: Dimension[][] } | { unknown: string } {
  const breakdowns: Dimension[][] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const dims = part.split('+').map((s) => s.trim().toLowerCase().replace(/^eventid$/, 'event_id'));
    const bad = dims.find((d) => !(DIMENSIONS as readonly string[]).includes(d));
    if (bad !== undefined) return { unknown: bad };
    if (new Set(dims).size !== dims.length) return { unknown: part };
    breakdowns.push(dims as Dimension[]);
  }
  return breakdowns.length === 0 ? { unknown: spec } : { breakdowns };
}
