// Keyword leaves of the record at hand (vm/keywords.ts asks when a keyword predicate or candidate selection needs
// them): every value the evtx mapping reads, shadowed ones included, into the keyword slot.
import { STATUS_ARENA_FULL, STATUS_OK } from '../context';
import { STATUS_EVENT_FALLBACK } from '../json/constants';
import { storeReadBank } from '../store/values';
import { arenaNeed, flatCollectLeaves, flatLeavesInPassing, flatSetLeavesInPassing, flatRawLeaves, passEnd, passStart, rawEnd, rawStart } from './flat';

export function collectEvtxLeaves(keywordSlot: u32): u32 {
  if (flatCollectLeaves(keywordSlot, storeReadBank())) return STATUS_OK;
  return arenaNeed != 0 ? STATUS_ARENA_FULL : STATUS_EVENT_FALLBACK;
}

/** The leaves as one raw text (flat.ts flatRawLeaves) for the raw keyword scans: its range packed as
 * start << 32 | end, or 0 when it cannot be written (collectEvtxLeaves then says why). */
export function rawEvtxLeaves(): u64 {
  if (!flatRawLeaves()) return 0;
  return (<u64>rawStart << 32) | <u64>rawEnd;
}

/** The leaves the fill wrote in passing (flat.ts flatSetLeavesInPassing), unescaped, for the every-event keyword
 * scan: packed as rawEvtxLeaves packs its range, or 0 when the fill did not write them. */
export function passingEvtxLeaves(): u64 {
  if (!flatLeavesInPassing()) return 0;
  return (<u64>passStart << 32) | <u64>passEnd;
}

/** Should the fill write the leaves in passing (the program's every-event keyword scan can read them unescaped), and
 * may it leave out those of formatted values no field reads (no window of that scan is made of their bytes)? */
export function evtxLeavesInPassing(on: bool, skipFormatted: bool): void {
  flatSetLeavesInPassing(on, skipFormatted);
}
