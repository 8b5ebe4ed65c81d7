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

// Value kinds of the VM's value store (assembly/store/values.ts).
const KIND_STRING = 1;
const KIND_NUMBER = 2;
const KIND_TRUE = 3;
const KIND_FALSE = 4;
const KIND_NULL = 5;
const RECORD_HEADER_BYTES = 12;
const RECORD_SIZE = 8;
const VALUE_HEADER_BYTES = 12;
const TEST_HOLDS = 1;
const TEST_COUNT_SHIFT = 1;

// ignoreBOM: a value may begin with U+FEFF, which TextDecoder would otherwise drop as a byte order mark.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

interface ListedValue {
  kind: number;
  /** Its position among the slot's values. */
  position: number;
  text: string;
}

/** One value test of an item: whether it holds, and the values that satisfy it. */
interface TestFacts {
  holds: boolean;
  values: ListedValue[];
}

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

/** The facts of one record: per detection, per item, per test. */
function readRecord(records: ProvenanceRecords, at: number): TestFacts[][][] {
  const { bytes, view } = records;
  const end = at + view.getUint32(at + RECORD_SIZE, true);
  let p = at + RECORD_HEADER_BYTES;
  const word = (): number => {
    const w = view.getUint32(p, true);
    p += 4;
    return w;
  };
  const detections: TestFacts[][][] = [];
  while (p < end) {
    const items: TestFacts[][] = [];
    for (let i = word(); i > 0; i--) {
      const tests: TestFacts[] = [];
      for (let t = word(); t > 0; t--) {
        const head = word();
        const values: ListedValue[] = [];
        for (let k = head >>> TEST_COUNT_SHIFT; k > 0; k--) {
          const kind = word();
          const position = word();
          const length = word();
          values.push({ kind, position, text: kind === KIND_STRING || kind === KIND_NUMBER ? utf8.decode(bytes.subarray(p, p + length)) : '' });
          p += (length + 3) & ~3;
        }
        tests.push({ holds: (head & TEST_HOLDS) !== 0, values });
      }
      items.push(tests);
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
  const facts = readRecord(records, at);
  let view: EventView | null = null;
  const eventAsRead = (): EventView => (view ??= eventView(event, options.evtx ?? true));
  const rendered = (item: ShapeItem, v: ListedValue): string => {
    switch (v.kind) {
      case KIND_STRING:
      case KIND_NUMBER:
        return v.text;
      case KIND_TRUE:
        return 'true';
      case KIND_FALSE:
        return 'false';
      case KIND_NULL:
        return 'null';
      default: {
        // An object value (an item that only asks for presence): its JSON, as the reference shows it.
        const values = item.field === null ? eventAsRead().keywords().values : eventAsRead().field(item.field).values;
        return display(values[v.position]);
      }
    }
  };
  const items = (detection: number, item: number, node: ShapeItem): ItemFinding => {
    const tests = facts[detection]?.[item];
    if (!tests) throw new Error(`internal: the VM's provenance record has no item ${item} of detection ${detection}`);
    const holds = node.all ? tests.every((t) => t.holds) : tests.some((t) => t.holds);
    if (node.negated) return { ok: !holds, found: [] };
    if (!holds) return { ok: false, found: [] };
    const keyword = node.field === null;
    const found: Found[] = [];
    for (const t of tests) {
      for (const v of t.values) {
        const value = rendered(node, v);
        found.push({ field: keyword ? (leafPath(eventAsRead().event, value) ?? '*') : (node.field as string), value, keyword });
      }
    }
    return { ok: true, found };
  };
  return assembleProvenance(shape, items, options);
}
