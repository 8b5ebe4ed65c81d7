// JSON scanner test exports (see assembly/json/): the scanner driven by a handler that serialises each event's
// slots (and keyword leaves) into a dump buffer, and wrappers around the number and string primitives, so
// test/json/ checks exactly the code the VM runs against JSON.parse and the TypeScript reference.
import { STATUS_ARENA_FULL, STATUS_HITS_FULL, STATUS_OK } from '../context';
import { CH_LF, P_OK } from '../json/constants';
import { collectLeaves } from '../json/leaves';
import {
  NOT_CANONICAL, NUMBER_TEXT, beginParse, decodeString, findByte, gErr, numberText, numberTextAt, scanNumber,
  scanString, strEscaped, strInvalid,
} from '../json/lexer';
import { scanInput, scannerAttach, scannerScratchBytes, scannerSetMaxRecordBytes } from '../json/scan';
import {
  BANK_FLAT, NONE, slotFirst, slotPresent, slotTableBytes, storeAttach, storeReadBank, valueKind, valueNext,
  valueRawLen, valueRawPtr,
} from '../store/values';

export { scannerAttach as jsonScannerAttach, scannerScratchBytes as jsonScannerScratchBytes };
export { scannerSetMaxRecordBytes as jsonSetMaxRecordBytes };

@inline const WORD: usize = 4;

export function jsonSlotTableBytes(slots: u32): usize {
  return slotTableBytes(slots);
}

export function jsonStoreAttach(
  slots: usize, nSlots: u32, values: usize, valueCap: u32, arena: usize, arenaBytes: u32,
): void {
  storeAttach(slots, nSlots, values, valueCap, arena, arenaBytes);
}

// ---- the dump handler ----
let dumpBase: usize = 0;
let dumpCap: usize = 0;
let dumpLen: usize = 0;
let dumpSlots: u32 = 0;
let dumpKeywordSlot: u32 = NONE;
let dumpOverflow: bool = false;

/**
 * Dump each event into [ptr, ptr + cap): slots 0..slots-1 and, when keywordSlot is not NONE, the keyword leaves
 * collectLeaves records there. A full buffer makes the handler return STATUS_HITS_FULL (the scanner stops before
 * the event), which is how tests exercise stopping and resuming.
 */
export function jsonDumpAttach(ptr: usize, cap: usize, slots: u32, keywordSlot: u32): void {
  dumpBase = ptr;
  dumpCap = cap;
  dumpLen = 0;
  dumpSlots = slots;
  dumpKeywordSlot = keywordSlot;
}

export function jsonDumpLength(): usize {
  return dumpLen;
}

export function jsonDumpReset(): void {
  dumpLen = 0;
}

/** For other dump handlers (assembly/test/evtx.ts): the dump's length, slots, keyword slot and overflow flag. */
export function dumpState(): usize {
  dumpOverflow = false;
  return dumpLen;
}

export function dumpRewind(to: usize): void {
  dumpLen = to;
}

export function dumpOverflowed(): bool {
  return dumpOverflow;
}

export function dumpSlotCount(): u32 {
  return dumpSlots;
}

export function dumpKeywords(): u32 {
  return dumpKeywordSlot;
}

@inline export function put(v: u32): void {
  if (dumpLen + WORD > dumpCap) {
    dumpOverflow = true;
    return;
  }
  store<u32>(dumpBase + dumpLen, v);
  dumpLen += WORD;
}

export function putBytes(p: usize, len: u32): void {
  put(len);
  let padded = (<usize>len + WORD - 1) & ~(WORD - 1);
  if (dumpLen + padded > dumpCap) {
    dumpOverflow = true;
    return;
  }
  memory.copy(dumpBase + dumpLen, p, <usize>len);
  dumpLen += padded;
}

/** Slot record: present, count, then (kind, bytes) per value, read from the selected bank. */
export function putSlot(slot: u32): void {
  put(slotPresent(slot) ? 1 : 0);
  let count: u32 = 0;
  for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) count++;
  put(count);
  for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) {
    put(valueKind(v));
    putBytes(valueRawPtr(v), valueRawLen(v));
  }
}

