// The sigmatch VM: the exports the host (src/runtime/host.ts) calls. Every export takes the context block pointer
// (assembly/context.ts) and handles a whole batch: one boundary crossing per batch, never per event.
import {
  CTX_ARENA_CAP, CTX_ARENA_PTR, CTX_CONSUMED, CTX_EVENT_BASE, CTX_EVENT_COUNT, CTX_FLAGS, CTX_HIT_COUNT, CTX_HITS_CAP,
  CTX_HITS_PTR, CTX_INPUT_LEN, CTX_INPUT_PTR, CTX_LINE_COUNT, CTX_NOTE_COUNT, CTX_PROGRAM_LEN, CTX_PROGRAM_PTR,
  CTX_CAPTURE_PTR, CTX_PROVENANCE_PTR, CTX_MAX_RECORD_BYTES, CTX_RULES_EVALUATED, CTX_SCRATCH_PTR, CTX_SLOTS_PTR, CTX_STATUS, CTX_STATUS_DETAIL, CTX_VALUES_CAP, CTX_VALUES_PTR,
  FLAG_NO_PREFILTER, FLAG_NULL_MATCHES_ABSENT, HIT_EVTX_TIME, HIT_EVTX_VALUES, STATUS_ARENA_FULL, STATUS_BAD_PROGRAM, STATUS_BAD_RECORD, STATUS_OK,
} from './context';
import { recordRawHazard } from './json/extract';
import { scanInput, scannerAttach, scannerScratchBytes, scannerSetMaxRecordBytes } from './json/scan';
import { BANK_EVTX_JSON, presentListBytes, storeAttach, storeAttachPresentList, storeBeginEvent, storeReadBank } from './store/values';
import { captureAttach } from './vm/capture';
import { provenanceAttach } from './vm/provenance';
import { keywordLeavesFromBytes, keywordLeavesFromCollector, noRawLeaves } from './vm/keywords';
import { everyEventScanReadsUnescaped, everyEventWindowsLeave } from './vm/prefilter';
import { scanEvtxChunk } from './evtx/chunk';
import { collectEvtxLeaves, evtxLeavesInPassing, passingEvtxLeaves, rawEvtxLeaves } from './evtx/leaves';
import { formattedAlphabet } from './evtx/values';
import { hitTimeWord, hitValuesWord } from './evtx/identity';
export { evtxRegionBytes } from './evtx/region';
import { evaluateRules, hitCount, hitRecordAt, rulesEvaluated, setEventRecord, machineAttach, machineScratchBytes, abortDetail, setPrefilterEnabled } from './vm/machine';
import { setNullMatchesAbsent, setRegexScratch } from './vm/predicates';
import { attachProgram, slotCount, trieBase } from './vm/program';
import { collectRecordLeaves, decodeRecord, rawRecordLeaves, recordLength } from './vm/records';
import { regexScratchBytesForProgram } from './vm/regex-scratch';

/** Version of the program format and calling convention; the host refuses a module of another version. */
export const VM_VERSION: u32 = 7;

@inline const SCRATCH_ALIGN: usize = 16;
@inline const NOT_A_PROGRAM: u32 = 0xffffffff;

export function vmVersion(): u32 {
  return VM_VERSION;
}

/** First byte the host may lay out: everything below is static data. */
export function vmHeapBase(): usize {
  return __heap_base;
}

@inline function align(n: usize): usize {
  return (n + SCRATCH_ALIGN - 1) & ~(SCRATCH_ALIGN - 1);
}

/** Start of this call's input region (hit records hold offsets from it). */
let inputBase: usize = 0;

// Scratch partition: [machine memos][scanner][regex threads][present-slot lists].
let machineScratch: usize = 0;
let scannerScratch: usize = 0;
let regexScratch: usize = 0;
let presentScratch: usize = 0;

