/**
 * The host side of capture (assembly/vm/capture.ts): which rules' hit events the VM copies field values out of and
 * which slots, and the decoding of its records into FieldSources the correlation engine reads, so the bytes path
 * does not parse hit events' JSON again.
 */
import type { CorrelationPlan, FieldSource } from '../correlation/index.js';
import { FieldValues } from '../eval/event.js';
import type { CapturePlan } from './host.js';
import { KIND_FALSE, KIND_NULL, KIND_NUMBER, KIND_STRING, KIND_TRUE } from './records.js';

const NONE = 0xffffffff;
const RECORD_HEADER_BYTES = 8;
const VALUE_HEADER_BYTES = 8;
/** Strings up to this long are decoded by hand when ASCII (a TextDecoder call costs more than a short string). */
const SHORT_STRING = 64;
const ABSENT = new FieldValues(false, []);
/** An object value: present, not null, no string form (what `lookupField` gives for an object). */
const OBJECT_VALUE = Object.freeze({});

// ignoreBOM: a value may begin with U+FEFF, which TextDecoder would otherwise drop as a byte order mark.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A value's UTF-8 text (short ASCII decoded by hand; exported for provenance.ts). */
export function decodeString(bytes: Uint8Array, start: number, length: number): string {
  if (length <= SHORT_STRING) {
    let ascii = true;
    for (let i = start; i < start + length; i++) if (bytes[i] >= 0x80) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, start + length) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(start, start + length));
}

/** The fields captured from one event, decoded when first read (most events are read for a few of them). */
class CapturedFields implements FieldSource {
  private readonly decoded: (FieldValues | undefined)[];
  /** Where each captured slot's count word is in `records`. */
  private readonly starts: number[] = [];

  /**
   * @param records the capture records of one VM call
   * @param at where the event's record starts in `records`
   */
  constructor(
    private readonly slotOf: ReadonlyMap<string, number>,
    private readonly records: Uint8Array,
    private readonly view: DataView,
    at: number,
    slots: number,
  ) {
    this.decoded = new Array(slots);
    let p = at + RECORD_HEADER_BYTES;
    for (let s = 0; s < slots; s++) {
      this.starts.push(p);
      const count = view.getUint32(p, true);
      p += 4;
      if (count === NONE) continue;
      for (let k = 0; k < count; k++) p += VALUE_HEADER_BYTES + padded(view.getUint32(p + 4, true));
    }
  }

  field(name: string): FieldValues {
    const i = this.slotOf.get(name);
    if (i === undefined) throw new Error(`internal: the field "${name}" was not captured`);
    return (this.decoded[i] ??= this.decode(this.starts[i]));
  }

  scalar(name: string): string | number | boolean | undefined {
    const found = this.field(name);
    if (found.values.length !== 1) return undefined;
    const v = found.values[0];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
  }

  private decode(at: number): FieldValues {
    const view = this.view;
    const count = view.getUint32(at, true);
    if (count === NONE) return ABSENT;
    const list: unknown[] = new Array(count);
    let p = at + 4;
    for (let k = 0; k < count; k++) {
      const kind = view.getUint32(p, true);
      const length = view.getUint32(p + 4, true);
      const start = p + VALUE_HEADER_BYTES;
      list[k] =
        kind === KIND_STRING ? decodeString(this.records, start, length)
        : kind === KIND_NUMBER ? Number(decodeString(this.records, start, length))
        : kind === KIND_TRUE ? true
        : kind === KIND_FALSE ? false
        : kind === KIND_NULL ? null
        : OBJECT_VALUE;
      p = start + padded(length);
    }
    return new FieldValues(true, list);
  }
}

/**
 * The capture records of a scan, in event order, indexed by three numbers per event (which batch of records, where
 * in it, which event): an event's fields are made into a FieldSource only when the correlation engine asks for
 * them, so a long push keeps bytes, not an object per event.
 */
export class CapturedEvents {
  private readonly batches: { records: Uint8Array; view: DataView }[] = [];
  private events: number[] = [];
  private batchOf: number[] = [];
  private offsets: number[] = [];
  /** Where the next lookup starts (lookups come in event order). */
  private cursor = 0;

  constructor(
    private readonly slotOf: ReadonlyMap<string, number>,
    private readonly slots: number,
  ) {}

  /** Index the records of one VM call. */
  add(records: Uint8Array): void {
    if (records.length === 0) return;
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    const batch = this.batches.length;
    this.batches.push({ records, view });
    for (let at = 0; at < records.length; at += view.getUint32(at + 4, true)) {
      this.events.push(view.getUint32(at, true));
      this.batchOf.push(batch);
      this.offsets.push(at);
    }
  }

  /** The fields of event `event`, or undefined when it was not captured. Lookups must come in event order. */
  fieldsOf(event: number): FieldSource | undefined {
    while (this.cursor < this.events.length && this.events[this.cursor] < event) this.cursor++;
    if (this.cursor >= this.events.length || this.events[this.cursor] !== event) return undefined;
    const { records, view } = this.batches[this.batchOf[this.cursor]];
    return new CapturedFields(this.slotOf, records, view, this.offsets[this.cursor], this.slots);
  }
}

const padded = (length: number): number => (length + 3) & ~3;

/** The fields a correlation plan reads from the events of its rules' hits (group-by through aliases, values, time). */
export function correlationFields(plan: CorrelationPlan, timeFields: readonly string[]): string[] {
  const fields = new Set<string>(timeFields);
  for (const c of plan.correlations) {
    for (const f of c.groupFields) fields.add(f);
    for (const f of c.valueFields ?? []) fields.add(f);
  }
  return [...fields];
}

export class CaptureReader {
  private readonly slotOf: Map<string, number>;
  /** What the VM is told: the rules whose hit events are captured and the slots of the captured fields. */
  readonly plan: CapturePlan;

  /**
   * @param fields the captured fields, in capture order
   * @param slots their slots in the compiled program
   * @param rules whether each rule's hit events are captured
   */
  constructor(fields: readonly string[], slots: readonly number[], rules: readonly boolean[]) {
    this.slotOf = new Map(fields.map((f, i) => [f, i]));
    const bitmap = new Uint32Array(Math.ceil(rules.length / 32));
    rules.forEach((on, r) => {
      if (on) bitmap[r >>> 5] |= 1 << (r & 31);
    });
    this.plan = { ruleBitmap: bitmap, slots: Uint32Array.from(slots) };
  }

  /** A new index of capture records (one per push of a correlating scan). */
  events(): CapturedEvents {
    return new CapturedEvents(this.slotOf, this.plan.slots.length);
  }
}
