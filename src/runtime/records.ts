/**
 * The objects path's encoder: JS events -> the record format of `assembly/vm/records.ts`. Only the fields the
 * program references are written; their values are found with the reference evaluator's own lookup functions, so
 * the objects path reads events exactly as the reference does (evtx flattening included).
 */
import { readEvtxJson } from '../input/evtx-json.js';
import { keywordLeaves, lookupField, stringForm } from '../eval/event.js';
import { utf8Length } from '../text/utf8.js';

/** Value kinds (assembly/store/values.ts) and the record-only PRESENT marker (assembly/vm/records.ts). */
export const RECORD_PRESENT = 0;
export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_TRUE = 3;
export const KIND_FALSE = 4;
export const KIND_NULL = 5;
export const KIND_OBJECT = 6;

const RECORD_HEADER_BYTES = 8;
const ENTRY_HEADER_BYTES = 12;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (lone surrogates become the 3-byte U+FFFD). */
const MAX_UTF8_PER_UNIT = 3;

const encoder = new TextEncoder();

function kindOf(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return KIND_STRING;
    case 'number':
      return Number.isFinite(v) ? KIND_NUMBER : KIND_OBJECT;
    case 'boolean':
      return v ? KIND_TRUE : KIND_FALSE;
    default:
      return v === null ? KIND_NULL : KIND_OBJECT;
  }
}

/**
 * Writes records into a growable byte buffer. `encode` returns false when the buffer is too small for the event;
 * the caller flushes the batch (or grows the buffer) and tries again.
 */
export class RecordWriter {
  private view!: DataView;
  private bytes!: Uint8Array;
  private position = 0;

  /**
   * The last event encoded and what encoding it derived (its evtx flattening, its keyword leaves): an event that did
   * not fit is encoded again after the host makes room, and on an event of a million keys these take seconds.
   */
  private derivedFor: unknown = undefined;
  private derived: { evtx: ReturnType<typeof readEvtxJson>; leaves: string[] | null } | null = null;
  /** Bytes the last event that did not fit needs (its whole record), and the most entries a record of this batch has. */
  neededBytes = 0;
  largestEntries = 0;

  /** Slot of each field name (a rule set reads a few hundred; an event holds a few dozen keys). */
  private readonly slotOfField = new Map<string, number>();
  /** Dotted field names, which may also be nested paths when the event has no such literal key. */
  private readonly dotted: { field: string; slot: number; head: string }[] = [];

  constructor(
    fields: readonly (string | null)[],
    private readonly keywordSlot: number | null,
    private readonly evtx: boolean,
  ) {
    fields.forEach((field, slot) => {
      if (field === null) return;
      this.slotOfField.set(field, slot);
      if (field.includes('.')) this.dotted.push({ field, slot, head: field.slice(0, field.indexOf('.')) });
    });
  }

  /** Point the writer at a buffer (e.g. a fresh view of WASM memory) and start an empty batch. */
  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = 0;
    this.largestEntries = 0;
  }

  private derive(event: unknown): { evtx: ReturnType<typeof readEvtxJson>; leaves: string[] | null } {
    if (this.derived === null || this.derivedFor !== event) {
      const evtx = this.evtx ? readEvtxJson(event) : null;
      this.derivedFor = event;
      this.derived = { evtx, leaves: this.keywordSlot === null ? null : keywordLeaves(evtx ? evtx.values : event) };
    }
    return this.derived;
  }

  get length(): number {
    return this.position;
  }

  /** Append one event's record; false (and nothing written) when it does not fit. */
  encode(event: unknown): boolean {
    const start = this.position;
    const { evtx, leaves } = this.derive(event);
    const flat = evtx ? evtx.event : event;
    let p = start + RECORD_HEADER_BYTES;
    let entries = 0;
    /** Once an entry does not fit, the rest are only measured (neededBytes), so the host grows once. */
    let measuring = false;
    const put = (slot: number, kind: number, text: string | null): boolean => {
      if (measuring) {
        p = (p + ENTRY_HEADER_BYTES + (text === null ? 0 : utf8Length(text)) + 3) & ~3;
        entries++;
        return true;
      }
      const room = this.bytes.length - p - ENTRY_HEADER_BYTES;
      if (room < 0) {
        measuring = true;
        return put(slot, kind, text);
      }
      let len = 0;
      if (text !== null && text.length > 0) {
        if (room < text.length * MAX_UTF8_PER_UNIT) {
          const { read, written } = encoder.encodeInto(text, this.bytes.subarray(p + ENTRY_HEADER_BYTES));
          if (read < text.length) {
            measuring = true;
            return put(slot, kind, text);
          }
          len = written;
        } else len = encoder.encodeInto(text, this.bytes.subarray(p + ENTRY_HEADER_BYTES)).written;
      }
      const next = (p + ENTRY_HEADER_BYTES + len + 3) & ~3;
      if (next > this.bytes.length) {
        measuring = true;
        return put(slot, kind, text);
      }
      this.view.setUint32(p, slot, true);
      this.view.setUint32(p + 4, kind, true);
      this.view.setUint32(p + 8, len, true);
      p = next;
      entries++;
      return true;
    };
    const writeField = (slot: number, field: string): boolean => {
      const found = lookupField(flat, field);
      if (!found.present) return true;
      if (found.values.length === 0) return put(slot, RECORD_PRESENT, null);
      for (const v of found.values) if (!put(slot, kindOf(v), stringForm(v))) return false;
      return true;
    };
    // Walk the event's own keys rather than every field of the rule set: lookups follow the event's size. Plain
    // values (the common case) are written directly; arrays and objects go through the reference's lookup.
    if (typeof flat === 'object' && flat !== null && !Array.isArray(flat)) {
      const record = flat as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const slot = this.slotOfField.get(key);
        if (slot === undefined) continue;
        const v = record[key];
        const ok = typeof v === 'object' && v !== null ? writeField(slot, key) : put(slot, kindOf(v), stringForm(v));
        if (!ok) return this.rollback(start);
      }
      for (const { field, slot, head } of this.dotted) {
        // A nested path needs its first segment in the event; most events have none of the dotted fields' heads.
        if (Object.hasOwn(record, head) && !Object.hasOwn(record, field) && !writeField(slot, field)) return this.rollback(start);
      }
    }
    if (leaves !== null) {
      for (const leaf of leaves) {
        if (!put(this.keywordSlot!, KIND_STRING, leaf)) return this.rollback(start);
      }
    }
    this.largestEntries = Math.max(this.largestEntries, entries);
    if (measuring || p + RECORD_HEADER_BYTES > this.bytes.length) {
      this.neededBytes = p + RECORD_HEADER_BYTES - start;
      return this.rollback(start);
    }
    this.view.setUint32(start, p - start, true);
    this.view.setUint32(start + 4, entries, true);
    this.position = p;
    return true;
  }

  private rollback(start: number): false {
    this.position = start;
    return false;
  }
}
