// Keyword leaves (every string and number leaf of the event) are collected only when a keyword predicate is first
// evaluated for an event. In the objects path the host writes them with the record; in the bytes path the VM
// re-scans the event's bytes on demand, so rule sets whose keyword rules never run for an event pay nothing.
import { collectLeaves } from '../json/leaves';
import { STATUS_OK } from '../context';
import { utf8Step } from '../json/lexer';
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

@inline const ASCII_LIMIT: u32 = 0x80;
@inline const SIMD_BYTES: usize = 16;

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
 * Fold raw text that may hold ill-formed UTF-8 (a JSON record's bytes, an encoded record's binary headers) into `dst`
 * (foldedCapacity(len) bytes), returning the folded length: well-formed runs are folded, each byte of an ill-formed
 * sequence is copied as it is. foldUtf8 alone would read a stray lead byte and what follows as one code point and so
 * swallow the next character (`\xC0true` would lose its `t`); the leaves read such bytes as U+FFFD, which no keyword
 * atom holds (src/compiler/compile.ts), so copying them loses no atom.
 */
function foldRawText(src: usize, len: u32, dst: usize): u32 {
  let end = src + <usize>len;
  let run = src;
  let p = src;
  let d: u32 = 0;
  while (p < end) {
    if (end - p >= SIMD_BYTES && i8x16.bitmask(v128.load(p)) == 0) {
      p += SIMD_BYTES;
      continue;
    }
    let b = <u32>load<u8>(p);
    if (b < ASCII_LIMIT) {
      p++;
      continue;
    }
    let step = utf8Step(p);
    if (step > 0 && p + <usize>step <= end) {
      p += <usize>step;
      continue;
    }
    d += foldUtf8(run, <u32>(p - run), dst + <usize>d);
    store<u8>(dst + <usize>d, <u8>b);
    d++;
    p++;
    run = p;
  }
  return d + foldUtf8(run, <u32>(p - run), dst + <usize>d);
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
      let n = foldRawText(textStart, len, folded);
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
