// Provenance of hits: after a rule matches an event, while the event is still in the value store, the items of the
// rule's search identifiers are evaluated one value test at a time (the explain table, format.ts SECTION_EXPLAIN)
// and, for each test that holds, each value of the slot that satisfies it is copied out. The host
// (src/runtime/provenance.ts) works out from these facts which identifiers made the condition hold and which values
// to show, exactly as the reference's explainMatch does. Hits are rare: none of this runs on the way to a hit.
//
// The host lays out the block and points CTX_PROVENANCE_PTR at it (0: no provenance). All u32, little-endian:
//
//   +0   capacity     bytes of the output area
//   +4   length       bytes written so far (the VM appends; the host drains and zeroes it after every call)
//   +8   needed       set when an event's records did not fit: the bytes to make room for (the host grows the area)
//   +12  output area  provenance records, 4-byte aligned
//
// A record: event index, rule, record bytes (this header included), then for each of the rule's detections in order
// DETECTION_FALSE when it does not hold, else its item count and per item (depth first) its test count and per test one word: bit 0 whether the test holds for
// the slot's values, the count of values listed above it; each listed value is its kind, its position among the
// slot's values, its length and its string-form bytes padded to 4. Values are listed for tests that hold of items
// that are not negated; a keyword item lists the first leaf only, as the reference reports it.
import { NONE, slotFirst, valueKind, valueNext, valueRawLen, valueRawPtr, KIND_NULL, KIND_OBJECT } from '../store/values';
import { EXPLAIN_ITEM_WORDS, R_WORD_DETECTION_COUNT, R_WORD_FIRST_DETECTION, X_ITEM_FLAGS, X_ITEM_NEGATED, X_ITEM_SLOT, X_ITEM_TEST_COUNT } from './format';
import { abortStatus, detectionResult, run } from './machine';
import { setOnlyValue } from './predicates';
import { explainBase, keywordSlot, ruleRecord } from './program';

@inline const PV_CAPACITY: usize = 0;
@inline const PV_LENGTH: usize = 4;
@inline const PV_NEEDED: usize = 8;
@inline const PV_HEADER_BYTES: usize = 12;
@inline const TEST_HOLDS: u32 = 1;
@inline const TEST_COUNT_SHIFT: u32 = 1;
/** In place of an item count: the detection does not hold (its items are not listed). */
@inline const DETECTION_FALSE: u32 = 0xffffffff;

let block: usize = 0;
let out: usize = 0;
let capacity: u64 = 0;
/** Where the next word goes, from `out`; past `capacity` the writer only counts (the record did not fit). */
let pos: u64 = 0;

export function provenanceAttach(ptr: usize): void {
  block = ptr;
  if (ptr == 0) return;
  out = ptr + PV_HEADER_BYTES;
  capacity = <u64>load<u32>(ptr, PV_CAPACITY);
}

export function provenanceWanted(): bool {
  return block != 0;
}

/** The output's length now (to roll back to when the event is withdrawn). */
export function provenanceMark(): u32 {
  return block == 0 ? 0 : load<u32>(block, PV_LENGTH);
}

export function provenanceRollback(mark: u32): void {
  if (block != 0) store<u32>(block, mark, PV_LENGTH);
}

@inline function put(word: u32): void {
  if (pos + 4 <= capacity) store<u32>(out + <usize>pos, word);
  pos += 4;
}

@inline function padded(len: u32): u64 {
  return (<u64>len + 3) & ~(<u64>3);
}

function putBytes(ptr: usize, len: u32): void {
  if (pos + padded(len) <= capacity) memory.copy(out + <usize>pos, ptr, len);
  pos += padded(len);
}

@inline function explainWord(w: u32): u32 {
  return load<u32>(explainBase + (<usize>w << 2));
}

/**
 * Append the provenance record of rule `r`'s hit on the current event. False when the evaluation was aborted
 * (abortStatus says why) or the record does not fit (`needed` is set; the caller withdraws the event).
 */
export function provenanceOfHit(eventIndex: u32, r: u32): bool {
  pos = <u64>load<u32>(block, PV_LENGTH);
  let start = pos;
  put(eventIndex);
  put(r);
  let sizeAt = pos;
  put(0);
  let w = explainWord(r);
  let detections = load<u32>(ruleRecord(r), R_WORD_DETECTION_COUNT << 2);
  let first = load<u32>(ruleRecord(r), R_WORD_FIRST_DETECTION << 2);
  for (let d: u32 = 0; d < detections; d++) {
    let items = explainWord(w++);
    // A false identifier lists nothing (its truth is all the host needs); a true one its items. Memoised: the rule's
    // own run evaluated most of them already.
    let detectionHolds = detectionResult(first + d);
    if (abortStatus != 0) return false;
    put(detectionHolds ? items : DETECTION_FALSE);
    for (let i: u32 = 0; i < items; i++) {
      let slot = explainWord(w + X_ITEM_SLOT);
      let negated = (explainWord(w + X_ITEM_FLAGS) & X_ITEM_NEGATED) != 0;
      let tests = explainWord(w + X_ITEM_TEST_COUNT);
      w += EXPLAIN_ITEM_WORDS;
      if (!detectionHolds) {
        w += tests;
        continue;
      }
      put(tests);
      for (let t: u32 = 0; t < tests; t++) {
        let code = explainWord(w++);
        // Over all the slot's values the tests are memoised like any predicate (most are the rule's own).
        let holds = run(code, false);
        if (abortStatus != 0) return false;
        let testAt = pos;
        put(holds ? TEST_HOLDS : 0);
        if (!holds || negated) continue;
        let count: u32 = 0;
        let position: u32 = 0;
        for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) {
          setOnlyValue(v);
          let satisfied = run(code, true);
          setOnlyValue(NONE);
          if (abortStatus != 0) return false;
          if (satisfied) {
            let kind = valueKind(v);
            let len = kind == KIND_NULL || kind == KIND_OBJECT ? 0 : valueRawLen(v);
            put(kind);
            put(position);
            put(len);
            putBytes(valueRawPtr(v), len);
            count++;
            if (slot == keywordSlot) break; // the first leaf that matched is the one reported
          }
          position++;
        }
        if (testAt + 4 <= capacity) store<u32>(out + <usize>testAt, TEST_HOLDS | (count << TEST_COUNT_SHIFT));
      }
    }
  }
  if (pos > capacity || pos - start > <u64>0xffffffff) {
    store<u32>(block, <u32>min(pos, <u64>0xffffffff), PV_NEEDED);
    return false;
  }
  store<u32>(out + <usize>sizeAt, <u32>(pos - start));
  store<u32>(block, <u32>pos, PV_LENGTH);
  return true;
}
