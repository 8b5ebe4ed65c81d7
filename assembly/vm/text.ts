// The text a predicate or the prefilter reads from a value: its raw bytes, or its folded copy, computed once per
// event on first use (lazy folding: values no case-insensitive test reads are never folded).
import { STATUS_ARENA_FULL } from '../context';
import { foldedCapacity, foldUtf8 } from '../text/fold';
import {
  arenaAlloc, arenaShrinkTo, NONE, valueFoldLen, valueFoldPtr, valueRawLen, valueRawPtr, valueSetFolded,
} from '../store/values';
import { abortEvaluation } from './machine';

/** The bytes of the value valueText last pointed at. */
export let textPtr: usize = 0;
export let textLen: u32 = 0;

/** Point textPtr/textLen at a value's raw or folded bytes. False (and the evaluation aborted with
 * STATUS_ARENA_FULL) when the arena cannot take the folded copy. */
export function valueText(v: u32, cased: bool): bool {
  if (cased) {
    textPtr = valueRawPtr(v);
    textLen = valueRawLen(v);
    return true;
  }
  let len = valueFoldLen(v);
  if (len == NONE) {
    let raw = valueRawLen(v);
    let dst = arenaAlloc(foldedCapacity(raw));
    if (dst == 0) {
      abortEvaluation(STATUS_ARENA_FULL, foldedCapacity(raw));
      return false;
    }
    len = foldUtf8(valueRawPtr(v), raw, dst);
    arenaShrinkTo(dst + <usize>len);
    valueSetFolded(v, dst, len);
  }
  textPtr = valueFoldPtr(v);
  textLen = len;
  return true;
}
