// The objects path: the host writes each event's referenced field values as a record (src/runtime/records.ts)
// and the VM decodes the records into the value store, zero-copy: values point into the input region.
//
// Record layout (little-endian u32 words, 4-byte aligned):
//   u32 total bytes of the record (header included), u32 entry count,
//   entries: u32 slot, u32 kind, u32 byte length, then the UTF-8 bytes padded to 4.
// Kind RECORD_PRESENT marks a slot present with no value (an empty array); the other kinds are the value store's.
import { BANK_FLAT, storeMarkPresent, storeRecord, storeSlotCount } from '../store/values';

@inline export const RECORD_PRESENT: u32 = 0;
@inline const RECORD_HEADER_BYTES: usize = 8;
@inline const ENTRY_HEADER_BYTES: usize = 12;
@inline const ALIGN_MASK: usize = 3;
/** Field values of the objects path are flat events: one tier. */
@inline const RECORD_TIER: u32 = 0;

/** Byte length of the record at `ptr` (0 when malformed). */
export function recordLength(ptr: usize, available: usize): usize {
  if (available < RECORD_HEADER_BYTES) return 0;
  let total = <usize>load<u32>(ptr);
  return total >= RECORD_HEADER_BYTES && total <= available && (total & ALIGN_MASK) == 0 ? total : 0;
}

/** Decode one record into the value store. Returns false when it is malformed or the value table is full. */
export function decodeRecord(ptr: usize, total: usize): bool {
  let end = ptr + total;
  let count = load<u32>(ptr, 4);
  let p = ptr + RECORD_HEADER_BYTES;
  for (let i: u32 = 0; i < count; i++) {
    if (p + ENTRY_HEADER_BYTES > end) return false;
    let slot = load<u32>(p);
    let kind = load<u32>(p, 4);
    let len = load<u32>(p, 8);
    let data = p + ENTRY_HEADER_BYTES;
    if (<u64>data + <u64>len > <u64>end || slot >= storeSlotCount()) return false;
    if (kind == RECORD_PRESENT) storeMarkPresent(BANK_FLAT, slot, RECORD_TIER);
    else if (!storeRecord(BANK_FLAT, slot, RECORD_TIER, kind, data, len)) return false;
    p = (data + <usize>len + ALIGN_MASK) & ~ALIGN_MASK;
  }
  return true;
}
