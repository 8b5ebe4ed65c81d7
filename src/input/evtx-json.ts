/**
 * evtx_dump-style JSON (`{"Event": {"System": {...}, "EventData": {...}}}`) read as the flat events Sigma rules are
 * written against (SIGMA.md regression section; the spec's EVTX naming). This module is the statement of the
 * mapping; DESIGN.md section 2 has it as a table and the WASM scanner implements the same over bytes.
 *
 * - An event is in evtx-json shape (evtx_dump JSON output) when its only key is `Event` and `Event.System` is an object.
 * - Assignments by tier (a lower tier wins; the same tier merges into an array):
 *   0 System member K (scalar/array, or an element object's `#text`), 1 its `#attributes` Y as `K_Y`,
 *   2 EventData member K, 3 its attributes, 4 UserData element members K, 5 their attributes.
 * - An element object (any object member) contributes only its `#text` and `#attributes`; array elements that are
 *   objects contribute their `#text`.
 * - Keyword search reads every value an assignment reads, shadowed ones included (`leaves`).
 * - A member of EventData or of a UserData element whose name has spaces (Windows Defender's `Threat Name`) is also
 *   assigned without them (`ThreatName`), at the same tier, as SigmaHQ's rules name such fields; not a second leaf.
 */

type JsonObject = Record<string, unknown>;

const TEXT = '#text';
const SPACE = ' ';
const ATTRIBUTES = '#attributes';

const TIER_SYSTEM = 0;
const TIER_DATA = 2;
const TIER_USERDATA = 4;
/** Attributes of a member sit one tier after the member itself. */
const ATTRIBUTE_TIER_OFFSET = 1;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isEvtxJsonShape(event: unknown): event is { Event: JsonObject } {
  if (!isObject(event)) return false;
  // Event.System first: one lookup for the events that are not evtx-json, whatever their size (enumerating the keys
  // of an object of a million takes V8 a second, even to stop at the second).
  const inner = event.Event;
  if (!isObject(inner) || !isObject(inner.System)) return false;
  let keys = 0;
  for (const k in event) {
    if (++keys > 1 || k !== 'Event') return false;
  }
  return true;
}

export interface FlatEvtxJson {
  event: JsonObject;
  /** Every value the mapping read (for keyword search), in document order. */
  values: unknown[];
}

/** Set an own property, whatever the key: `event[key] = v` with the key `__proto__` would set the prototype instead
 * (JSON.parse makes `__proto__` an ordinary key, and so does the VM's scanner). */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

class Assigner {
  readonly event: JsonObject = {};
  readonly values: unknown[] = [];
  private readonly tiers = new Map<string, number>();

  assign(key: string, value: unknown, tier: number, leaf = true): void {
    if (leaf) this.values.push(value);
    const held = this.tiers.get(key);
    if (held === undefined || tier < held) {
      this.tiers.set(key, tier);
      setOwn(this.event, key, value);
    } else if (tier === held) {
      const current = this.event[key];
      setOwn(this.event, key, [...(Array.isArray(current) ? current : [current]), ...(Array.isArray(value) ? value : [value])]);
    }
  }

  /** A member of System, EventData or a UserData element. */
  member(key: string, value: unknown, tier: number, leaf = true): void {
    if (isObject(value)) {
      if (Object.hasOwn(value, TEXT)) this.assign(key, value[TEXT], tier, leaf);
      const attrs = value[ATTRIBUTES];
      if (isObject(attrs)) for (const [a, av] of Object.entries(attrs)) this.assign(`${key}_${a}`, av, tier + ATTRIBUTE_TIER_OFFSET, leaf);
    } else if (Array.isArray(value)) {
      this.assign(key, value.map((v) => (isObject(v) ? (Object.hasOwn(v, TEXT) ? v[TEXT] : undefined) : v)).filter((v) => v !== undefined), tier, leaf);
    } else this.assign(key, value, tier, leaf);
  }

  /** EventData or a UserData element: every member but `#attributes`; names with spaces also without them. */
  container(element: unknown, tier: number): void {
    if (!isObject(element)) return;
    for (const [k, v] of Object.entries(element)) {
      if (k === ATTRIBUTES) continue;
      this.member(k, v, tier);
      if (k.includes(SPACE)) this.member(k.replaceAll(SPACE, ''), v, tier, false);
    }
  }
}

/** The flat form of an evtx_dump event, or null when the event is not in evtx shape. */
export function readEvtxJson(event: unknown): FlatEvtxJson | null {
  if (!isEvtxJsonShape(event)) return null;
  const root = event.Event;
  const out = new Assigner();
  const system = root.System as JsonObject;
  // System members before attributes: the tier order is also the document order of the reference's passes.
  for (const [k, v] of Object.entries(system)) out.member(k, v, TIER_SYSTEM);
  out.container(root.EventData, TIER_DATA);
  // UserData's children are elements; its own `#attributes` (if any) are not.
  if (isObject(root.UserData)) {
    for (const [name, element] of Object.entries(root.UserData)) if (name !== ATTRIBUTES) out.container(element, TIER_USERDATA);
  }
  return { event: out.event, values: out.values };
}

/** The flat form of an evtx_dump event; any other value is returned unchanged. */
export function flattenEvtxJson(event: unknown): unknown {
  return readEvtxJson(event)?.event ?? event;
}
