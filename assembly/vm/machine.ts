// Rule evaluation for one event: run each rule's code block, memoising predicate and detection results per event
// (generation stamps, nothing cleared between events), and append a hit for every rule that matches.
import {
  HIT_BYTES, HIT_EVENT, HIT_LINE, HIT_RECORD_END, HIT_RECORD_START, HIT_RULE, STATUS_HITS_FULL, STATUS_OK,
} from '../context';
import {
  I_CONST, I_DET, I_JUMP_IF_FALSE, I_JUMP_IF_TRUE, I_NOT, I_PRED, I_RETURN, OPCODE_MASK, OPERAND_SHIFT, R_WORD_CODE,
} from './format';
import { codeWord, detectionCount, detectionStart, predicateCount, ruleCount, ruleRecord } from './program';
import { evaluatePredicate } from './predicates';
import {
  alwaysAt, alwaysTotal, candidateAt, candidateTotal, keywordScanWanted, negativeGateDecided, negativeGateDetection,
  negativeGateHolds, negativeGatesPendingForKeywords, negativeGatesPendingForRules, prefilterAttach, prefilterPresent,
  prefilterScratchBytes, prefilterSkipEvent, selectCandidates, closeSelection,
} from './prefilter';
import { keywordSelect } from './keywords';
import { captureEvent, captureWanted } from './capture';
import { provenanceMark, provenanceOfHit, provenanceRollback, provenanceWanted } from './provenance';

/** An evaluation stopped part-way for this event: STATUS_ARENA_FULL, or the fallback status. 0 while running. */
export let abortStatus: u32 = 0;
/** Bytes the aborted evaluation needed (for STATUS_ARENA_FULL). */
export let abortDetail: u32 = 0;

export function abortEvaluation(status: u32, detail: u32): void {
  if (abortStatus == 0) {
    abortStatus = status;
    abortDetail = detail;
  }
}

// Memo words: generation << 1 | result. 31 bits of generation; cleared once when they wrap.
@inline const MEMO_RESULT: u32 = 1;
@inline const MEMO_GENERATION_LIMIT: u32 = 0x7fffffff;

let predicateMemo: usize = 0;
let detectionMemo: usize = 0;
let generation: u32 = 0;

let hitsBase: usize = 0;
let hitsCapacity: u32 = 0;
export let hitCount: u32 = 0;
/** The current event's record, relative to the input region (0, 0 in the objects path): written into its hits. */
let recordStart: u32 = 0;
let recordEnd: u32 = 0;

export function setEventRecord(start: u32, end: u32): void {
  recordStart = start;
  recordEnd = end;
}

/** Hit `i`'s record (for the words a path fills in after the evaluation: an .evtx record's identity). */
export function hitRecordAt(i: u32): usize {
  return hitsBase + <usize>i * HIT_BYTES;
}

/** Rule programs run since attach (for the host's statistics). */
export let rulesEvaluated: u32 = 0;

/** Evaluate every rule for every event (the prefilter's differential tests turn it off). */
let usePrefilter: bool = true;

export function setPrefilterEnabled(enabled: bool): void {
  usePrefilter = enabled;
}

function memoBytes(): usize {
  return (<usize>predicateCount + <usize>detectionCount) << 2;
}

/** Scratch bytes the memos and the prefilter need. */
export function machineScratchBytes(): usize {
  return memoBytes() + prefilterScratchBytes(ruleCount, predicateCount);
}

export function machineAttach(scratch: usize, hits: usize, hitsCap: u32): void {
  predicateMemo = scratch;
  detectionMemo = scratch + (<usize>predicateCount << 2);
  prefilterAttach(scratch + memoBytes(), ruleCount, predicateCount);
  hitsBase = hits;
  hitsCapacity = hitsCap;
  hitCount = 0;
  rulesEvaluated = 0;
}

/** Start evaluating a new event: all memoised results become stale. */
export function machineBeginEvent(): void {
  generation++;
  if (generation > MEMO_GENERATION_LIMIT) {
    memory.fill(predicateMemo, 0, memoBytes());
    generation = 1;
  }
  abortStatus = 0;
  abortDetail = 0;
}

function predicate(p: u32): bool {
  let slot = predicateMemo + (<usize>p << 2);
  let memo = load<u32>(slot);
  if (memo >> 1 == generation) return (memo & MEMO_RESULT) != 0;
  let result = evaluatePredicate(p);
  if (abortStatus != 0) return false; // not memoised: the event is abandoned anyway
  store<u32>(slot, (generation << 1) | (result ? MEMO_RESULT : 0));
  return result;
}

function detection(d: u32): bool {
  let slot = detectionMemo + (<usize>d << 2);
  let memo = load<u32>(slot);
  if (memo >> 1 == generation) return (memo & MEMO_RESULT) != 0;
  let result = run(detectionStart(d), false);
  if (abortStatus != 0) return false;
  store<u32>(slot, (generation << 1) | (result ? MEMO_RESULT : 0));
  return result;
}

/**
 * Run a validated code block (see program.ts: jumps go forward within the block, so this terminates). `direct`:
 * evaluate predicates afresh rather than through the memo (provenance's tests of one value at a time).
 */
