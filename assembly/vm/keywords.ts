// Keyword leaves (every string and number leaf of the event) are collected only when needed for an event: by
// candidate selection when a rule that needs a keyword atom may still become a candidate, or when a keyword
// predicate is first evaluated. In the bytes path the VM re-scans the event's bytes on demand; the .evtx decoder and
// the objects path's records (vm/records.ts) give them through a collector. Rule sets whose keyword rules never run
// for an event pay nothing.
import { collectLeaves, leavesNeed } from '../json/leaves';
import { STATUS_ARENA_FULL, STATUS_OK } from '../context';
import { STATUS_EVENT_FALLBACK } from '../json/constants';
import { RAW_HAZARD_NON_ASCII } from '../json/lexer';
import { keywordSlot } from './program';
import { abortEvaluation } from './machine';
import { everyEventScanSuffices, predicateMayHold, scanEveryEventRaw, scanKeywordLeaves, scanKeywordRaw } from './prefilter';

/** Collects an event's leaves into the keyword slot when its bytes are not JSON (the .evtx decoder): a STATUS_*. */
export type LeafCollector = (keywordSlot: u32) => u32;
/** Writes an event's leaves as one raw text for the raw keyword scans (each JSON-escaped, `"` after each): its range
 * packed as start << 32 | end, or RAW_NONE when it cannot (the collector then says why). */
export type RawLeaves = () => u64;
@inline export const RAW_NONE: u64 = 0;
@inline const RAW_START_SHIFT: u64 = 32;
/** The raw text holds whatever non-ASCII the leaves have: the raw scans test it for U+212A first. */
@inline const RAW_TEXT_HAZARD: u32 = RAW_HAZARD_NON_ASCII;

function noCollector(keywordSlot: u32): u32 {
  return STATUS_EVENT_FALLBACK;
}

/** A RawLeaves that has none (a source whose leaves are never written in passing: the objects path's records). */
export function noRawLeaves(): u64 {
  return RAW_NONE;
}

let pending: bool = false;
/** The leaves come from `collector`, not from JSON bytes (and the raw byte scans do not apply). */
let fromCollector: bool = false;
let collector: LeafCollector = noCollector;
let rawLeaves: RawLeaves = noRawLeaves;
/** The collector's leaves as written in passing, unescaped (RAW_NONE: not written): what the every-event scan reads
 * when its windows hold no character JSON escapes (prefilter.ts everyEventScanReadsUnescaped). */
let passingLeaves: RawLeaves = noRawLeaves;
/** The collector's raw text for this event: not built yet, or its packed range (RAW_NONE: could not). */
let rawBuilt: bool = false;
let rawRange: u64 = RAW_NONE;
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

/** The current event came from these bytes; collect its leaves if a keyword predicate asks. */
export function keywordLeavesFromBytes(start: usize, end: usize, evtx: bool, hazard: u32): void {
  pending = true;
  fromCollector = false;
  recordStart = start;
  recordEnd = end;
  evtxShape = evtx;
  rawHazard = hazard;
  filterState = FILTER_PENDING;
}

/** The current event's leaves come from `collect` (or, for the raw scans, `raw`; for the every-event scan,
 * `passing` when it has them), if a keyword predicate asks. */
export function keywordLeavesFromCollector(collect: LeafCollector, raw: RawLeaves, passing: RawLeaves): void {
  pending = true;
  fromCollector = true;
  collector = collect;
  rawLeaves = raw;
  passingLeaves = passing;
  rawBuilt = false;
  filterState = FILTER_PENDING;
}

/** The text the raw scans read: the record's bytes, or the collector's raw text (false when it has none). */
function rawText(): bool {
  if (!fromCollector) return true;
  if (!rawBuilt) {
    rawRange = rawLeaves();
    rawBuilt = true;
  }
  if (rawRange == RAW_NONE) return false;
  recordStart = <usize>(rawRange >> RAW_START_SHIFT);
  recordEnd = <usize>(rawRange & 0xffffffff);
  rawHazard = RAW_TEXT_HAZARD;
  return true;
}

/** The text the every-event scan reads: the leaves written in passing when there are, else rawText's. */
function everyEventText(): bool {
  if (fromCollector) {
    let range = passingLeaves();
    if (range != RAW_NONE) {
      recordStart = <usize>(range >> RAW_START_SHIFT);
      recordEnd = <usize>(range & 0xffffffff);
      rawHazard = RAW_TEXT_HAZARD;
      return true;
    }
  }
  return rawText();
}

/**
 * Look for every keyword atom in the event's leaves (folded, as the keyword predicates read them), marking what
 * they satisfy. FILTER_NONE when the evaluation was aborted on the way (collection failed, arena full).
 */
function scanLeaves(): void {
  filterState = FILTER_NONE;
  // Bytes path: the record's raw bytes may do instead of its leaves (prefilter.ts scanKeywordRaw).
  let raw = pending && rawText() && scanKeywordRaw(recordStart, recordEnd, rawHazard);
  if (!raw && !(ensureKeywordLeaves() && scanKeywordLeaves())) return;
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
  if (pending && everyEventScanSuffices() && everyEventText() && scanEveryEventRaw(recordStart, recordEnd, rawHazard)) {
    filterState = FILTER_EVERY_EVENT;
    return;
  }
  scanLeaves();
}

/** Make sure the keyword slot holds the current event's leaves. False when the evaluation was aborted. */
export function ensureKeywordLeaves(): bool {
  if (!pending) return true;
  pending = false;
  let status = fromCollector ? collector(keywordSlot) : collectLeaves(recordStart, recordEnd, evtxShape, keywordSlot);
  if (status != STATUS_OK) {
    abortEvaluation(status, status == STATUS_ARENA_FULL && !fromCollector ? <u32>leavesNeed : 0);
    return false;
  }
  return true;
}
