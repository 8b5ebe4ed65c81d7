// The objects path: the host writes each event as a record (src/runtime/records.ts) holding the values of the
// fields the program reads and, when it has keyword rules, the event's keyword leaves; the VM decodes the fields
// into the value store zero-copy (values point into the input region) and hands the leaves to vm/keywords.ts, which
// reads them only when a keyword atom or predicate asks, as the bytes path does.
//
// Record layout (little-endian u32 words; every part 4-byte aligned):
//   header: u32 total bytes (header included), u32 field count F, u32 leaf count L, u32 text bytes T,
//           u32 text units U (the text's length in UTF-16 code units, as the host counted it)
//   F field entries: u32 slot, u32 kind, u32 text offset, u32 length
//   L leaf entries:  u32 kind (string or number), u32 text offset, u32 length
//   the text: T bytes of UTF-8 (padded to 4), which entries point into. A field whose value is also a leaf (a
//   top-level string or number: most fields of a flat event) shares the leaf's text.
// The host encodes the text in one call and counts offsets and lengths in UTF-16 units; when U == T the text is
// ASCII and they are byte counts already, otherwise decodeRecord converts them (each list's offsets never decrease
// and its entries never overlap, so one forward walk over the text per list does it).
// Kind RECORD_PRESENT marks a slot present with no value (an empty array); the other kinds are the value store's.
import { STATUS_ARENA_FULL, STATUS_BAD_RECORD, STATUS_OK } from '../context';
import { VECTOR_BYTES } from '../json/constants';
import { bytesBefore } from './raw-record';
import { arenaAlloc, arenaEndOfLast, arenaShrinkTo, BANK_FLAT, KIND_NUMBER, KIND_OBJECT, KIND_STRING, storeMarkPresent, storeRecord, storeSlotCount } from '../store/values';

@inline export const RECORD_PRESENT: u32 = 0;
@inline const RECORD_HEADER_BYTES: usize = 20;
@inline const FIELD_ENTRY_BYTES: usize = 16;
@inline const LEAF_ENTRY_BYTES: usize = 12;
@inline const ALIGN_MASK: usize = 3;
@inline const HEADER_FIELDS: usize = 4;
@inline const HEADER_LEAVES: usize = 8;
@inline const HEADER_TEXT: usize = 12;
@inline const HEADER_UNITS: usize = 16;
@inline const FIELD_OFFSET: usize = 8;
@inline const LEAF_OFFSET: usize = 4;
/** UTF-8 lead bytes: below 0x80 one byte, below 0xe0 two, below 0xf0 three, else four (a pair of UTF-16 units). */
@inline const LEAD_TWO: u32 = 0xc0;
@inline const LEAD_THREE: u32 = 0xe0;
@inline const LEAD_FOUR: u32 = 0xf0;
/** Field values of the objects path are flat events: one tier; the leaves are the keyword slot's only tier. */
@inline const RECORD_TIER: u32 = 0;
@inline const CH_BACKSLASH: u8 = 0x5c;
@inline const CH_QUOTE: u8 = 0x22;
@inline const VECTOR_BYTES_U32: u32 = <u32>VECTOR_BYTES;

/** The current record's leaves (decodeRecord), read by the keyword collector and the raw text builder. */
let leafEntries: usize = 0;
let leafCount: u32 = 0;
let textBase: usize = 0;
/** The raw text built for the current record: [rawStart, rawEnd) of the arena. */
let rawStart: usize = 0;
let rawEnd: usize = 0;

/** Byte length of the record at `ptr` (0 when malformed). */
export function recordLength(ptr: usize, available: usize): usize {
  if (available < RECORD_HEADER_BYTES) return 0;
  let total = <usize>load<u32>(ptr);
  if (total < RECORD_HEADER_BYTES || total > available || (total & ALIGN_MASK) != 0) return 0;
  let parts = <u64>RECORD_HEADER_BYTES + <u64>load<u32>(ptr, HEADER_FIELDS) * <u64>FIELD_ENTRY_BYTES +
    <u64>load<u32>(ptr, HEADER_LEAVES) * <u64>LEAF_ENTRY_BYTES + <u64>load<u32>(ptr, HEADER_TEXT);
  return parts <= <u64>total ? total : 0;
}

/** Does [offset, offset + len) lie in the record's text? */
@inline function inText(offset: u32, len: u32, textBytes: u32): bool {
  return <u64>offset + <u64>len <= <u64>textBytes;
}

