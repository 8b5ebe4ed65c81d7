/**
 * The host side of the VM's provenance (assembly/vm/provenance.ts): its records say, for a hit, which value tests of
 * each item of the rule's search identifiers held and which slot values satisfied them; this module reads them and
 * hands them to the reference's own assembly (`assembleProvenance`, src/eval/provenance.ts), which decides which
 * identifiers made the condition hold and which values are listed. The rule's logic is not needed, only its shape
 * (`ProvenanceShape`: condition, names, item fields), which compiled rule sets and artifacts carry.
 */
import { assembleProvenance, display, leafPath, type Found, type ItemFinding, type Provenance, type ProvenanceShape, type ShapeItem } from '../eval/provenance.js';
import { eventView } from '../eval/reference.js';
import type { EventView } from '../eval/event.js';
import { decodeString } from './captures.js';
import { KIND_FALSE, KIND_NULL, KIND_NUMBER, KIND_STRING, KIND_TRUE } from './records.js';

const RECORD_HEADER_BYTES = 12;
const RECORD_SIZE = 8;
const VALUE_HEADER_BYTES = 12;
const TEST_HOLDS = 1;
const TEST_COUNT_SHIFT = 1;
/** In place of a detection's item count: it does not hold. */
const DETECTION_FALSE = 0xffffffff;


/** Where each (event, rule) hit's record is in the records of a batch. */
export interface ProvenanceRecords {
  bytes: Uint8Array;
  view: DataView;
  at: Map<string, number>;
}

export function hitKey(event: number, rule: number): string {
  return `${event}:${rule}`;
}

/** Index the records the VM wrote (the concatenation of what each call gave). */
export function indexProvenance(bytes: Uint8Array): ProvenanceRecords {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = new Map<string, number>();
  for (let p = 0; p < bytes.length; p += view.getUint32(p + RECORD_SIZE, true)) at.set(hitKey(view.getUint32(p, true), view.getUint32(p + 4, true)), p);
  return { bytes, view, at };
}

/** Bytes of the listed values after a test's head word. */
function listedBytes(view: DataView, p: number, count: number): number {
  let size = 0;
  for (let k = 0; k < count; k++) size += VALUE_HEADER_BYTES + ((view.getUint32(p + size + 8, true) + 3) & ~3);
  return size;
}

/** Where each item's test count is in a record, per detection (null: the detection does not hold). */
function itemOffsets(view: DataView, at: number): (number[] | null)[] {
  const end = at + view.getUint32(at + RECORD_SIZE, true);
  let p = at + RECORD_HEADER_BYTES;
  const detections: (number[] | null)[] = [];
  while (p < end) {
    const count = view.getUint32(p, true);
    p += 4;
    if (count === DETECTION_FALSE) {
      detections.push(null);
      continue;
    }
    const items: number[] = [];
    for (let i = 0; i < count; i++) {
      items.push(p);
      const tests = view.getUint32(p, true);
      p += 4;
      for (let t = 0; t < tests; t++) {
        const head = view.getUint32(p, true);
        p += 4 + listedBytes(view, p + 4, head >>> TEST_COUNT_SHIFT);
      }
    }
    detections.push(items);
  }
  return detections;
}

export interface VmProvenanceOptions {
  /** Read evtx_dump-shaped events through the evtx mapping (as the matcher did). */
  evtx?: boolean;
  /** Longest value reported, in UTF-16 units (default 4096). */
  maxValueLength?: number;
}

/**
 * The provenance of a hit from its VM record: what explainMatch(rule, event) gives. `event` is the hit's event,
 * read only where the VM's values cannot say it all: the path of a keyword's leaf, an object value's JSON.
 */
export function vmProvenance(shape: ProvenanceShape, records: ProvenanceRecords, at: number, event: unknown, options: VmProvenanceOptions = {}): Provenance {
  const { bytes, view } = records;
  const offsets = itemOffsets(view, at);
  let eventRead: EventView | null = null;
  const eventAsRead = (): EventView => (eventRead ??= eventView(event, options.evtx ?? true));
  /** The string form of the listed value at `p` (its kind word). */
  const rendered = (item: ShapeItem, p: number): string => {
    const kind = view.getUint32(p, true);
    switch (kind) {
      case KIND_STRING:
      case KIND_NUMBER:
        return decodeString(bytes, p + VALUE_HEADER_BYTES, view.getUint32(p + 8, true));
      case KIND_TRUE:
        return 'true';
      case KIND_FALSE:
        return 'false';
      case KIND_NULL:
        return 'null';
      default: {
        // An object value (an item that only asks for presence): its JSON, as the reference shows it.
        const values = item.field === null ? eventAsRead().keywords().values : eventAsRead().field(item.field).values;
        return display(values[view.getUint32(p + 4, true)]);
      }
    }
  };
  const items = (detection: number, item: number, node: ShapeItem): ItemFinding => {
    const listed = offsets[detection];
    if (listed === null) return { ok: false, found: [] };
    if (listed === undefined || listed[item] === undefined) throw new Error(`internal: the VM's provenance record has no item ${item} of detection ${detection}`);
    let p = listed[item];
    const tests = view.getUint32(p, true);
    p += 4;
    const first = p;
    let held = 0;
    for (let t = 0; t < tests; t++) {
      const head = view.getUint32(p, true);
      if ((head & TEST_HOLDS) !== 0) held++;
      p += 4 + listedBytes(view, p + 4, head >>> TEST_COUNT_SHIFT);
    }
    const holds = node.all ? held === tests : held > 0;
    if (node.negated) return { ok: !holds, found: [] };
    if (!holds) return { ok: false, found: [] };
    const keyword = node.field === null;
    const found: Found[] = [];
    p = first;
    for (let t = 0; t < tests; t++) {
      const count = view.getUint32(p, true) >>> TEST_COUNT_SHIFT;
      p += 4;
      for (let k = 0; k < count; k++) {
        const value = rendered(node, p);
        found.push({ field: keyword ? (leafPath(eventAsRead().event, value) ?? '*') : (node.field as string), value, keyword });
        p += VALUE_HEADER_BYTES + ((view.getUint32(p + 8, true) + 3) & ~3);
      }
    }
    return { ok: true, found };
  };
  return assembleProvenance(shape, items, options);
}
