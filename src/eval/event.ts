/**
 * Event access as every engine must see it (SIGMA.md decisions): exact field names; a dotted name is the literal
 * key first, else the nested path (arrays along the path are traversed); array values match per element; string
 * forms of numbers and booleans; keyword search over every string and number leaf.
 */
import { foldString, wellFormed } from '../text/fold.js';

/** What a field lookup found: whether the field exists, and its values with arrays flattened. */
export class FieldValues {
  private foldedCache: (string | null)[] | null = null;
  private stringCache: (string | null)[] | null = null;

  constructor(
    readonly present: boolean,
    readonly values: readonly unknown[],
  ) {}

  /** String form of each value (null for null, objects and arrays). */
  get strings(): (string | null)[] {
    return (this.stringCache ??= this.values.map(stringForm));
  }

  get folded(): (string | null)[] {
    return (this.foldedCache ??= this.strings.map((s) => (s === null ? null : foldString(s))));
  }
}

const ABSENT = new FieldValues(false, []);

/** The text a value compares as: strings as they are (lone surrogates as U+FFFD), numbers in JavaScript's
 * shortest decimal form, booleans as "true"/"false". */
export function stringForm(v: unknown): string | null {
  switch (typeof v) {
    case 'string':
      return wellFormed(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : null;
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * How deep the engines follow an event's objects and arrays. JSON text is never this deep in practice; a JS event
 * can be infinitely deep (an object that contains itself), and is then refused with EventTooDeepError rather than
 * read forever.
 */
export const MAX_EVENT_DEPTH = 1_000_000;

export class EventTooDeepError extends Error {
  constructor() {
    super(`the event nests deeper than ${MAX_EVENT_DEPTH} levels (a cycle of objects or arrays?)`);
    this.name = 'EventTooDeepError';
  }
}

/** An event's fields are its own enumerable string-keyed properties: what Object.keys and JSON.stringify see. */
function hasField(o: object, key: string): boolean {
  return Object.prototype.propertyIsEnumerable.call(o, key);
}

/** Append v to out, flattening arrays (iteratively: hostile events can nest arrays very deep). */
function pushFlattened(out: unknown[], v: unknown): void {
  if (!Array.isArray(v)) {
    out.push(v);
    return;
  }
  const stack: unknown[] = [v];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const cur = stack.pop();
    const depth = depths.pop()!;
    if (!Array.isArray(cur)) out.push(cur);
    else if (depth >= MAX_EVENT_DEPTH) throw new EventTooDeepError();
    else {
      for (let i = cur.length - 1; i >= 0; i--) {
        stack.push(cur[i]);
        depths.push(depth + 1);
      }
    }
  }
}

export function lookupField(event: unknown, field: string): FieldValues {
  if (!isObject(event)) return ABSENT;
  if (hasField(event, field)) {
    const values: unknown[] = [];
    pushFlattened(values, event[field]);
    return new FieldValues(true, values);
  }
  if (!field.includes('.')) return ABSENT;
  let current: unknown[] = [event];
  for (const segment of field.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      const items: unknown[] = [];
      pushFlattened(items, c);
      for (const item of items) if (isObject(item) && hasField(item, segment)) next.push(item[segment]);
    }
    if (next.length === 0) return ABSENT;
    current = next;
  }
  const values: unknown[] = [];
  for (const c of current) pushFlattened(values, c);
  return new FieldValues(true, values);
}

/** String forms of every string and number leaf (not keys, booleans or nulls), depth-first in document order. */
export function keywordLeaves(event: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [event];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (typeof v === 'string') out.push(wellFormed(v));
    else if (typeof v === 'number') {
      if (Number.isFinite(v)) out.push(String(v));
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= MAX_EVENT_DEPTH) throw new EventTooDeepError();
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) {
          stack.push(v[i]);
          depths.push(depth + 1);
        }
      } else {
        // Object.keys, not Object.values: the same order, and over twice as fast on an object of a million keys.
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          stack.push((v as Record<string, unknown>)[keys[i]]);
          depths.push(depth + 1);
        }
      }
    }
  }
  return out;
}

/** One event under evaluation: lookups and folded keyword leaves are computed once and shared by every rule. */
export class EventView {
  private readonly fields = new Map<string, FieldValues>();
  private leaves: FieldValues | null = null;

  /**
   * @param event the (flat) event fields are read from
   * @param keywordSource what keyword search reads, when it differs from the event (evtx: every value the mapping
   * read, shadowed ones included)
   */
  constructor(
    readonly event: unknown,
    private readonly keywordSource: unknown = event,
  ) {}

  field(name: string): FieldValues {
    let f = this.fields.get(name);
    if (!f) {
      f = lookupField(this.event, name);
      this.fields.set(name, f);
    }
    return f;
  }

  /** Every string and number leaf, as a FieldValues so keyword matching reuses the value matchers. */
  keywords(): FieldValues {
    return (this.leaves ??= new FieldValues(true, keywordLeaves(this.keywordSource)));
  }
}
