// Keyword leaves (every string and number leaf of the event) are collected only when a keyword predicate is first
// evaluated for an event. In the objects path the host writes them with the record; in the bytes path the VM
// re-scans the event's bytes on demand, so rule sets whose keyword rules never run for an event pay nothing.
import { collectLeaves } from '../json/leaves';
import { STATUS_OK } from '../context';
import { keywordSlot } from './program';
import { abortEvaluation } from './machine';

let pending: bool = false;
let recordStart: usize = 0;
let recordEnd: usize = 0;
let evtxShape: bool = false;

/** The current event's leaves are already in the store (objects path), or the program has no keywords. */
export function keywordLeavesReady(): void {
  pending = false;
}

/** The current event came from these bytes; collect its leaves if a keyword predicate asks. */
export function keywordLeavesFromBytes(start: usize, end: usize, evtx: bool): void {
  pending = true;
  recordStart = start;
  recordEnd = end;
  evtxShape = evtx;
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
