/**
 * The objects path's encoder: JS events -> the record format of `assembly/vm/records.ts`. One pass over each event
 * writes the values of the fields the program reads and, when the program has keyword rules, every keyword leaf, as
 * UTF-8 into one text; a top-level string or number that is both a field and a leaf is written once and shared. The
 * event is read as the reference evaluator reads it (src/eval/event.ts: own enumerable keys, arrays per element,
 * `String(n)` for numbers, lone surrogates as U+FFFD, evtx flattening through `readEvtxJson`); objects and arrays
 * under a referenced key go through the reference's own `lookupField`. The VM folds each value once, when a
 * predicate first reads it, and reads the leaves only when a keyword atom or predicate asks.
 */
import { readEvtxJson } from '../input/evtx-json.js';
import { EventTooDeepError, MAX_EVENT_DEPTH, lookupField, stringForm } from '../eval/event.js';
import { utf8Length } from '../text/utf8.js';
import { VmError } from './host.js';

/** Value kinds (assembly/store/values.ts) and the record-only PRESENT marker (assembly/vm/records.ts). */
export const RECORD_PRESENT = 0;
export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_TRUE = 3;
export const KIND_FALSE = 4;
export const KIND_NULL = 5;
export const KIND_OBJECT = 6;

/** Record layout (assembly/vm/records.ts), in u32 words. */
const HEADER_WORDS = 5;
const FIELD_WORDS = 4;
const LEAF_WORDS = 3;
const WORD_BYTES = 4;
/**
 * The largest record an event may make (its fields' and leaves' UTF-8 and 12-16 bytes of entry per value): the VM's
 * memory is 32-bit, and a record must fit in it beside the value table it needs. An event past it is refused with
 * an ObjectEventError (code EVENT_TOO_LARGE), never cut.
 */
export const MAX_OBJECT_RECORD_BYTES = 1 << 30;
/** The first UTF-16 high surrogate and the last (a piece ending in one must not pair with the next piece's start). */
const HIGH_SURROGATE_FIRST = 0xd800;
const HIGH_SURROGATE_LAST = 0xdbff;
/** Written after a piece that ends in a high surrogate: the surrogate stays lone (U+FFFD), as alone. */
const PIECE_SEPARATOR = '\u0000';
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (lone surrogates become the 3-byte U+FFFD). */
const MAX_UTF8_PER_UNIT = 3;
const INITIAL_TEXT_BYTES = 4096;
const INITIAL_ENTRY_WORDS = 256;

const encoder = new TextEncoder();

/** An event the objects path cannot read (a cycle, nesting past MAX_EVENT_DEPTH, a record past the size limit). */
export class ObjectEventError extends VmError {
  constructor(
    readonly code: 'EVENT_TOO_DEEP' | 'EVENT_TOO_LARGE',
    /** Index of the event in the array given to `match`. */
    readonly event: number,
    message: string,
  ) {
    super(`event ${event}: ${code}: ${message}`);
    this.name = 'ObjectEventError';
  }
}

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const NOT_ENCODED = Symbol('not encoded');

/**
 * Writes records into a batch buffer (a view of the VM's input region). `encode` returns false when the buffer is too
 * small for the event (`neededBytes` says how much it needs); the caller flushes the batch (or grows the region) and
 * tries again: the event is encoded once into the writer's own buffers and only copied again.
 */
export class RecordWriter {
  private bytes: Uint8Array = new Uint8Array(0);
  private words: Uint32Array = new Uint32Array(0);
  private position = 0;

  /**
   * The event's text: its pieces (values and leaves) joined as one JS string, encoded by one `encodeInto` when the
   * event is done (one call per event rather than one per value). Entries point at pieces in UTF-16 units; the VM
   * converts them to byte offsets when the text is not ASCII (its units and bytes differ).
   */
  private pieces = '';
  private textUnits = 0;
  private text: Uint8Array = new Uint8Array(INITIAL_TEXT_BYTES);
  private textLength = 0;
  private fieldWords: Uint32Array = new Uint32Array(INITIAL_ENTRY_WORDS);
  private fieldCount = 0;
  private leafWords: Uint32Array = new Uint32Array(INITIAL_ENTRY_WORDS);
  private leafCount = 0;
  /** The event the buffers hold (an event that did not fit is copied, not encoded again, after the host makes room). */
  private encodedFor: unknown = NOT_ENCODED;
  private encodedIndex = -1;
  private recordBytes = 0;

  /** Bytes the last event that did not fit needs (its whole record), and the most entries a record of this batch has. */
  neededBytes = 0;
  largestEntries = 0;

  /** Slot of each field name (a rule set reads a few hundred; an event holds a few dozen keys). */
  private readonly slotOfField = new Map<string, number>();
  /** Dotted field names, which may also be nested paths when the event has no such literal key. */
  private readonly dotted: { field: string; slot: number; head: string }[] = [];
  private readonly keywords: boolean;

