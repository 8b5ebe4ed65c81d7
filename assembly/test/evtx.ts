// .evtx decoder test exports: the chunk walk driven by a handler that dumps each record's slots (and keyword leaves)
// into the JSON tests' dump buffer, so test/evtx/ compares the VM's flat view with the reference decoder's.
import { STATUS_ARENA_FULL, STATUS_HITS_FULL, STATUS_OK } from '../context';
import { lastHostReason, scanEvtxChunk } from '../evtx/chunk';
import { collectEvtxLeaves, evtxLeavesInPassing, passingEvtxLeaves } from '../evtx/leaves';
import { NONE, storeReadBank } from '../store/values';
import { dumpKeywords, dumpOverflowed, dumpRewind, dumpSlotCount, dumpState, put, putBytes, putSlot } from './json';

export { evtxRegionBytes as evtxTestRegionBytes } from '../evtx/region';

function evtxDumpHandler(eventIndex: u32, recordStart: usize, recordEnd: usize): u32 {
  let start = dumpState();
  put(eventIndex);
  put(0);
  put(<u32>recordStart);
  put(<u32>recordEnd);
  put(storeReadBank());
  let slots = dumpSlotCount();
  for (let s: u32 = 0; s < slots; s++) putSlot(s);
  if (passing) {
    // The leaves written in passing, before the keyword collection below allocates after them.
    let range = passingEvtxLeaves();
    let textStart = <usize>(range >> 32);
    putBytes(textStart, <u32>(<usize>(range & 0xffffffff) - textStart));
  }
  let keywordSlot = dumpKeywords();
  if (keywordSlot != NONE) {
    let status = collectEvtxLeaves(keywordSlot);
    if (status == STATUS_ARENA_FULL) {
      dumpRewind(start);
      return STATUS_ARENA_FULL;
    }
    put(status);
    if (status == STATUS_OK) putSlot(keywordSlot);
  }
  if (dumpOverflowed()) {
    dumpRewind(start);
    return STATUS_HITS_FULL;
  }
  return STATUS_OK;
}

let passing: bool = false;

/** Write the leaves in passing (as vmScanEvtx does for a program whose keyword scan runs on every event; leaving
 * out formatted values no field reads with `skipFormatted`) and dump them after each record's slots. */
export function evtxTestLeavesInPassing(on: bool, skipFormatted: bool): void {
  passing = on;
  evtxLeavesInPassing(on, skipFormatted);
}

export function evtxScanChunk(ctx: usize): void {
  scanEvtxChunk(ctx, evtxDumpHandler);
}

/** Why the last record left to the host was: 1 its instance, 2 its shape, 3 its evaluation. */
export function evtxHostReason(): u32 {
  return lastHostReason;
}

import { crc32 } from '../evtx/crc32';
/** CRC-32 of [p, p + len) (the decoder's, for its test and its speed). */
export function evtxCrc32(p: usize, len: u32): u32 {
  return crc32(p, p + <usize>len);
}