/**
 * Decode one record (recordLength accepted it) into the value store: its fields now, its leaves for later
 * (collectRecordLeaves). STATUS_OK, STATUS_ARENA_FULL (the value table is full) or STATUS_BAD_RECORD (malformed:
 * the host wrote it wrong; growing would not help).
 */
export function decodeRecord(ptr: usize): u32 {
  let fields = load<u32>(ptr, HEADER_FIELDS);
  let textBytes = load<u32>(ptr, HEADER_TEXT);
  let p = ptr + RECORD_HEADER_BYTES;
  leafEntries = p + <usize>fields * FIELD_ENTRY_BYTES;
  leafCount = load<u32>(ptr, HEADER_LEAVES);
  textBase = leafEntries + <usize>leafCount * LEAF_ENTRY_BYTES;
  if (load<u32>(ptr, HEADER_UNITS) != textBytes) {
    if (!unitsToBytes(p, fields, textBytes)) return STATUS_BAD_RECORD;
    // Converted in place: a record decoded again (its event retried after STATUS_HITS_FULL) is not converted twice.
    store<u32>(ptr, textBytes, HEADER_UNITS);
  }
  for (let i: u32 = 0; i < fields; i++, p += FIELD_ENTRY_BYTES) {
    let slot = load<u32>(p);
    let kind = load<u32>(p, 4);
    let offset = load<u32>(p, FIELD_OFFSET);
    let len = load<u32>(p, FIELD_OFFSET + 4);
    if (!inText(offset, len, textBytes) || slot >= storeSlotCount() || kind > KIND_OBJECT) return STATUS_BAD_RECORD;
    if (kind == RECORD_PRESENT) storeMarkPresent(BANK_FLAT, slot, RECORD_TIER);
    else if (!storeRecord(BANK_FLAT, slot, RECORD_TIER, kind, textBase + <usize>offset, len)) return STATUS_ARENA_FULL;
  }
  for (let i: u32 = 0; i < leafCount; i++) {
    let e = leafEntries + <usize>i * LEAF_ENTRY_BYTES;
    let kind = load<u32>(e);
    if ((kind != KIND_STRING && kind != KIND_NUMBER) || !inText(load<u32>(e, LEAF_OFFSET), load<u32>(e, LEAF_OFFSET + 4), textBytes)) return STATUS_BAD_RECORD;
  }
  return STATUS_OK;
}

/** The walk of unitsToBytes: a position in the text in UTF-16 units and in bytes. */
let walkUnits: u32 = 0;
let walkBytes: u32 = 0;

/**
 * Advance the walk to `units` (false when the text ends first, or a 4-byte sequence would be cut: a malformed
 * record). ASCII sixteen bytes at a time.
 */
function walkTo(units: u32, textBytes: u32): bool {
  while (walkUnits < units) {
    if (units - walkUnits >= <u32>VECTOR_BYTES && walkBytes + <u32>VECTOR_BYTES <= textBytes && i8x16.bitmask(v128.load(textBase + <usize>walkBytes)) == 0) {
      walkUnits += <u32>VECTOR_BYTES;
      walkBytes += <u32>VECTOR_BYTES;
      continue;
    }
    if (walkBytes >= textBytes) return false;
    let lead = <u32>load<u8>(textBase + <usize>walkBytes);
    if (lead < LEAD_TWO) {
      walkBytes++;
      walkUnits++;
    } else if (lead < LEAD_THREE) {
      walkBytes += 2;
      walkUnits++;
    } else if (lead < LEAD_FOUR) {
      walkBytes += 3;
      walkUnits++;
    } else {
      walkBytes += 4;
      walkUnits += 2;
    }
  }
  return walkUnits == units && walkBytes <= textBytes;
}

/**
 * Rewrite the offsets and lengths of the field entries at `fieldEntries` and of the leaf entries from UTF-16 units
 * to bytes, in one walk over the text: the entries' starts and ends, the two lists merged, are the walk's stops.
 */
