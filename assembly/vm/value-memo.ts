// A memo of candidate selection per field value (DESIGN.md section 7, "Value memo"). What selection marks for a value
// depends only on its slot and its bytes (the folded text is a function of the raw bytes), and field values repeat
// heavily in logs: the same images, parents, users, products, hashes. So after a value is scanned, the table entries
// its scan hit are kept, keyed by (slot, bytes); the next time the same value comes in the same slot, selection
// replays those entries instead of folding and scanning it. Every lookup compares the stored bytes in full: a hash
// collision can never replay another value's hits.
//
// Memory: a direct-mapped table of MEMO_ENTRIES entries and two rings (value bytes, hit entries). When a ring is
// full, the epoch moves on and every entry becomes invalid at once; nothing is freed piecemeal.
//
// Scratch layout: [entries: MEMO_ENTRIES * ENTRY_BYTES][value bytes: BYTES_CAP][hits: HITS_CAP words][record buffer].

import { bytesEqual } from '../match/search';

/** Direct-mapped entries (a power of two). */
@inline const MEMO_ENTRIES: u32 = 16384;
@inline const ENTRY_BYTES: usize = 32;
@inline const E_HASH: usize = 0;
@inline const E_SLOT: usize = 4;
@inline const E_LEN: usize = 8;
@inline const E_BYTES: usize = 12;
@inline const E_HITS: usize = 16;
@inline const E_HIT_COUNT: usize = 20;
@inline const E_EPOCH: usize = 24;
@inline const BYTES_CAP: usize = 1 << 20;
@inline const HITS_CAP: u32 = 128 << 10;
/** Longer values (most command lines) are rarely repeated: they are scanned every time. */
@inline export const MEMO_MAX_VALUE_BYTES: u32 = 256;
/** A value whose scan hits more table entries than this is not kept. */
@inline const MAX_HITS: u32 = 64;
@inline const GOLDEN: u32 = 0x9e3779b1;
@inline const MIX: u32 = 0x85ebca6b;
@inline const MIX_SHIFT: u32 = 13;
@inline const FINAL_SHIFT: u32 = 16;

let entries: usize = 0;
let bytesBase: usize = 0;
let hitsBase: usize = 0;
let recordBase: usize = 0;
let bytesTop: usize = 0;
let hitsTop: u32 = 0;
/** Entries of another epoch are invalid. Starts at 1: zeroed scratch (a fresh or moved region) is never valid. */
let epoch: u32 = 1;

/** Hits of the value being scanned (table entry offsets in the PREFILTER section), while recording. */
export let recording: bool = false;
let recordCount: u32 = 0;

export function memoScratchBytes(): usize {
  return <usize>MEMO_ENTRIES * ENTRY_BYTES + BYTES_CAP + <usize>HITS_CAP * 4 + <usize>MAX_HITS * 4;
}

/** Point the memo at its scratch. The host zeroes a region it places anew, which invalidates every entry. */
export function memoAttach(scratch: usize): void {
  entries = scratch;
  bytesBase = entries + <usize>MEMO_ENTRIES * ENTRY_BYTES;
  hitsBase = bytesBase + BYTES_CAP;
  recordBase = hitsBase + (<usize>HITS_CAP << 2);
}

/** Forget everything (a new program: its tables, and so the hits, differ). */
export function memoReset(): void {
  newEpoch();
}

function newEpoch(): void {
  epoch++;
  if (epoch == 0) {
    // After 2^32 epochs stale entries could look current: clear them once.
    memory.fill(entries, 0, <usize>MEMO_ENTRIES * ENTRY_BYTES);
    epoch = 1;
  }
  bytesTop = 0;
  hitsTop = 0;
}

/** A hash of the value's bytes, four at a time. */
export function memoHash(ptr: usize, len: u32): u32 {
  let h = len * GOLDEN;
  let p = ptr;
  let end = ptr + <usize>len;
  while (p + 4 <= end) {
    h = (h ^ load<u32>(p)) * MIX;
    h ^= h >> MIX_SHIFT;
    p += 4;
  }
  while (p < end) {
    h = (h ^ <u32>load<u8>(p)) * GOLDEN;
    p++;
  }
  return h ^ (h >> FINAL_SHIFT);
}

@inline function entryFor(slot: u32, hash: u32): usize {
  return entries + <usize>((hash ^ (slot * GOLDEN)) & (MEMO_ENTRIES - 1)) * ENTRY_BYTES;
}

/** The entry of this exact (slot, bytes), or 0. */
export function memoLookup(slot: u32, ptr: usize, len: u32, hash: u32): usize {
  let e = entryFor(slot, hash);
  if (load<u32>(e, E_EPOCH) != epoch || load<u32>(e, E_HASH) != hash || load<u32>(e, E_SLOT) != slot || load<u32>(e, E_LEN) != len) return 0;
  return bytesEqual(bytesBase + <usize>load<u32>(e, E_BYTES), ptr, len) ? e : 0;
}

export function memoHitCount(e: usize): u32 {
  return load<u32>(e, E_HIT_COUNT);
}

/** Hit i of entry e: a table entry offset (words from the PREFILTER section's start). */
@inline export function memoHitAt(e: usize, i: u32): u32 {
  return load<u32>(hitsBase + (<usize>(load<u32>(e, E_HITS) + i) << 2));
}

export function memoStartRecording(): void {
  recording = true;
  recordCount = 0;
}

/** While recording: the scan hit this table entry. */
@inline export function memoRecord(entryOffset: u32): void {
  if (recordCount < MAX_HITS) store<u32>(recordBase + (<usize>recordCount << 2), entryOffset);
  recordCount++;
}

/** Stop recording and keep what the value's scan hit (unless it hit too much). */
export function memoStopRecording(slot: u32, ptr: usize, len: u32, hash: u32): void {
  recording = false;
  if (recordCount > MAX_HITS || len > MEMO_MAX_VALUE_BYTES) return;
  if (bytesTop + <usize>len > BYTES_CAP || hitsTop + recordCount > HITS_CAP) newEpoch();
  let e = entryFor(slot, hash);
  memory.copy(bytesBase + bytesTop, ptr, <usize>len);
  memory.copy(hitsBase + (<usize>hitsTop << 2), recordBase, <usize>recordCount << 2);
  store<u32>(e, hash, E_HASH);
  store<u32>(e, slot, E_SLOT);
  store<u32>(e, len, E_LEN);
  store<u32>(e, <u32>bytesTop, E_BYTES);
  store<u32>(e, hitsTop, E_HITS);
  store<u32>(e, recordCount, E_HIT_COUNT);
  store<u32>(e, epoch, E_EPOCH);
  bytesTop += <usize>len;
  hitsTop += recordCount;
}
