// The objects path: the host writes each event as a record (src/runtime/records.ts) holding the values of the
// fields the program reads and, when it has keyword rules, the event's keyword leaves; the VM decodes the fields
// into the value store zero-copy (values point into the input region) and hands the leaves to vm/keywords.ts, which
// reads them only when a keyword atom or predicate asks, as the bytes path does.
//
// Record layout (little-endian u32 words; every part 4-byte aligned):
//   header: u32 total bytes (header included), u32 field count F, u32 leaf count L, u32 text bytes T
//   F field entries: u32 slot, u32 kind, u32 text offset, u32 byte length
//   L leaf entries:  u32 kind (string or number), u32 text offset, u32 byte length
//   the text: T bytes of UTF-8 (padded to 4), which entries point into by offset. A field whose value is also a leaf
//   (a top-level string or number: most fields of a flat event) shares the leaf's bytes.
// Kind RECORD_PRESENT marks a slot present with no value (an empty array); the other kinds are the value store's.
import { STATUS_ARENA_FULL, STATUS_OK } from '../context';
import { VECTOR_BYTES } from '../json/constants';
import { bytesBefore } from './raw-record';
import { arenaAlloc, arenaEndOfLast, arenaShrinkTo, BANK_FLAT, KIND_NUMBER, KIND_STRING, storeMarkPresent, storeRecord, storeSlotCount } from '../store/values';

@inline export const RECORD_PRESENT: u32 = 0;
@inline const RECORD_HEADER_BYTES: usize = 16;
@inline const FIELD_ENTRY_BYTES: usize = 16;
@inline const LEAF_ENTRY_BYTES: usize = 12;
@inline const ALIGN_MASK: usize = 3;
@inline const HEADER_FIELDS: usize = 4;
@inline const HEADER_LEAVES: usize = 8;
@inline const HEADER_TEXT: usize = 12;
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
 * (recordLeafCount). Returns false when it is malformed or the value table is full.
 */
export function decodeRecord(ptr: usize): bool {
  let fields = load<u32>(ptr, HEADER_FIELDS);
  let textBytes = load<u32>(ptr, HEADER_TEXT);
  let p = ptr + RECORD_HEADER_BYTES;
  leafEntries = p + <usize>fields * FIELD_ENTRY_BYTES;
  leafCount = load<u32>(ptr, HEADER_LEAVES);
  textBase = leafEntries + <usize>leafCount * LEAF_ENTRY_BYTES;
  for (let i: u32 = 0; i < fields; i++, p += FIELD_ENTRY_BYTES) {
    let slot = load<u32>(p);
    let kind = load<u32>(p, 4);
    let offset = load<u32>(p, 8);
    let len = load<u32>(p, 12);
    if (!inText(offset, len, textBytes) || slot >= storeSlotCount()) return false;
    if (kind == RECORD_PRESENT) storeMarkPresent(BANK_FLAT, slot, RECORD_TIER);
    else if (!storeRecord(BANK_FLAT, slot, RECORD_TIER, kind, textBase + <usize>offset, len)) return false;
  }
  for (let i: u32 = 0; i < leafCount; i++) {
    let e = leafEntries + <usize>i * LEAF_ENTRY_BYTES;
    let kind = load<u32>(e);
    if ((kind != KIND_STRING && kind != KIND_NUMBER) || !inText(load<u32>(e, 4), load<u32>(e, 8), textBytes)) return false;
  }
  return true;
}

/** Record the current record's leaves as the keyword slot's values (vm/keywords.ts LeafCollector): a STATUS_*. */
export function collectRecordLeaves(keywordSlot: u32): u32 {
  for (let i: u32 = 0; i < leafCount; i++) {
    let e = leafEntries + <usize>i * LEAF_ENTRY_BYTES;
    if (!storeRecord(BANK_FLAT, keywordSlot, RECORD_TIER, load<u32>(e), textBase + <usize>load<u32>(e, 4), load<u32>(e, 8))) return STATUS_ARENA_FULL;
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
    if (!appendEscaped(textBase + <usize>load<u32>(e, 4), load<u32>(e, 8))) return 0;
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
