// Capture: the values of chosen slots of events that hit chosen rules, copied out for the host (correlations need
// the group-by, value and time fields of the events their rules matched; reading them here costs a copy, where the
// host would otherwise parse each hit event's JSON again).
//
// The host lays out the capture block and points CTX_CAPTURE_PTR at it (0: no capture). All u32, little-endian:
//
//   +0   rule words      W: words of the rule bitmap
//   +4   slot count      S: slots captured, in the order listed
//   +8   out capacity    bytes of the output area
//   +12  out length      bytes written so far (the VM appends; the host drains and zeroes it after every call)
//   +16  needed          bytes an event needed that did not fit (the VM stops before it; the host grows the area)
//   +20  rule bitmap     W words: bit r set = rule r's hits are captured
//   ...  slot list       S words: slot indices
//   ...  output area     capture records, 4-byte aligned
//
// A capture record: event index, record bytes (this header included), then per listed slot either NONE (absent)
// or the value count followed by each value as kind, length and the value's string-form bytes padded to 4.
import { NONE, slotFirst, slotPresent, valueKind, valueNext, valueRawLen, valueRawPtr, KIND_NULL, KIND_OBJECT } from '../store/values';

@inline const CAP_RULE_WORDS: usize = 0;
@inline const CAP_SLOT_COUNT: usize = 4;
@inline const CAP_OUT_CAPACITY: usize = 8;
@inline const CAP_OUT_LENGTH: usize = 12;
@inline const CAP_NEEDED: usize = 16;
@inline const CAP_HEADER_BYTES: usize = 20;
@inline const RECORD_HEADER_BYTES: u32 = 8;
@inline const VALUE_HEADER_BYTES: u32 = 8;

let block: usize = 0;
let ruleWords: u32 = 0;
let slotCount: u32 = 0;
let bitmap: usize = 0;
let slots: usize = 0;
let out: usize = 0;

export function captureAttach(ptr: usize): void {
  block = ptr;
  if (ptr == 0) return;
  ruleWords = load<u32>(ptr, CAP_RULE_WORDS);
  slotCount = load<u32>(ptr, CAP_SLOT_COUNT);
  bitmap = ptr + CAP_HEADER_BYTES;
  slots = bitmap + (<usize>ruleWords << 2);
  out = slots + (<usize>slotCount << 2);
}

/** Does rule `r` want its hit events captured? */
export function captureWanted(r: u32): bool {
  if (block == 0) return false;
  let word = r >> 5;
  return word < ruleWords && (load<u32>(bitmap + (<usize>word << 2)) & (1 << (r & 31))) != 0;
}

@inline function padded(len: u32): u32 {
  return (len + 3) & ~3;
}

/** Bytes the current event's capture record takes. */
function recordBytes(): u32 {
  let total = RECORD_HEADER_BYTES;
  for (let i: u32 = 0; i < slotCount; i++) {
    total += 4;
    let slot = load<u32>(slots + (<usize>i << 2));
    for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) {
      let kind = valueKind(v);
      total += VALUE_HEADER_BYTES + (kind == KIND_NULL || kind == KIND_OBJECT ? 0 : padded(valueRawLen(v)));
    }
  }
  return total;
}

/**
 * Append the current event's record. False when it does not fit: `needed` is set, and the caller withdraws the
 * event so the host can drain, grow and send it again.
 */
export function captureEvent(eventIndex: u32): bool {
  let size = recordBytes();
  let length = load<u32>(block, CAP_OUT_LENGTH);
  if (<u64>length + <u64>size > <u64>load<u32>(block, CAP_OUT_CAPACITY)) {
    store<u32>(block, size, CAP_NEEDED);
    return false;
  }
  let p = out + <usize>length;
  store<u32>(p, eventIndex);
  store<u32>(p, size, 4);
  p += RECORD_HEADER_BYTES;
  for (let i: u32 = 0; i < slotCount; i++) {
    let slot = load<u32>(slots + (<usize>i << 2));
    let first = slotFirst(slot);
    // A slot with no values may still be present (`"F": []`).
    let countAt = p;
    p += 4;
    if (first == NONE && !slotPresent(slot)) {
      store<u32>(countAt, NONE);
      continue;
    }
    let count: u32 = 0;
    for (let v = first; v != NONE; v = valueNext(v)) {
      let kind = valueKind(v);
      let len = kind == KIND_NULL || kind == KIND_OBJECT ? 0 : valueRawLen(v);
      store<u32>(p, kind);
      store<u32>(p, len, 4);
      memory.copy(p + VALUE_HEADER_BYTES, valueRawPtr(v), len);
      p += VALUE_HEADER_BYTES + padded(len);
      count++;
    }
    store<u32>(countAt, count);
  }
  store<u32>(block, length + size, CAP_OUT_LENGTH);
  return true;
}