export function run(start: u32, direct: bool = false): bool {
  let pc = start;
  let acc = false;
  while (true) {
    let w = codeWord(pc);
    let operand = w >> OPERAND_SHIFT;
    switch (w & OPCODE_MASK) {
      case I_PRED:
        acc = direct ? evaluatePredicate(operand) : predicate(operand);
        pc++;
        break;
      case I_DET:
        acc = detection(operand);
        pc++;
        break;
      case I_JUMP_IF_FALSE:
        pc = acc ? pc + 1 : operand;
        break;
      case I_JUMP_IF_TRUE:
        pc = acc ? operand : pc + 1;
        break;
      case I_NOT:
        acc = !acc;
        pc++;
        break;
      case I_CONST:
        acc = operand != 0;
        pc++;
        break;
      case I_RETURN:
        return acc;
      default:
        return false; // unreachable for validated programs
    }
    if (abortStatus != 0) return false;
  }
}

/** Is detection `d` true for the current event (for provenance)? */
export function detectionResult(d: u32): bool {
  return detection(d);
}

/** Run rule `r` and append a hit when it matches; false when the evaluation was aborted. */
@inline function evaluateRule(r: u32, eventIndex: u32, line: u32): bool {
  rulesEvaluated++;
  let matched = run(load<u32>(ruleRecord(r), R_WORD_CODE << 2), false);
  if (abortStatus != 0) return false;
  if (matched) {
    let h = hitsBase + <usize>hitCount * HIT_BYTES;
    store<u32>(h, eventIndex, HIT_EVENT);
    store<u32>(h, r, HIT_RULE);
    store<u32>(h, line, HIT_LINE);
    store<u32>(h, recordStart, HIT_RECORD_START);
    store<u32>(h, recordEnd, HIT_RECORD_END);
    hitCount++;
  }
  return true;
}

/**
 * Evaluate the rules for the current event (the value store holds its fields) and append its hits, in rule order:
 * with the prefilter, the rules that are always evaluated merged with this event's candidates; without, all.
 * Returns STATUS_OK, STATUS_HITS_FULL (nothing kept: drain and retry the event; also when its capture record does
 * not fit), or the abort status (the event's hits are withdrawn).
 */
export function evaluateRules(eventIndex: u32, line: u32): u32 {
  if (hitsCapacity - hitCount < ruleCount) return STATUS_HITS_FULL;
  machineBeginEvent();
  let first = hitCount;
  let status = runRules(eventIndex, line);
  if (status != STATUS_OK) {
    hitCount = first;
    return status;
  }
  // Provenance first, so that an event withdrawn for its capture takes its provenance records back too.
  let mark = provenanceMark();
  if (provenanceWanted()) {
    for (let h = first; h < hitCount; h++) {
      if (provenanceOfHit(eventIndex, load<u32>(hitsBase + <usize>h * HIT_BYTES, HIT_RULE))) continue;
      provenanceRollback(mark);
      hitCount = first;
      return abortStatus != 0 ? abortStatus : STATUS_HITS_FULL;
    }
  }
  for (let h = first; h < hitCount; h++) {
    if (!captureWanted(load<u32>(hitsBase + <usize>h * HIT_BYTES, HIT_RULE))) continue;
    if (!captureEvent(eventIndex)) {
      provenanceRollback(mark);
      hitCount = first;
      return STATUS_HITS_FULL;
    }
    break;
  }
  return STATUS_OK;
}

/**
 * Evaluate the detections of the negative gates in `pending` (a bit per gate; memoised like any detection, so the
 * rules that still run read the result): a gate that holds rules out its rules for this event. False when the
 * evaluation was aborted.
 */
function decideNegativeGates(pending: u32): bool {
  while (pending != 0) {
    let g = <u32>ctz(pending);
    pending &= pending - 1;
    let holds = detection(negativeGateDetection(g));
    if (abortStatus != 0) return false;
    negativeGateDecided(g, holds);
  }
  return true;
}

/** Run the rules that may match the current event and append their hits; STATUS_OK or the abort status. */
function runRules(eventIndex: u32, line: u32): u32 {
  if (!usePrefilter || !prefilterPresent()) {
    prefilterSkipEvent();
    for (let r: u32 = 0; r < ruleCount; r++) {
      if (!evaluateRule(r, eventIndex, line)) return abortStatus;
    }
    return STATUS_OK;
  }
  if (!selectCandidates()) return abortStatus;
  // Negative gates first where they may spare the keyword scan, then for the rules about to run (the keyword scan
  // may have added candidates).
  if (!decideNegativeGates(negativeGatesPendingForKeywords())) return abortStatus;
  if (keywordScanWanted()) {
    keywordSelect();
    if (abortStatus != 0) return abortStatus;
  }
  if (!decideNegativeGates(negativeGatesPendingForRules())) return abortStatus;
  closeSelection();
  let a: u32 = 0;
  let c: u32 = 0;
  let always = alwaysTotal();
  let found = candidateTotal();
  while (a < always || c < found) {
    let r: u32;
    if (c >= found || (a < always && alwaysAt(a) < candidateAt(c))) {
      r = alwaysAt(a++);
      if (negativeGateHolds(r)) continue;
    } else r = candidateAt(c++);
    if (!evaluateRule(r, eventIndex, line)) return abortStatus;
  }
  return STATUS_OK;
}