/** Validate the program at CTX_PROGRAM_PTR and return the scratch bytes it needs (NOT_A_PROGRAM when invalid). */
export function vmPrepare(ctx: usize): u32 {
  if (!attachProgram(<usize>load<u32>(ctx, CTX_PROGRAM_PTR), load<u32>(ctx, CTX_PROGRAM_LEN))) {
    store<u32>(ctx, STATUS_BAD_PROGRAM, CTX_STATUS);
    return NOT_A_PROGRAM;
  }
  machineScratch = 0;
  scannerScratch = align(machineScratchBytes());
  regexScratch = align(scannerScratch + scannerScratchBytes(trieBase));
  presentScratch = align(regexScratch + regexScratchBytesForProgram());
  return <u32>align(presentScratch + presentListBytes(slotCount));
}

/** Point every module at this call's regions (the host may have moved them since the last call). */
function attach(ctx: usize): void {
  let scratch = <usize>load<u32>(ctx, CTX_SCRATCH_PTR);
  storeAttach(<usize>load<u32>(ctx, CTX_SLOTS_PTR), slotCount, <usize>load<u32>(ctx, CTX_VALUES_PTR), load<u32>(ctx, CTX_VALUES_CAP),
    <usize>load<u32>(ctx, CTX_ARENA_PTR), load<u32>(ctx, CTX_ARENA_CAP));
  storeAttachPresentList(scratch + presentScratch);
  machineAttach(scratch + machineScratch, <usize>load<u32>(ctx, CTX_HITS_PTR), load<u32>(ctx, CTX_HITS_CAP));
  scannerAttach(trieBase, scratch + scannerScratch);
  let maxRecord = load<u32>(ctx, CTX_MAX_RECORD_BYTES);
  if (maxRecord != 0) scannerSetMaxRecordBytes(maxRecord);
  setRegexScratch(scratch + regexScratch);
  captureAttach(<usize>load<u32>(ctx, CTX_CAPTURE_PTR));
  provenanceAttach(<usize>load<u32>(ctx, CTX_PROVENANCE_PTR));
  setNullMatchesAbsent((load<u32>(ctx, CTX_FLAGS) & FLAG_NULL_MATCHES_ABSENT) != 0);
  setPrefilterEnabled((load<u32>(ctx, CTX_FLAGS) & FLAG_NO_PREFILTER) == 0);
  store<u32>(ctx, STATUS_OK, CTX_STATUS);
  store<u32>(ctx, 0, CTX_STATUS_DETAIL);
  store<u32>(ctx, 0, CTX_HIT_COUNT);
  store<u32>(ctx, 0, CTX_NOTE_COUNT);
  store<u32>(ctx, 0, CTX_CONSUMED);
  store<u32>(ctx, 0, CTX_EVENT_COUNT);
  store<u32>(ctx, 0, CTX_LINE_COUNT);
}

/** Bytes path: the scanner frames and extracts each event, then hands it here. */
function evaluateScannedEvent(eventIndex: u32, recordStart: usize, recordEnd: usize, line: u32): u32 {
  keywordLeavesFromBytes(recordStart, recordEnd, storeReadBank() == BANK_EVTX_JSON, recordRawHazard);
  setEventRecord(<u32>(recordStart - inputBase), <u32>(recordEnd - inputBase));
  return evaluateRules(eventIndex, line);
}

/** Bytes path: scan the JSON bytes of the input region (NDJSON, a JSON array, or concatenated objects). */
export function vmScan(ctx: usize): void {
  attach(ctx);
  inputBase = <usize>load<u32>(ctx, CTX_INPUT_PTR);
  scanInput(ctx, evaluateScannedEvent);
  store<u32>(ctx, hitCount, CTX_HIT_COUNT);
  store<u32>(ctx, rulesEvaluated, CTX_RULES_EVALUATED);
  if (load<u32>(ctx, CTX_STATUS) == STATUS_ARENA_FULL && load<u32>(ctx, CTX_STATUS_DETAIL) == 0) {
    store<u32>(ctx, abortDetail, CTX_STATUS_DETAIL);
  }
}

