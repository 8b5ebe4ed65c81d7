/**
 * evtx_dump-style JSON (`{"Event": {"System": {...}, "EventData": {...}}}`) as the flat events Sigma rules are
 * written against (SIGMA.md regression section; the spec's EVTX naming):
 *
 * - an event is in evtx shape when its only key is `Event` and `Event.System` is an object;
 * - `System` children become top-level fields; a child object gives `<Child>` = its `#text` (when present) and
 *   `<Child>_<Attr>` for each of its `#attributes` (`Provider_Name`, `Execution_ProcessID`, `EventID_Qualifiers`);
 * - `EventData` children become top-level fields (a `{"#text": v}` child gives v); `UserData` has one element per
 *   child whose children become top-level fields; neither overrides a System field;
 * - `Event.#attributes` (the XML namespace) is dropped.
 *
 * The WASM JSON scanner implements the same mapping over bytes; keep the two in step (DESIGN.md, "evtx shape").
 */

type JsonObject = Record<string, unknown>;

const TEXT = '#text';
const ATTRIBUTES = '#attributes';

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isEvtxShape(event: unknown): event is { Event: JsonObject } {
  if (!isObject(event)) return false;
  let keys = 0;
  for (const k in event) {
    if (++keys > 1 || k !== 'Event') return false;
  }
  const inner = event.Event;
  return isObject(inner) && isObject(inner.System);
}

function put(out: JsonObject, key: string, value: unknown): void {
  if (!Object.hasOwn(out, key)) out[key] = value;
}

/** Children of an EventData/UserData element: `{"#text": v}` wrappers unwrap to v. */
function putChildren(out: JsonObject, element: unknown): void {
  if (!isObject(element)) return;
  for (const [k, v] of Object.entries(element)) {
    if (k === ATTRIBUTES) continue;
    put(out, k, isObject(v) && Object.hasOwn(v, TEXT) ? v[TEXT] : v);
  }
}

/** The flat form of an evtx_dump event; any other value is returned unchanged. */
export function flattenEvtx(event: unknown): unknown {
  if (!isEvtxShape(event)) return event;
  const root = event.Event;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(root.System as JsonObject)) {
    if (isObject(v) && (Object.hasOwn(v, TEXT) || Object.hasOwn(v, ATTRIBUTES))) {
      if (Object.hasOwn(v, TEXT)) put(out, k, v[TEXT]);
      const attrs = v[ATTRIBUTES];
      if (isObject(attrs)) for (const [a, av] of Object.entries(attrs)) put(out, `${k}_${a}`, av);
    } else put(out, k, v);
  }
  putChildren(out, root.EventData);
  if (isObject(root.UserData)) for (const element of Object.values(root.UserData)) putChildren(out, element);
  return out;
}