function unitsToBytes(fieldEntries: usize, fields: u32, textBytes: u32): bool {
  walkUnits = 0;
  walkBytes = 0;
  let fieldStops = fields * 2;
  let leafStops = leafCount * 2;
  // Stop k of a list: entry k >> 1, its start when k is even, its end when odd.
  let f: u32 = 0;
  let l: u32 = 0;
  let fieldStart: u32 = 0;
  let fieldStartByte: u32 = 0;
  let leafStart: u32 = 0;
  let leafStartByte: u32 = 0;
  while (f < fieldStops || l < leafStops) {
    let fe = fieldEntries + <usize>(f >> 1) * FIELD_ENTRY_BYTES + FIELD_OFFSET;
    let le = leafEntries + <usize>(l >> 1) * LEAF_ENTRY_BYTES + LEAF_OFFSET;
    let fieldAt: u64 = f >= fieldStops ? U64.MAX_VALUE : (f & 1) == 0 ? <u64>load<u32>(fe) : <u64>fieldStart + <u64>load<u32>(fe, 4);
    let leafAt: u64 = l >= leafStops ? U64.MAX_VALUE : (l & 1) == 0 ? <u64>load<u32>(le) : <u64>leafStart + <u64>load<u32>(le, 4);
    let field = fieldAt <= leafAt;
    let at = field ? fieldAt : leafAt;
    if (at < <u64>walkUnits || at > <u64>textBytes || !walkTo(<u32>at, textBytes)) return false;
    if (field) {
      if ((f & 1) == 0) {
        fieldStart = walkUnits;
        fieldStartByte = walkBytes;
      } else {
        store<u32>(fe, fieldStartByte);
        store<u32>(fe, walkBytes - fieldStartByte, 4);
      }
      f++;
    } else {
      if ((l & 1) == 0) {
        leafStart = walkUnits;
        leafStartByte = walkBytes;
      } else {
        store<u32>(le, leafStartByte);
        store<u32>(le, walkBytes - leafStartByte, 4);
      }
      l++;
    }
  }
  return true;
}

/** Record the current record's leaves as the keyword slot's values (vm/keywords.ts LeafCollector): a STATUS_*. */
export function collectRecordLeaves(keywordSlot: u32): u32 {
  for (let i: u32 = 0; i < leafCount; i++) {
    let e = leafEntries + <usize>i * LEAF_ENTRY_BYTES;
    if (!storeRecord(BANK_FLAT, keywordSlot, RECORD_TIER, load<u32>(e), textBase + <usize>load<u32>(e, LEAF_OFFSET), load<u32>(e, LEAF_OFFSET + 4))) return STATUS_ARENA_FULL;
  }
  return STATUS_OK;
}

/**
 * The leaves as one text in the arena, each JSON-escaped (`\\`, `\"`: the raw keyword tables hold atoms escaped
 * alike) and followed by a `"`, as the evtx decoder writes them (evtx/flat.ts flatRawLeaves): what the raw keyword
 * scans read (vm/keywords.ts RawLeaves). 0 when the arena has no room: the leaves are then scanned one by one.
 */
export function rawRecordLeaves(): u64 {
  rawStart = arenaEndOfLast();
  for (let i: u32 = 0; i < leafCount; i++) {
    let e = leafEntries + <usize>i * LEAF_ENTRY_BYTES;
    if (!appendEscaped(textBase + <usize>load<u32>(e, LEAF_OFFSET), load<u32>(e, LEAF_OFFSET + 4))) return 0;
  }
  rawEnd = arenaEndOfLast();
  return (<u64>rawStart << 32) | <u64>rawEnd;
}

/**
 * Append [src, src + len) escaped, then a `"`, to the arena (room for the worst case is taken, the rest given back).
 * Sixteen bytes at a time: a block is stored whole, and each backslash or quote in it costs one more store of the
 * block's rest one byte further on, after the `\` written before it. Vectors may be read past the leaf and written
 * past what is kept: the input region and the arena are padded (DESIGN.md section 3), and later writes overwrite.
 * False when the arena is full.
 */
function appendEscaped(src: usize, len: u32): bool {
  let dst = arenaAlloc(len * 2 + VECTOR_BYTES_U32 + 1);
  if (dst == 0) return false;
  let backslash = i8x16.splat(<i8>CH_BACKSLASH);
  let quote = i8x16.splat(<i8>CH_QUOTE);
  let end = src + <usize>len;
  for (let p = src; p < end; p += VECTOR_BYTES) {
    let v = v128.load(p);
    let lanes = bytesBefore(p, end);
    let specials = <u32>i8x16.bitmask(v128.or(i8x16.eq(v, backslash), i8x16.eq(v, quote))) & lanes;
    v128.store(dst, v);
    let from: u32 = 0;
    while (specials != 0) {
      let at = <u32>ctz(specials);
      specials &= specials - 1;
      dst += <usize>(at - from);
      store<u8>(dst, CH_BACKSLASH);
      dst++;
      from = at;
      v128.store(dst, v128.load(p + <usize>from));
    }
    dst += <usize>(<u32>popcnt(lanes) - from);
  }
  store<u8>(dst, CH_QUOTE);
  arenaShrinkTo(dst + 1);
  return true;
}