/** .evtx path: the decoder filled the store with the record's fields; its keyword leaves come from the decoder too. */
function evaluateEvtxRecord(eventIndex: u32, recordStart: usize, recordEnd: usize): u32 {
  keywordLeavesFromCollector(collectEvtxLeaves, rawEvtxLeaves, passingEvtxLeaves);
  setEventRecord(<u32>(recordStart - inputBase), <u32>(recordEnd - inputBase));
  let first = hitCount;
  let status = evaluateRules(eventIndex, 0);
  if (hitCount > first) {
    // What the hits report of the record, handed over with them (evtx/identity.ts).
    let values = hitValuesWord();
    let time = hitTimeWord();
    for (let i = first; i < hitCount; i++) {
      store<u32>(hitRecordAt(i), values, HIT_EVTX_VALUES);
      store<u32>(hitRecordAt(i), time, HIT_EVTX_TIME);
    }
  }
  return status;
}

/** .evtx path: read the chunk in the input region (one 64 KiB chunk; assembly/evtx/chunk.ts). */
export function vmScanEvtx(ctx: usize): void {
  attach(ctx);
  inputBase = <usize>load<u32>(ctx, CTX_INPUT_PTR);
  // A rule set whose keyword scan runs on every event gets the leaves written as the fields are (one walk, not two).
  let passing = (load<u32>(ctx, CTX_FLAGS) & FLAG_NO_PREFILTER) == 0 && everyEventScanReadsUnescaped();
  evtxLeavesInPassing(passing, passing && everyEventWindowsLeave(formattedAlphabet()));
  scanEvtxChunk(ctx, evaluateEvtxRecord);
  store<u32>(ctx, hitCount, CTX_HIT_COUNT);
  store<u32>(ctx, rulesEvaluated, CTX_RULES_EVALUATED);
  if (load<u32>(ctx, CTX_STATUS) == STATUS_ARENA_FULL && load<u32>(ctx, CTX_STATUS_DETAIL) == 0) {
    store<u32>(ctx, abortDetail, CTX_STATUS_DETAIL);
  }
}

/** Objects path: the input region holds event records written by the host (assembly/vm/records.ts). */
export function vmMatchRecords(ctx: usize): void {
  attach(ctx);
  let input = <usize>load<u32>(ctx, CTX_INPUT_PTR);
  let length = <usize>load<u32>(ctx, CTX_INPUT_LEN);
  let eventIndex = load<u32>(ctx, CTX_EVENT_BASE);
  let offset: usize = 0;
  let events: u32 = 0;
  let status = STATUS_OK;
  while (offset < length) {
    let total = recordLength(input + offset, length - offset);
    if (total == 0) {
      status = STATUS_BAD_RECORD;
      break;
    }
    storeBeginEvent();
    status = decodeRecord(input + offset);
    if (status != STATUS_OK) {
      // The value table is too small for this event's values (or the record is malformed: the host reports it).
      if (status == STATUS_ARENA_FULL) store<u32>(ctx, <u32>total * 2, CTX_STATUS_DETAIL);
      break;
    }
    // The leaves are read only when a keyword atom or predicate asks (the raw scans over their escaped text first).
    keywordLeavesFromCollector(collectRecordLeaves, rawRecordLeaves, noRawLeaves);
    setEventRecord(0, 0);
    status = evaluateRules(eventIndex + events, 0);
    if (status != STATUS_OK) {
      if (status == STATUS_ARENA_FULL) store<u32>(ctx, abortDetail, CTX_STATUS_DETAIL);
      break;
    }
    offset += total;
    events++;
  }
  store<u32>(ctx, status, CTX_STATUS);
  store<u32>(ctx, <u32>offset, CTX_CONSUMED);
  store<u32>(ctx, events, CTX_EVENT_COUNT);
  store<u32>(ctx, hitCount, CTX_HIT_COUNT);
  store<u32>(ctx, rulesEvaluated, CTX_RULES_EVALUATED);
}