  constructor(
    fields: readonly (string | null)[],
    keywordSlot: number | null,
    private readonly evtx: boolean,
    /** The record size limit (tests lower it). */
    private readonly maxRecordBytes = MAX_OBJECT_RECORD_BYTES,
  ) {
    this.keywords = keywordSlot !== null;
    fields.forEach((field, slot) => {
      if (field === null || slot === keywordSlot) return;
      this.slotOfField.set(field, slot);
      if (field.includes('.')) this.dotted.push({ field, slot, head: field.slice(0, field.indexOf('.')) });
    });
  }

  /** Point the writer at a buffer (4-byte aligned: a fresh view of WASM memory) and start an empty batch. */
  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
    this.position = 0;
    this.largestEntries = 0;
  }

  /** Forget the last event encoded (a new `match` call: the caller may have changed the same object since). */
  forget(): void {
    this.encodedFor = NOT_ENCODED;
    this.encodedIndex = -1;
  }

  get length(): number {
    return this.position;
  }

  /** Append event `index`'s record; false (and nothing written) when it does not fit. Throws ObjectEventError. */
  encode(event: unknown, index: number): boolean {
    if (this.encodedFor !== event || this.encodedIndex !== index) this.build(event, index);
    const total = this.recordBytes;
    const start = this.position;
    if (start + total > this.bytes.length) {
      this.neededBytes = total;
      return false;
    }
    const w = this.words;
    let at = start >>> 2;
    w[at] = total;
    w[at + 1] = this.fieldCount;
    w[at + 2] = this.leafCount;
    w[at + 3] = this.textLength;
    w[at + 4] = this.textUnits;
    at += HEADER_WORDS;
    w.set(this.fieldWords.subarray(0, this.fieldCount * FIELD_WORDS), at);
    at += this.fieldCount * FIELD_WORDS;
    w.set(this.leafWords.subarray(0, this.leafCount * LEAF_WORDS), at);
    at += this.leafCount * LEAF_WORDS;
    this.bytes.set(this.text.subarray(0, this.textLength), at * WORD_BYTES);
    this.position = start + total;
    this.largestEntries = Math.max(this.largestEntries, this.fieldCount + this.leafCount);
    return true;
  }

  /** Encode one event into the writer's buffers. */
  private build(event: unknown, index: number): void {
    this.encodedFor = NOT_ENCODED;
    this.pieces = '';
    this.textUnits = 0;
    this.fieldCount = 0;
    this.leafCount = 0;
    const evtx = this.evtx ? readEvtxJson(event) : null;
    try {
      if (evtx) {
        // evtx_dump shape: the fields of the flattened event, the leaves of every value the mapping read.
        this.writeFields(evtx.event, index, false);
        if (this.keywords) this.writeLeaves(evtx.values, index);
      } else if (isObject(event)) {
        this.writeFields(event, index, this.keywords);
      } else if (this.keywords) {
        this.writeLeaves(event, index); // not an object: no fields, but a string or number is a leaf itself
      }
    } catch (e) {
      // V8 refuses strings past ~2^29 units ("Invalid string length"): an event that big is past the limit anyway.
      throw e instanceof RangeError ? this.tooLarge(index) : e;
    }
    this.encodeText(index);
    const total = (HEADER_WORDS + this.fieldCount * FIELD_WORDS + this.leafCount * LEAF_WORDS) * WORD_BYTES + ((this.textLength + 3) & ~3);
    if (total > this.maxRecordBytes) throw this.tooLarge(index);
    this.recordBytes = total;
    this.encodedFor = event;
    this.encodedIndex = index;
    this.pieces = '';
  }

  /** The pieces as UTF-8 into `text` (lone surrogates as U+FFFD, as TextEncoder writes them). */
  private encodeText(index: number): void {
    const units = this.textUnits;
    const worst = units * MAX_UTF8_PER_UNIT;
    if (worst > this.text.length) {
      const needed = worst <= this.maxRecordBytes ? worst : utf8Length(this.pieces, this.maxRecordBytes);
      if (needed > this.maxRecordBytes) throw this.tooLarge(index);
      this.text = new Uint8Array(Math.max(this.text.length * 2, needed));
    }
    this.textLength = units === 0 ? 0 : encoder.encodeInto(this.pieces, this.text).written;
  }

  /**
   * The referenced fields of a flat event, in one pass over its keys (lookups follow the event's size, not the rule
   * set's); with `leaves`, also the keyword leaves of every value, sharing the text of top-level strings and numbers.
   */
  private writeFields(record: Record<string, unknown>, index: number, leaves: boolean): void {
    const slots = this.slotOfField;
    for (const key of Object.keys(record)) {
      const slot = slots.get(key);
      if (slot === undefined && !leaves) continue;
      const v = record[key];
      switch (typeof v) {
        case 'string': {
          const offset = this.textUnits;
          const len = this.writeString(v);
          if (leaves) this.pushLeaf(KIND_STRING, offset, len);
          if (slot !== undefined) this.pushField(slot, KIND_STRING, offset, len);
          break;
        }
        case 'number':
          if (Number.isFinite(v)) {
            const offset = this.textUnits;
            const len = this.writeString(String(v));
            if (leaves) this.pushLeaf(KIND_NUMBER, offset, len);
            if (slot !== undefined) this.pushField(slot, KIND_NUMBER, offset, len);
          } else if (slot !== undefined) this.pushField(slot, KIND_OBJECT, this.textUnits, 0);
          break;
        case 'boolean':
          if (slot !== undefined) this.writeValue(slot, v, index);
          break;
        case 'object':
          if (slot !== undefined) {
            if (v === null) this.pushField(slot, KIND_NULL, this.textUnits, 0);
            else this.writeLookup(slot, record, key, index);
          }
          if (leaves && v !== null) this.writeLeaves(v, index);
          break;
        default:
          // undefined, bigint, symbol, function: present, not null, no string form; never a leaf (the reference).
          if (slot !== undefined) this.pushField(slot, KIND_OBJECT, this.textUnits, 0);
      }
    }
    for (const { field, slot, head } of this.dotted) {
      // A nested path needs its first segment in the event; most events have none of the dotted fields' heads.
      if (Object.hasOwn(record, head) && !Object.prototype.propertyIsEnumerable.call(record, field)) this.writeLookup(slot, record, field, index);
    }
  }

  /** The values the reference's lookup finds for `field` (arrays flattened, nested paths followed). */
  private writeLookup(slot: number, record: unknown, field: string, index: number): void {
    let found;
    try {
      found = lookupField(record, field);
    } catch (e) {
      throw e instanceof EventTooDeepError ? this.tooDeep(index) : e;
    }
    if (!found.present) return;
    if (found.values.length === 0) this.pushField(slot, RECORD_PRESENT, this.textUnits, 0);
    for (const v of found.values) this.writeValue(slot, v, index);
  }

  private writeValue(slot: number, v: unknown, index: number): void {
    const text = stringForm(v);
    const offset = this.textUnits;
    const len = text === null ? 0 : this.writeString(text);
    this.pushField(slot, kindOf(v), offset, len);
  }

  /** Every string and number leaf under `root` (src/eval/event.ts keywordLeaves, in the same order). */
  private writeLeaves(root: unknown, index: number): void {
    const stack: unknown[] = [root];
    const depths: number[] = [0];
    while (stack.length > 0) {
      const v = stack.pop();
      const depth = depths.pop()!;
      if (typeof v === 'string') {
        const offset = this.textUnits;
        this.pushLeaf(KIND_STRING, offset, this.writeString(v));
      } else if (typeof v === 'number') {
        if (Number.isFinite(v)) {
          const offset = this.textUnits;
          this.pushLeaf(KIND_NUMBER, offset, this.writeString(String(v)));
        }
      } else if (typeof v === 'object' && v !== null) {
        if (depth >= MAX_EVENT_DEPTH) throw this.tooDeep(index);
        if (Array.isArray(v)) {
          for (let i = v.length - 1; i >= 0; i--) {
            stack.push(v[i]);
            depths.push(depth + 1);
          }
        } else {
          const keys = Object.keys(v);
          for (let i = keys.length - 1; i >= 0; i--) {
            stack.push((v as Record<string, unknown>)[keys[i]]);
            depths.push(depth + 1);
          }
        }
      }
    }
  }

  /** Append s to the text; its length in UTF-16 units (its offset is the textUnits before the call). */
  private writeString(s: string): number {
    const n = s.length;
    this.pieces += s;
    this.textUnits += n;
    if (n > 0) {
      const last = s.charCodeAt(n - 1);
      if (last >= HIGH_SURROGATE_FIRST && last <= HIGH_SURROGATE_LAST) {
        this.pieces += PIECE_SEPARATOR;
        this.textUnits += PIECE_SEPARATOR.length;
      }
    }
    return n;
  }

  private pushField(slot: number, kind: number, offset: number, len: number): void {
    let at = this.fieldCount * FIELD_WORDS;
    if (at + FIELD_WORDS > this.fieldWords.length) this.fieldWords = grown(this.fieldWords, at + FIELD_WORDS);
    const w = this.fieldWords;
    w[at++] = slot;
    w[at++] = kind;
    w[at++] = offset;
    w[at] = len;
    this.fieldCount++;
  }

  private pushLeaf(kind: number, offset: number, len: number): void {
    let at = this.leafCount * LEAF_WORDS;
    if (at + LEAF_WORDS > this.leafWords.length) this.leafWords = grown(this.leafWords, at + LEAF_WORDS);
    const w = this.leafWords;
    w[at++] = kind;
    w[at++] = offset;
    w[at] = len;
    this.leafCount++;
  }

  private tooLarge(index: number): ObjectEventError {
    return new ObjectEventError('EVENT_TOO_LARGE', index, `its referenced values and keyword leaves need more than ${this.maxRecordBytes} bytes of record`);
  }

  private tooDeep(index: number): ObjectEventError {
    return new ObjectEventError('EVENT_TOO_DEEP', index, `it nests deeper than ${MAX_EVENT_DEPTH} levels (a cycle of objects or arrays?)`);
  }
}

/** A copy of `words` with room for at least `needed` words. */
function grown(words: Uint32Array, needed: number): Uint32Array {
  const next = new Uint32Array(Math.max(words.length * 2, needed));
  next.set(words);
  return next;
}
