// Keyword leaves (every string and number leaf of the event) are collected only when a keyword predicate is first
// evaluated for an event. In the objects path the host writes them with the record; in the bytes path the VM
// re-scans the event's bytes on demand, so rule sets whose keyword rules never run for an event pay nothing.
import { collectLeaves } from '../json/leaves';
import { STATUS_OK } from '../context';
import { foldedCapacity, foldUtf8 } from '../text/fold';
import { arenaAlloc, arenaShrinkTo } from '../store/values';
import { keywordSlot } from './program';
import { abortEvaluation } from './machine';
import { predicateMayHold, scanKeywordText } from './prefilter';

let pending: bool = false;
let recordStart: usize = 0;
let recordEnd: usize = 0;
let evtxShape: bool = false;
/** The raw text of the current event (its JSON record, or its encoded record in the objects path). */
let textStart: usize = 0;
let textEnd: usize = 0;
// Keyword predicate filtering for the current event: not yet run, run (stamps valid), or unavailable.
@inline const FILTER_PENDING: u32 = 0;
@inline const FILTER_VALID: u32 = 1;
@inline const FILTER_NONE: u32 = 2;
let filterState: u32 = FILTER_PENDING;

/** The current event's leaves are already in the store (objects path: `start`..`end` is its encoded record). */
export function keywordLeavesReady(start: usize, end: usize): void {
  pending = false;
  textStart = start;
  textEnd = end;
  filterState = FILTER_PENDING;
}

/** The current event came from these bytes; collect its leaves if a keyword predicate asks. */
export function keywordLeavesFromBytes(start: usize, end: usize, evtx: bool): void {
  pending = true;
  recordStart = start;
  recordEnd = end;
  evtxShape = evtx;
  textStart = start;
  textEnd = end;
  filterState = FILTER_PENDING;
}

/**
 * May keyword predicate `p` hold for the current event? The first call per event folds the event's raw text and
 * looks for every keyword atom in it (prefilter.ts scanKeywordText); a predicate none of whose atoms appear is false,
 * and the event's leaves need not be collected for it.
 */
export function keywordMayHold(p: u32): bool {
  if (filterState == FILTER_PENDING) {
    filterState = FILTER_NONE;
    let len = <u32>(textEnd - textStart);
    let folded = arenaAlloc(foldedCapacity(len));
    if (folded != 0) {
      let n = foldUtf8(textStart, len, folded);
      arenaShrinkTo(folded + <usize>n);
      if (scanKeywordText(folded, n)) filterState = FILTER_VALID;
    }
  }
  return filterState != FILTER_VALID || predicateMayHold(p);
}

/** Make sure the keyword slot holds the current event's leaves. False when the evaluation was aborted. */
export function ensureKeywordLeaves(): bool {
  if (!pending) return true;
  pending = false;
  let status = collectLeaves(recordStart, recordEnd, evtxShape, keywordSlot);
  if (status != STATUS_OK) {
    abortEvaluation(status, 0);
    return false;
  }
  return true;
}
