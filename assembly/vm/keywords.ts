// Keyword leaves (every string and number leaf of the event) are collected only when needed for an event: by
// candidate selection when a rule that needs a keyword atom may still become a candidate, or when a keyword
// predicate is first evaluated. In the objects path the host writes them with the record; in the bytes path the VM
// re-scans the event's bytes on demand, so rule sets whose keyword rules never run for an event pay nothing.
import { collectLeaves, leavesNeed } from '../json/leaves';
import { STATUS_ARENA_FULL, STATUS_OK } from '../context';
import { keywordSlot } from './program';
import { abortEvaluation } from './machine';
import { everyEventScanSuffices, predicateMayHold, scanEveryEventRaw, scanKeywordLeaves, scanKeywordRaw } from './prefilter';

let pending: bool = false;
let recordStart: usize = 0;
let recordEnd: usize = 0;
let evtxShape: bool = false;
/** What the record's parse saw that may hide a leaf's ASCII in its raw bytes (json/lexer.ts RAW_HAZARD_*). */
let rawHazard: u32 = 0;
// Keyword atoms for the current event: not yet looked for, or looked for (predicate stamps valid).
@inline const FILTER_PENDING: u32 = 0;
@inline const FILTER_VALID: u32 = 1;
@inline const FILTER_NONE: u32 = 2;
/** Only the atoms of the rules every event needs were looked for (prefilter.ts everyEventScanSuffices). */
@inline const FILTER_EVERY_EVENT: u32 = 3;
let filterState: u32 = FILTER_PENDING;

/** The current event's leaves are already in the store (objects path). */
export function keywordLeavesReady(): void {
  pending = false;
  filterState = FILTER_PENDING;
}

/** The current event came from these bytes; collect its leaves if a keyword predicate asks. */
export function keywordLeavesFromBytes(start: usize, end: usize, evtx: bool, hazard: u32): void {
  pending = true;
  recordStart = start;
  recordEnd = end;
  evtxShape = evtx;
  rawHazard = hazard;
  filterState = FILTER_PENDING;
}

/**
 * Look for every keyword atom in the event's leaves (folded, as the keyword predicates read them), marking what
 * they satisfy. FILTER_NONE when the evaluation was aborted on the way (collection failed, arena full).
 */
function scanLeaves(): void {
  filterState = FILTER_NONE;
  // Bytes path: the record's raw bytes may do instead of its leaves (prefilter.ts scanKeywordRaw).
  if (!(pending && scanKeywordRaw(recordStart, recordEnd, rawHazard)) && !(ensureKeywordLeaves() && scanKeywordLeaves())) return;
  filterState = FILTER_VALID;
}

/**
 * May keyword predicate `p` hold for the current event? The first call per event looks for the keyword atoms in the
 * leaves (unless candidate selection did); a predicate none of whose atoms appear is false.
 */
export function keywordMayHold(p: u32): bool {
  if (filterState == FILTER_PENDING || filterState == FILTER_EVERY_EVENT) scanLeaves();
  return filterState != FILTER_VALID || predicateMayHold(p);
}

/**
 * Candidate selection wants keyword atoms (prefilter.ts keywordScanWanted). On failure the evaluation is aborted:
 * the caller withdraws the event as for any abort.
 */
export function keywordSelect(): void {
  if (pending && everyEventScanSuffices() && scanEveryEventRaw(recordStart, recordEnd, rawHazard)) {
    filterState = FILTER_EVERY_EVENT;
    return;
  }
  scanLeaves();
}

/** Make sure the keyword slot holds the current event's leaves. False when the evaluation was aborted. */
export function ensureKeywordLeaves(): bool {
  if (!pending) return true;
  pending = false;
  let status = collectLeaves(recordStart, recordEnd, evtxShape, keywordSlot);
  if (status != STATUS_OK) {
    abortEvaluation(status, status == STATUS_ARENA_FULL ? <u32>leavesNeed : 0);
    return false;
  }
  return true;
}