function dumpHandler(eventIndex: u32, recordStart: usize, recordEnd: usize, line: u32): u32 {
  let start = dumpLen;
  dumpOverflow = false;
  let bank = storeReadBank();
  put(eventIndex);
  put(line);
  put(<u32>recordStart);
  put(<u32>recordEnd);
  put(bank);
  for (let s: u32 = 0; s < dumpSlots; s++) putSlot(s);
  if (dumpKeywordSlot != NONE) {
    let status = collectLeaves(recordStart, recordEnd, bank != BANK_FLAT, dumpKeywordSlot);
    if (status == STATUS_ARENA_FULL) {
      // As the VM does: stop before this event; the host grows the arena and the value table, then rescans it.
      dumpLen = start;
      return STATUS_ARENA_FULL;
    }
    put(status);
    if (status == STATUS_OK) putSlot(dumpKeywordSlot);
  }
  if (dumpOverflow) {
    dumpLen = start;
    return STATUS_HITS_FULL;
  }
  return STATUS_OK;
}

export function jsonScan(ctx: usize): void {
  scanInput(ctx, dumpHandler);
}

// ---- primitives ----

@inline const NUMBER_CANONICAL: u32 = 0;
@inline const NUMBER_FALLBACK: u32 = 1;
@inline const NUMBER_INVALID: u32 = 2;

/**
 * Canonicalise numbers given one per line (each line ending in LF). Writes per number: status (0 canonical,
 * 1 not canonical, 2 not JSON.parse's grammar), then its text as (length, bytes padded to 4). Returns bytes written.
 */
export function jsonCanonicalNumbers(input: usize, len: usize, out: usize): usize {
  let p = input;
  let end = input + len;
  let o = out;
  while (p < end) {
    let q = findByte(p, end, CH_LF);
    // The LF is the delimiter after the number, so it is inside the parse range.
    beginParse(q + 1, false);
    let r = scanNumber(p);
    let status = NUMBER_INVALID;
    let n: u32 = 0;
    let text = NUMBER_TEXT;
    if (gErr == P_OK && r == q) {
      // The extractor's own path: short integers in place, everything else formatted.
      n = numberText(p, q);
      text = numberTextAt;
      status = n == NOT_CANONICAL ? NUMBER_FALLBACK : NUMBER_CANONICAL;
      if (n == NOT_CANONICAL) n = 0;
    }
    store<u32>(o, status);
    store<u32>(o + WORD, n);
    memory.copy(o + 2 * WORD, text, <usize>n);
    o += 2 * WORD + ((<usize>n + WORD - 1) & ~(WORD - 1));
    p = q + 1;
  }
  return o - out;
}

/**
 * Decode JSON string literals given as (u32 length, bytes padded to 4). Writes per literal: status (0 valid,
 * 1 JSON.parse rejects it), in place (1 when the bytes need no decoding), then the decoded UTF-8 as (length,
 * bytes padded to 4). The output needs 3 bytes per input byte plus 16 of slack. Returns bytes written.
 */
export function jsonDecodeStrings(input: usize, len: usize, out: usize): usize {
  let p = input;
  let end = input + len;
  let o = out;
  while (p < end) {
    let n = <usize>load<u32>(p);
    let s = p + WORD;
    let e = s + n;
    beginParse(e, false);
    let valid = n >= 2 && <u32>load<u8>(s) == 0x22;
    let q: usize = 0;
    if (valid) {
      q = scanString(s + 1);
      valid = gErr == P_OK && q == e;
    }
    store<u32>(o, valid ? 0 : 1);
    if (valid) {
      store<u32>(o, strEscaped || strInvalid ? 0 : 1, WORD);
      let text = o + 3 * WORD;
      let decodedEnd = decodeString(s + 1, q - 1, text);
      let m = decodedEnd - text;
      store<u32>(o, <u32>m, 2 * WORD);
      o = text + ((m + WORD - 1) & ~(WORD - 1));
    } else {
      store<u32>(o, 0, WORD);
      store<u32>(o, 0, 2 * WORD);
      o += 3 * WORD;
    }
    p = e + ((WORD - (n & (WORD - 1))) & (WORD - 1));
  }
  return o - out;
}

// ---- throughput (test/json/scan-throughput.ts) ----

let scanned: u32 = 0;

function countHandler(eventIndex: u32, recordStart: usize, recordEnd: usize, line: u32): u32 {
  scanned++;
  return STATUS_OK;
}

/** Scan with a handler that only counts: the cost of framing, validation and extraction alone. */
export function jsonScanCount(ctx: usize): u32 {
  scanned = 0;
  scanInput(ctx, countHandler);
  return scanned;
}
