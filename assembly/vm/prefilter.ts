// Candidate selection (DESIGN.md section 7; the tables are built by src/compiler/prefilter.ts). For each slot with
// atoms, every value's folded bytes are looked up whole in the EXACT table and scanned for 4-byte WINDOWs (and
// short literals); each hit names rule requirement sets it satisfies, predicates that may hold, or a gate (a log
// source) it opens. A rule becomes a candidate when all of its sets (one or two) have a hit in this event and its
// gate, if it has one, is open. Rules without a usable requirement or gate are always evaluated.
// Everything is generation-stamped in scratch: nothing is cleared per event.
import {
  NONE, presentSlotAt, presentSlotCount, slotFirst, valueHasText, valueNext, valueRawLen, valueRawPtr,
} from '../store/values';
import { textLen, textPtr, valueText } from './text';
import { ASCII_LIMIT, foldAscii } from '../text/fold';
import { VECTOR_BYTES } from '../json/constants';
import { bytesBefore, rawRecordPlain, teddyByte } from './raw-record';
import {
  MEMO_MAX_VALUE_BYTES, memoAttach, memoHash, memoHitAt, memoHitCount, memoLookup, memoRecord, memoReset,
  memoScratchBytes, memoStartRecording, memoStopRecording, recording,
} from './value-memo';

// ---- section layout (words; mirror of src/compiler/prefilter.ts) ----
@inline const H_RULES: u32 = 0;
@inline const H_ALWAYS_COUNT: u32 = 1;
@inline const H_FILTER_COUNT: u32 = 2;
@inline const H_NEEDED: u32 = 3;
@inline const H_ALWAYS: u32 = 4;
@inline const H_FILTERS: u32 = 5;
@inline const H_POOL: u32 = 6;
@inline const H_GATE_COUNT: u32 = 8;
@inline const H_GATES: u32 = 9;
@inline const H_RAW_KEYWORD: u32 = 10;
@inline const H_EVERY_EVENT: u32 = 11;
@inline const H_NEGATIVE_COUNT: u32 = 12;
@inline const H_NEGATIVE_GATES: u32 = 13;
@inline const H_NEGATIVE_OF_RULE: u32 = 14;
/** Negative gates at most: one bit each in the per-event masks (src/compiler/prefilter.ts MAX_NEGATIVE_GATES). */
@inline const MAX_NEGATIVE_GATES: u32 = 32;
// The every-event keyword filter (Teddy masks: src/compiler/prefilter.ts).
@inline const TEDDY_HEADER_WORDS: u32 = 2;
@inline const TEDDY_MASK_WORDS: u32 = 24;
@inline const GATE_WORDS: u32 = 3;
@inline const G_LIST: usize = 0;
@inline const G_LIST_LEN: usize = 4;
@inline const G_FLAGS: usize = 8;
@inline const GATE_KEYWORDS: u32 = 1;
@inline const SLOT_FILTER_WORDS: u32 = 12;
@inline const F_SLOT: u32 = 0;
@inline const F_EXACT: u32 = 1;
@inline const F_EXACT_MASK: u32 = 2;
@inline const F_WINDOW: u32 = 3;
@inline const F_WINDOW_MASK: u32 = 4;
@inline const F_SHORT: u32 = 5;
@inline const F_SHORT_MASK: u32 = 6;
@inline const F_SHORT_LENGTHS: u32 = 7;
@inline const F_BITMAP: u32 = 8;
@inline const F_BITMAP_SHIFT: u32 = 9;
@inline const F_PAIR_MAP: u32 = 10;
@inline const F_EXACT_MAX: u32 = 11;
/** The pair map: a bit per possible first two bytes (65536 bits). */
@inline const PAIR_MAP_WORDS: u64 = 2048;
/** Smallest shift a valid map may have (at most 2^20 bits, src/compiler/prefilter.ts). */
@inline const MIN_BITMAP_SHIFT: u32 = 12;
@inline const ENTRY_BYTES: usize = 16;
@inline const ENTRY_WORDS: u32 = 4;
/** Requirement sets per rule at most (src/compiler/requirements.ts MAX_SETS). */
@inline const MAX_SETS: u32 = 2;
/** needed[rule]: the set count in the low byte, how many of those sets hold a keyword atom above it, the gate + 1
 * in the upper half (0: not gated). */
@inline const NEEDED_SETS_MASK: u32 = 0xff;
@inline const NEEDED_KEYWORD_SHIFT: u32 = 8;
@inline const NEEDED_KEYWORD_MASK: u32 = 0xff;
@inline const NEEDED_GATE_SHIFT: u32 = 16;
@inline const ENTRY_KEY: usize = 0;
@inline const ENTRY_LIST: usize = 8;
@inline const ENTRY_LIST_LEN: usize = 12;
@inline const WINDOW: u32 = 4;
@inline const SHORT_LENGTH_SHIFT: u32 = 24;
@inline const MAX_SHORT: u32 = 3;
@inline const SHORT_PREFIX: u32 = 1 << 28;
@inline const SHORT_SUFFIX: u32 = 1 << 29;
@inline const PREFIX_LENGTHS_SHIFT: u32 = 8;
@inline const SUFFIX_LENGTHS_SHIFT: u32 = 16;
@inline const SHORT_CONTAINS_2_3: u32 = (1 << 2) | (1 << 3);
/** A code point takes at most four bytes and its fold at least one: folding shrinks a value at most this much. */
@inline const FOLD_MAX_SHRINK: u32 = 4;
@inline const FNV_OFFSET: u32 = 0x811c9dc5;
@inline const FNV_PRIME: u32 = 0x01000193;
@inline const GOLDEN: u32 = 0x9e3779b1;
@inline const MIX: u32 = 0x85ebca6b;
@inline const HASH_FOLD_SHIFT: u32 = 15;
/** Above this many candidates, sorting them is done with a bitmap sweep instead of insertion sort. */
@inline const INSERTION_SORT_LIMIT: u32 = 32;

let section: usize = 0;
let ruleCount: u32 = 0;
let alwaysCount: u32 = 0;
let filterCount: u32 = 0;
let neededBase: usize = 0;
let alwaysBase: usize = 0;
let filterBase: usize = 0;
let poolBase: usize = 0;
let gateCount: u32 = 0;
let gatesBase: usize = 0;
let slotTotal: u32 = 0;
/** The raw keyword filter (a slot filter with windows and short literals), or 0. */
let rawKeywordFilter: usize = 0;
/** The every-event keyword filter (window table and Teddy masks), or 0. */
let everyEventFilter: usize = 0;

// Negative gates (src/compiler/requirements.ts negativeGate): a detection whose truth rules out the rules it gates.
// The machine decides the gates this event needs (negativeGatesPending*, negativeGateDecided) by evaluating their
// detections; a rule is skipped only when its gate was decided true, so an undecided gate skips nothing.
let negativeCount: u32 = 0;
let negativeGatesBase: usize = 0;
/** Per rule: its negative gate + 1, or 0. */
let negativeOfBase: usize = 0;
/** Gates of the rules in always[]: every event needs them decided. */
let negativeOfAlways: u32 = 0;
/** Gates of the ungated rules of keyword sets only: each asks for the keyword scan unless its gate holds. */
let negativeKeywordEveryEvent: u32 = 0;
// Per event: the gates decided, those that hold, and those whose rules ask for the keyword scan.
let negativeDecided: u32 = 0;
let negativeHolds: u32 = 0;
let negativeKeywordWanted: u32 = 0;
/** Teddy's constant vectors: RAW_FOLD_BYTE in every lane, then the low-nibble mask. */
const TEDDY_CONSTANTS: usize = memory.data<u8>([
  0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
  0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
], VECTOR_BYTES);
@inline const TEDDY_FOLD: usize = 0;
@inline const TEDDY_NIBBLE: usize = 16;

/** Targets with this bit name a predicate that may be true, not a rule requirement set. */
@inline const PREDICATE_TARGET: u32 = 0x80000000;
/** Targets with this bit (and not PREDICATE_TARGET) open a gate. */
@inline const GATE_TARGET: u32 = 0x40000000;
@inline const TARGET_INDEX_MASK: u32 = 0x3fffffff;

let predicates: u32 = 0;

// scratch
/** Per rule: generation << RULE_GENERATION_SHIFT | a bit per requirement set hit in that generation's event. */
let ruleStates: usize = 0;
let predicateStamps: usize = 0;
/** True while the current event went through selectCandidates: predicate stamps are then meaningful. */
let stampsCurrent: bool = false;
let gateStamps: usize = 0;
let candidates: usize = 0;
/** Per slot: its filter's index + 1, or 0 (built at attach from the filters). */
let filterOfSlot: usize = 0;
let sortBitmap: usize = 0;
let generation: u32 = 0;
/** Rule states keep the generation above two set bits: it wraps (and every stamp is cleared) below 2^30. */
@inline const RULE_GENERATION_SHIFT: u32 = 2;
@inline const RULE_SETS_HIT: u32 = 3;
@inline const GENERATION_LIMIT: u32 = 1 << 30;
let candidateCount: u32 = 0;

@inline function word(index: u32): u32 {
  return load<u32>(section + (<usize>index << 2));
}

/** Read the PREFILTER section (an empty section means: no prefilter, evaluate every rule). */
/** The slot filter of the keyword slot (its atoms are looked for in the event's leaves, collected on demand), or 0. */
let keywordFilter: usize = 0;
let keywordSlotIndex: u32 = 0xffffffff;
/** Some rule needs keyword atoms only: the leaves are scanned for every event. */
let keywordEveryEvent: bool = false;
/** This event: a rule that needs a keyword atom may have all its other sets, so the leaves must be scanned. */
let keywordWanted: bool = false;
/** No window of the every-event filter holds a byte JSON escapes (`\\`, `"`): the scan finds its atoms in the
 * leaves unescaped as well as in their JSON text. */
let everyEventUnescaped: bool = false;

export function prefilterAttachProgram(ptr: usize, length: u32, rules: u32, slots: u32, predicateTotal: u32, keywordSlot: u32, detections: u32): bool {
  section = ptr;
  predicates = predicateTotal;
  slotTotal = slots;
  memoReset();
  keywordFilter = 0;
  rawKeywordFilter = 0;
  everyEventFilter = 0;
  keywordSlotIndex = keywordSlot;
  negativeCount = 0;
  negativeOfAlways = 0;
  negativeKeywordEveryEvent = 0;
  if (length == 0) {
    ruleCount = 0;
    gateCount = 0;
    filterCount = 0;
    alwaysCount = 0;
    return true;
  }
  ruleCount = word(H_RULES);
  if (ruleCount != rules) return false;
  alwaysCount = word(H_ALWAYS_COUNT);
  filterCount = word(H_FILTER_COUNT);
  neededBase = ptr + (<usize>word(H_NEEDED) << 2);
  alwaysBase = ptr + (<usize>word(H_ALWAYS) << 2);
  filterBase = ptr + (<usize>word(H_FILTERS) << 2);
  poolBase = ptr + (<usize>word(H_POOL) << 2);
  gateCount = word(H_GATE_COUNT);
  gatesBase = ptr + (<usize>word(H_GATES) << 2);
  if (!validSection(length >> 2, slots)) return false;
  negativeCount = word(H_NEGATIVE_COUNT);
  if (negativeCount != 0) {
    negativeGatesBase = ptr + (<usize>word(H_NEGATIVE_GATES) << 2);
    negativeOfBase = ptr + (<usize>word(H_NEGATIVE_OF_RULE) << 2);
    if (!validNegativeGates(length >> 2, detections)) return false;
    for (let a: u32 = 0; a < alwaysCount; a++) negativeOfAlways |= negativeBit(alwaysAt(a));
  }
  for (let f: u32 = 0; f < filterCount; f++) {
    let filter = filterBase + (<usize>(f * SLOT_FILTER_WORDS) << 2);
    if (load<u32>(filter, F_SLOT << 2) == keywordSlot) keywordFilter = filter;
  }
  let raw = word(H_RAW_KEYWORD);
  if (raw != 0 && keywordFilter != 0) rawKeywordFilter = ptr + (<usize>raw << 2);
  let every = word(H_EVERY_EVENT);
  if (every != 0 && keywordFilter != 0) everyEventFilter = ptr + (<usize>every << 2);
  keywordEveryEvent = false;
  for (let r: u32 = 0; r < ruleCount; r++) {
    let needed = load<u32>(neededBase + (<usize>r << 2));
    let sets = needed & NEEDED_SETS_MASK;
    // A gated rule of keyword sets only asks for the scan when its gate opens (GATE_KEYWORDS); one with a negative
    // gate, unless its negative gate holds.
    if (sets != 0 && keywordSetsOf(needed) == sets && needed >> NEEDED_GATE_SHIFT == 0) {
      let negative = negativeBit(r);
      if (negative != 0) negativeKeywordEveryEvent |= negative;
      else keywordEveryEvent = true;
    }
  }
  everyEventUnescaped = everyEventFilter != 0 && windowsUnescaped(everyEventFilter);
  return true;
}

/** The negative gate list and each rule's gate lie inside the section and name real detections and gates. */
function validNegativeGates(sectionWords: u64, detections: u32): bool {
  if (negativeCount > MAX_NEGATIVE_GATES) return false;
  if (!inside(<u64>word(H_NEGATIVE_GATES), negativeCount, sectionWords) || !inside(<u64>word(H_NEGATIVE_OF_RULE), ruleCount, sectionWords)) return false;
  for (let g: u32 = 0; g < negativeCount; g++) if (load<u32>(negativeGatesBase + (<usize>g << 2)) >= detections) return false;
  for (let r: u32 = 0; r < ruleCount; r++) if (load<u32>(negativeOfBase + (<usize>r << 2)) > negativeCount) return false;
  return true;
}

/** Rule r's negative gate as a mask bit (0: none). */
@inline function negativeBit(r: u32): u32 {
  if (negativeCount == 0) return 0;
  let g = load<u32>(negativeOfBase + (<usize>r << 2));
  return g == 0 ? 0 : <u32>1 << (g - 1);
}

/** Gates whose decision would spare this event's keyword scan (none when the scan happens anyway). */
export function negativeGatesPendingForKeywords(): u32 {
  if (negativeCount == 0 || keywordFilter == 0 || keywordEveryEvent || keywordWanted) return 0;
  return (negativeKeywordEveryEvent | negativeKeywordWanted) & ~negativeDecided;
}

/** Gates of this event's candidates and always-evaluated rules not decided yet. */
export function negativeGatesPendingForRules(): u32 {
  if (negativeCount == 0) return 0;
  let wanted = negativeOfAlways;
  for (let i: u32 = 0; i < candidateCount; i++) wanted |= negativeBit(load<u32>(candidates + (<usize>i << 2)));
  return wanted & ~negativeDecided;
}

/** The detection that decides negative gate g. */
export function negativeGateDetection(g: u32): u32 {
  return load<u32>(negativeGatesBase + (<usize>g << 2));
}

/** Negative gate g was decided for this event: `holds` rules out its rules. */
export function negativeGateDecided(g: u32, holds: bool): void {
  let bit = <u32>1 << g;
  negativeDecided |= bit;
  if (holds) negativeHolds |= bit;
}

/** Is rule r ruled out for this event by its negative gate (decided true)? */
@inline export function negativeGateHolds(r: u32): bool {
  return (negativeBit(r) & negativeHolds) != 0;
}

/**
 * Do the every-event filter's windows avoid `\\` and `"` (as the raw tables hold them, OR-ed with RAW_FOLD_BYTE: 0x7c
 * and 0x22)? A window free of them is a run of its atom that JSON escaping leaves as it is, so it occurs in the
 * unescaped leaves wherever the atom does.
 */
function windowsUnescaped(filter: usize): bool {
  let table = section + (<usize>load<u32>(filter) << 2);
  let entries = load<u32>(filter, 4) + 1;
  for (let i: u32 = 0; i < entries; i++) {
    let e = table + <usize>i * ENTRY_BYTES;
    if (load<u32>(e, ENTRY_LIST_LEN) == 0) continue;
    let key = load<u32>(e, ENTRY_KEY);
    for (let b: u32 = 0; b < WINDOW; b++) {
      let byte = (key >> (8 * b)) & 0xff;
      if (byte == RAW_ESCAPED_BACKSLASH || byte == RAW_ESCAPED_QUOTE) return false;
    }
  }
  return true;
}

/**
 * Does every window of the every-event filter hold a byte outside `bytes` (a bit per byte, as the windows hold them)?
 * Then no window occurs in a text made of those bytes only (the .evtx fill need not write such leaves in passing).
 */
export function everyEventWindowsLeave(bytes: usize): bool {
  if (everyEventFilter == 0) return false;
  let table = section + (<usize>load<u32>(everyEventFilter) << 2);
  let entries = load<u32>(everyEventFilter, 4) + 1;
  for (let i: u32 = 0; i < entries; i++) {
    let e = table + <usize>i * ENTRY_BYTES;
    if (load<u32>(e, ENTRY_LIST_LEN) == 0) continue;
    let key = load<u32>(e, ENTRY_KEY);
    let outside = false;
    for (let b: u32 = 0; b < WINDOW; b++) {
      let byte = (key >> (8 * b)) & 0xff;
      if ((<u32>load<u8>(bytes + <usize>(byte >> 3)) & (1 << (byte & 7))) == 0) outside = true;
    }
    if (!outside) return false;
  }
  return true;
}

/**
 * Can the every-event scan, when it runs, read the leaves unescaped (the .evtx fill writes them in passing:
 * evtx/flat.ts flatSetLeavesInPassing)? Only when the program has that filter and some rule makes it run.
 */
export function everyEventScanReadsUnescaped(): bool {
  return everyEventUnescaped && keywordEveryEvent;
}

/**
 * Keyword atoms: look for them in the keyword slot's values (the event's leaves, collected by keywords.ts), folded.
 * False when folding ran out of arena (the evaluation is aborted by valueText).
 */
export function scanKeywordLeaves(): bool {
  if (!stampsCurrent || keywordFilter == 0) return true;
  for (let v = slotFirst(keywordSlotIndex); v != NONE; v = valueNext(v)) {
    if (!valueHasText(v)) continue;
    if (!valueText(v, false)) return false;
    scanValue(keywordFilter, textPtr, textLen);
  }
  return true;
}

@inline function keywordSetsOf(needed: u32): u32 {
  return (needed >> NEEDED_KEYWORD_SHIFT) & NEEDED_KEYWORD_MASK;
}

// ---- the raw keyword scan (src/compiler/prefilter.ts, "Raw keyword filter") ----
/** OR-ed into each raw window: case-blind for ASCII letters (the tables key escaped atoms the same way). */
@inline const RAW_FOLD: u32 = 0x20202020;
@inline const RAW_FOLD_BYTE: u32 = 0x20;
/** `\\` and `"` as the raw tables hold them (OR-ed with RAW_FOLD_BYTE). */
@inline const RAW_ESCAPED_BACKSLASH: u32 = 0x5c | RAW_FOLD_BYTE;
@inline const RAW_ESCAPED_QUOTE: u32 = 0x22 | RAW_FOLD_BYTE;
@inline const PAIR_BYTES_MASK: u32 = 0xffff;
@inline const TRIPLE_BYTES_MASK: u32 = 0xffffff;

/**
 * Look for the keyword atoms in the record's raw bytes instead of its leaves (raw-record.ts says when that is
 * sound). False when the raw scan does not apply: the caller scans the leaves.
 */
export function scanKeywordRaw(start: usize, end: usize, hazard: u32): bool {
  if (!stampsCurrent || rawKeywordFilter == 0 || !rawRecordPlain(start, end, hazard)) return false;
  let len = <u32>(end - start);
  let short = load<u32>(rawKeywordFilter, F_SHORT << 2);
  if (short != 0) scanPairs(rawKeywordFilter, section + (<usize>short << 2), start, len, RAW_FOLD);
  scanWindows(rawKeywordFilter, start, len, RAW_FOLD);
  return true;
}

/**
 * Selection needs keyword atoms only because a rule of keyword sets and no gate is always a candidate for them:
 * its atoms alone, in the every-event filter, will do (the keywords.ts state remembers that the rest were not
 * looked for).
 */
export function everyEventScanSuffices(): bool {
  return everyEventFilter != 0 && stampsCurrent && keywordEveryEvent && !keywordWanted && !negativeKeywordScanWanted();
}

/**
 * The every-event filter over the record's raw bytes (after scanKeywordRaw's record test): sixteen positions at a
 * time through the Teddy masks, the passing ones probed in its window table. False when the record must be scanned
 * by its leaves.
 */
export function scanEveryEventRaw(start: usize, end: usize, hazard: u32): bool {
  if (!rawRecordPlain(start, end, hazard)) return false;
  if (end < start + WINDOW) return true;
  let rec = everyEventFilter;
  let table = section + (<usize>load<u32>(rec) << 2);
  let mask = load<u32>(rec, 4);
  let m = rec + (<usize>TEDDY_HEADER_WORDS << 2);
  let lo0 = v128.load(m);
  let hi0 = v128.load(m, 16);
  let lo1 = v128.load(m, 32);
  let hi1 = v128.load(m, 48);
  let lo2 = v128.load(m, 64);
  let hi2 = v128.load(m, 80);
  // Loaded, not splat: V8 rebuilds a splat constant inside the loop (three instructions per use), a loaded vector
  // it keeps in a register (about +2% on the windows rules).
  let fold = v128.load(TEDDY_CONSTANTS, TEDDY_FOLD);
  let nibble = v128.load(TEDDY_CONSTANTS, TEDDY_NIBBLE);
  let zero = i8x16.splat(0);
  // Window positions run to last. Teddy's loads reach 2 + 15 bytes past a position <= last: inside the input
  // region's padding (DESIGN.md section 4, "Chunks").
  let last = end - WINDOW;
  for (let p = start; p <= last; p += VECTOR_BYTES) {
    let c = v128.and(
      teddyByte(v128.or(v128.load(p), fold), lo0, hi0, nibble),
      v128.and(teddyByte(v128.or(v128.load(p + 1), fold), lo1, hi1, nibble), teddyByte(v128.or(v128.load(p + 2), fold), lo2, hi2, nibble)),
    );
    if (!v128.any_true(c)) continue;
    let bits = ~(<u32>i8x16.bitmask(i8x16.eq(c, zero))) & bytesBefore(p, last + 1);
    while (bits != 0) {
      let at = p + <usize>ctz(bits);
      bits &= bits - 1;
      probe(table, mask, load<u32>(at) | RAW_FOLD);
    }
  }
  return true;
}

/** Is [offset, offset + words) inside the section? */
@inline function inside(offset: u64, words: u64, sectionWords: u64): bool {
  return offset + words <= sectionWords;
}

/** A hash table at `offset` with `mask + 1` entries whose target lists lie in the pool and name real sets. */
function validTable(offset: u32, mask: u32, sectionWords: u64, poolWords: u64): bool {
  if (offset == 0) return true;
  if ((mask & (mask + 1)) != 0 || !inside(offset, (<u64>mask + 1) * ENTRY_WORDS, sectionWords)) return false;
  let limit = <u64>ruleCount * 2;
  for (let i: u32 = 0; i <= mask; i++) {
    let e = section + (<usize>(offset + i * ENTRY_WORDS) << 2);
    let list = <u64>load<u32>(e, ENTRY_LIST);
    let len = <u64>load<u32>(e, ENTRY_LIST_LEN);
    if (len == 1) {
      if (!validTarget(load<u32>(e, ENTRY_LIST), limit)) return false;
      continue;
    }
    if (list + len > poolWords) return false;
    for (let t: u64 = 0; t < len; t++) if (!validTarget(load<u32>(poolBase + (<usize>(list + t) << 2)), limit)) return false;
  }
  return true;
}

@inline function validTarget(target: u32, limit: u64): bool {
  if ((target & PREDICATE_TARGET) != 0) return (target & ~PREDICATE_TARGET) < predicates;
  if ((target & GATE_TARGET) != 0) return (target & TARGET_INDEX_MASK) < gateCount;
  return <u64>target < limit;
}

/**
 * Load-time check of the whole section: every offset inside it, every index in range, so that a corrupted or
 * crafted program can never make the candidate marking write outside its scratch.
 */
function validSection(sectionWords: u64, slots: u32): bool {
  let poolAt = <u64>word(H_POOL);
  let poolWords = <u64>word(H_POOL + 1);
  if (!inside(poolAt, poolWords, sectionWords)) return false;
  if (!inside(<u64>word(H_NEEDED), ruleCount, sectionWords) || !inside(<u64>word(H_ALWAYS), alwaysCount, sectionWords)) return false;
  if (!inside(<u64>word(H_FILTERS), <u64>filterCount * SLOT_FILTER_WORDS, sectionWords)) return false;
  if (!inside(<u64>word(H_GATES), <u64>gateCount * GATE_WORDS, sectionWords)) return false;
  if (ruleCount >= GATE_TARGET >> 1) return false;
  for (let r: u32 = 0; r < ruleCount; r++) {
    let needed = load<u32>(neededBase + (<usize>r << 2));
    let sets = needed & NEEDED_SETS_MASK;
    if (sets > MAX_SETS || keywordSetsOf(needed) > sets || needed >> NEEDED_GATE_SHIFT > gateCount) return false;
  }
  // A gate's rules are candidates once its gate opens: each at most once (no sets of its own, this gate's), and
  // with the rules that have sets no more candidates than rules (the candidate list's room).
  let pushes: u64 = 0;
  for (let r: u32 = 0; r < ruleCount; r++) if ((load<u32>(neededBase + (<usize>r << 2)) & NEEDED_SETS_MASK) != 0) pushes++;
  for (let g: u32 = 0; g < gateCount; g++) {
    let gate = gatesBase + <usize>g * GATE_WORDS * 4;
    let list = <u64>load<u32>(gate, G_LIST);
    let len = <u64>load<u32>(gate, G_LIST_LEN);
    pushes += len;
    if (list + len > poolWords || pushes > <u64>ruleCount) return false;
    for (let i: u64 = 0; i < len; i++) {
      let rule = load<u32>(poolBase + (<usize>(list + i) << 2));
      if (rule >= ruleCount || load<u32>(neededBase + (<usize>rule << 2)) != (g + 1) << NEEDED_GATE_SHIFT) return false;
    }
  }
  for (let a: u32 = 0; a < alwaysCount; a++) if (load<u32>(alwaysBase + (<usize>a << 2)) >= ruleCount) return false;
  let every = <u64>word(H_EVERY_EVENT);
  if (every != 0) {
    if (!inside(every, TEDDY_HEADER_WORDS + TEDDY_MASK_WORDS, sectionWords)) return false;
    let rec = section + (<usize>every << 2);
    if (!validTable(load<u32>(rec), load<u32>(rec, 4), sectionWords, poolWords)) return false;
  }
  let raw = <u64>word(H_RAW_KEYWORD);
  if (raw != 0 && !(inside(raw, SLOT_FILTER_WORDS, sectionWords) && validFilter(section + (<usize>raw << 2), sectionWords, poolWords))) return false;
  for (let f: u32 = 0; f < filterCount; f++) {
    let filter = filterBase + (<usize>(f * SLOT_FILTER_WORDS) << 2);
    if (load<u32>(filter, F_SLOT << 2) >= slots || !validFilter(filter, sectionWords, poolWords)) return false;
  }
  return true;
}

/** The tables and maps of one slot filter lie inside the section and name real targets. */
function validFilter(filter: usize, sectionWords: u64, poolWords: u64): bool {
  if (!validTable(load<u32>(filter, F_EXACT << 2), load<u32>(filter, F_EXACT_MASK << 2), sectionWords, poolWords)) return false;
  if (!validTable(load<u32>(filter, F_WINDOW << 2), load<u32>(filter, F_WINDOW_MASK << 2), sectionWords, poolWords)) return false;
  if (!validTable(load<u32>(filter, F_SHORT << 2), load<u32>(filter, F_SHORT_MASK << 2), sectionWords, poolWords)) return false;
  let bitmap = load<u32>(filter, F_BITMAP << 2);
  let shift = load<u32>(filter, F_BITMAP_SHIFT << 2);
  if (bitmap != 0 && (shift < MIN_BITMAP_SHIFT || shift > 31 || !inside(bitmap, (<u64>1 << (32 - shift)) >> 5, sectionWords))) return false;
  let pairMap = <u64>load<u32>(filter, F_PAIR_MAP << 2);
  return pairMap == 0 || inside(pairMap, PAIR_MAP_WORDS, sectionWords);
}

export function prefilterPresent(): bool {
  return ruleCount != 0;
}

/** Scratch: a state word per rule, a stamp per predicate and per gate (all generation-stamped: stampBytes), the
 * candidate list, a sort bitmap. Called after prefilterAttachProgram. */
export function prefilterScratchBytes(rules: u32, predicateTotal: u32): usize {
  let r = <usize>rules;
  return stampBytes(rules, predicateTotal) + r * 4 + ((r + 31) >> 5) * 4 + <usize>slotTotal * 4 + memoScratchBytes();
}

@inline function stampBytes(rules: u32, predicateTotal: u32): usize {
  return (<usize>rules + <usize>predicateTotal + <usize>gateCount) * 4;
}

export function prefilterAttach(scratch: usize, rules: u32, predicateTotal: u32): void {
  let r = <usize>rules;
  ruleStates = scratch;
  predicateStamps = ruleStates + r * 4;
  gateStamps = predicateStamps + <usize>predicateTotal * 4;
  candidates = gateStamps + <usize>gateCount * 4;
  sortBitmap = candidates + r * 4;
  filterOfSlot = sortBitmap + ((r + 31) >> 5) * 4;
  memoAttach(filterOfSlot + <usize>slotTotal * 4);
  memory.fill(filterOfSlot, 0, <usize>slotTotal * 4);
  for (let f: u32 = 0; f < filterCount; f++) {
    let slot = load<u32>(filterBase + (<usize>(f * SLOT_FILTER_WORDS) << 2), F_SLOT << 2);
    store<u32>(filterOfSlot + (<usize>slot << 2), f + 1);
  }
}

/** May predicate `p` be true in this event? Only meaningful for PF_PREFILTERED predicates. */
@inline export function predicateMayHold(p: u32): bool {
  return !stampsCurrent || load<u32>(predicateStamps + (<usize>p << 2)) == generation;
}

/** The current event does not go through candidate selection: no predicate is ruled out. */
export function prefilterSkipEvent(): void {
  stampsCurrent = false;
}

/** Gate g holds in this event: its rules without sets become candidates (once: the stamp). */
function openGate(g: u32): void {
  let stamp = gateStamps + (<usize>g << 2);
  if (load<u32>(stamp) == generation) return;
  store<u32>(stamp, generation);
  let gate = gatesBase + <usize>g * GATE_WORDS * 4;
  if ((load<u32>(gate, G_FLAGS) & GATE_KEYWORDS) != 0) keywordWanted = true;
  let list = poolBase + (<usize>load<u32>(gate, G_LIST) << 2);
  let len = load<u32>(gate, G_LIST_LEN);
  for (let i: u32 = 0; i < len; i++) {
    store<u32>(candidates + (<usize>candidateCount << 2), load<u32>(list + (<usize>i << 2)));
    candidateCount++;
  }
}

@inline function mark(target: u32): void {
  if (target >= GATE_TARGET) {
    if ((target & PREDICATE_TARGET) != 0) store<u32>(predicateStamps + (<usize>(target & ~PREDICATE_TARGET) << 2), generation);
    else openGate(target & TARGET_INDEX_MASK);
    return;
  }
  // One word per rule: whether it was touched this event, and which of its sets have hit.
  let rule = target >> 1;
  let stateSlot = ruleStates + (<usize>rule << 2);
  let state = load<u32>(stateSlot);
  if (state >> RULE_GENERATION_SHIFT != generation) state = generation << RULE_GENERATION_SHIFT;
  let bit: u32 = 1 << (target & 1);
  if ((state & bit) != 0) return;
  state |= bit;
  store<u32>(stateSlot, state);
  let hits = <u32>popcnt(state & RULE_SETS_HIT);
  let needed = load<u32>(neededBase + (<usize>rule << 2));
  let sets = needed & NEEDED_SETS_MASK;
  if (hits == sets) {
    // A gated rule's gate may open later in the event: closeSelection drops it if it never does.
    store<u32>(candidates + (<usize>candidateCount << 2), rule);
    candidateCount++;
  } else if (hits + keywordSetsOf(needed) >= sets) {
    // The missing sets may be keyword sets (a set already hit may be one too: this only ever over-asks). A rule
    // with a negative gate asks only if its gate does not hold (keywordScanWanted).
    let negative = negativeBit(rule);
    if (negative != 0) negativeKeywordWanted |= negative;
    else keywordWanted = true;
  }
}

/** May this window be a literal's? Its two bits in its word of the map (src/compiler/prefilter.ts windowMask). */
@inline function windowMayHit(bitmap: usize, shift: u32, key: u32): bool {
  let h = key * GOLDEN;
  let h2 = h * MIX;
  let bits = (<u32>1 << (h2 >> 27)) | (<u32>1 << ((h2 >> 22) & 31));
  return (load<u32>(bitmap + (<usize>(h >> (shift + 5)) << 2)) & bits) == bits;
}

@inline function tableIndex(key: u32, mask: u32): u32 {
  let h = key * GOLDEN;
  return (h ^ (h >> HASH_FOLD_SHIFT)) & mask;
}

/** Mark every target of a table entry that was hit. */
@inline function markEntry(e: usize): void {
  let len = load<u32>(e, ENTRY_LIST_LEN);
  // A single target is kept in the entry itself (no pool access).
  if (len == 1) {
    mark(load<u32>(e, ENTRY_LIST));
    return;
  }
  let list = poolBase + (<usize>load<u32>(e, ENTRY_LIST) << 2);
  for (let t: u32 = 0; t < len; t++) mark(load<u32>(list + (<usize>t << 2)));
}

function probe(table: usize, mask: u32, key: u32): void {
  let i = tableIndex(key, mask);
  while (true) {
    let e = table + <usize>i * ENTRY_BYTES;
    let len = load<u32>(e, ENTRY_LIST_LEN);
    if (len == 0) return;
    if (load<u32>(e, ENTRY_KEY) == key) {
      if (recording) memoRecord(<u32>((e - section) >> 2));
      markEntry(e);
      return;
    }
    i = (i + 1) & mask;
  }
}

/** Key of the n (1-3) bytes at ptr: n << SHORT_LENGTH_SHIFT | the bytes, little-endian. */
@inline function shortBytes(ptr: usize, n: u32): u32 {
  let key = n << SHORT_LENGTH_SHIFT;
  for (let j: u32 = 0; j < n; j++) key |= <u32>load<u8>(ptr + <usize>j) << (8 * j);
  return key;
}

@inline function fnv1a(ptr: usize, len: u32): u32 {
  let h = FNV_OFFSET;
  for (let i: u32 = 0; i < len; i++) h = (h ^ <u32>load<u8>(ptr + <usize>i)) * FNV_PRIME;
  return h;
}

function scanValue(filter: usize, ptr: usize, len: u32): void {
  let exact = load<u32>(filter, F_EXACT << 2);
  if (exact != 0 && len <= load<u32>(filter, F_EXACT_MAX << 2)) probe(section + (<usize>exact << 2), load<u32>(filter, F_EXACT_MASK << 2), fnv1a(ptr, len));
  scanWindows(filter, ptr, len, 0);
  let short = load<u32>(filter, F_SHORT << 2);
  if (short != 0) {
    let table = section + (<usize>short << 2);
    let mask = load<u32>(filter, F_SHORT_MASK << 2);
    let lengths = load<u32>(filter, F_SHORT_LENGTHS << 2);
    for (let n: u32 = 1; n <= MAX_SHORT; n++) {
      if (len < n) break;
      if ((lengths & (1 << (PREFIX_LENGTHS_SHIFT + n))) != 0) probe(table, mask, SHORT_PREFIX | shortBytes(ptr, n));
      if ((lengths & (1 << (SUFFIX_LENGTHS_SHIFT + n))) != 0) probe(table, mask, SHORT_SUFFIX | shortBytes(ptr + <usize>(len - n), n));
    }
    if ((lengths & (1 << 1)) != 0) for (let i: u32 = 0; i < len; i++) probe(table, mask, shortBytes(ptr + <usize>i, 1));
    scanPairs(filter, table, ptr, len, 0);
  }
}

/**
 * Probe the filter's window table with every 4-byte window of [ptr, ptr + len), each OR-ed with `fold` (0 for
 * folded values; RAW_FOLD for raw bytes, whose tables are keyed the same way).
 */
@inline function scanWindows(filter: usize, ptr: usize, len: u32, fold: u32): void {
  let window = load<u32>(filter, F_WINDOW << 2);
  if (window == 0 || len < WINDOW) return;
  let table = section + (<usize>window << 2);
  let mask = load<u32>(filter, F_WINDOW_MASK << 2);
  let bitmapWord = load<u32>(filter, F_BITMAP << 2);
  let last = ptr + <usize>(len - WINDOW);
  if (bitmapWord == 0) {
    for (let p = ptr; p <= last; p++) probe(table, mask, load<u32>(p) | fold);
    return;
  }
  let bitmap = section + (<usize>bitmapWord << 2);
  let shift = load<u32>(filter, F_BITMAP_SHIFT << 2);
  for (let p = ptr; p <= last; p++) {
    // One word of the map rejects most positions before the table is touched.
    let key = load<u32>(p) | fold;
    if (!windowMayHit(bitmap, shift, key)) continue;
    probe(table, mask, key);
  }
}

/**
 * The 2-3 byte contains literals of the filter's SHORT `table`: one bit test of the pair map per position, and only
 * where some such literal starts with these two bytes is the table read. `fold` as for scanWindows.
 */
@inline function scanPairs(filter: usize, table: usize, ptr: usize, len: u32, fold: u32): void {
  let lengths = load<u32>(filter, F_SHORT_LENGTHS << 2);
  let pairWord = load<u32>(filter, F_PAIR_MAP << 2);
  if (pairWord == 0 || (lengths & SHORT_CONTAINS_2_3) == 0 || len < 2) return;
  let mask = load<u32>(filter, F_SHORT_MASK << 2);
  let pairs = section + (<usize>pairWord << 2);
  let two = (lengths & (1 << 2)) != 0;
  let three = (lengths & (1 << 3)) != 0;
  let foldPair = fold & PAIR_BYTES_MASK;
  let foldTriple = fold & TRIPLE_BYTES_MASK;
  for (let i: u32 = 0; i + 2 <= len; i++) {
    let pair = <u32>load<u16>(ptr + <usize>i) | foldPair;
    if ((load<u32>(pairs + (<usize>(pair >> 5) << 2)) & (1 << (pair & 31))) == 0) continue;
    if (two) probe(table, mask, shortBytes(ptr + <usize>i, 2) | foldPair);
    if (three && i + 3 <= len) probe(table, mask, shortBytes(ptr + <usize>i, 3) | foldTriple);
  }
}

/**
 * Once selection (and any keyword scan) is over: drop the gated candidates whose gate stayed closed and those whose
 * negative gate holds, and sort the rest.
 */
export function closeSelection(): void {
  let kept: u32 = 0;
  for (let i: u32 = 0; i < candidateCount; i++) {
    let rule = load<u32>(candidates + (<usize>i << 2));
    let gate = load<u32>(neededBase + (<usize>rule << 2)) >> NEEDED_GATE_SHIFT;
    if (gate != 0 && load<u32>(gateStamps + (<usize>(gate - 1) << 2)) != generation) continue;
    if (negativeGateHolds(rule)) continue;
    store<u32>(candidates + (<usize>kept << 2), rule);
    kept++;
  }
  candidateCount = kept;
  sortCandidates();
}

function sortCandidates(): void {
  let n = candidateCount;
  if (n <= INSERTION_SORT_LIMIT) {
    for (let i: u32 = 1; i < n; i++) {
      let v = load<u32>(candidates + (<usize>i << 2));
      let j = i;
      while (j > 0 && load<u32>(candidates + (<usize>(j - 1) << 2)) > v) {
        store<u32>(candidates + (<usize>j << 2), load<u32>(candidates + (<usize>(j - 1) << 2)));
        j--;
      }
      store<u32>(candidates + (<usize>j << 2), v);
    }
    return;
  }
  // Many candidates: set bits, then read them back in order (clearing as we go).
  for (let i: u32 = 0; i < n; i++) {
    let r = load<u32>(candidates + (<usize>i << 2));
    let w = sortBitmap + (<usize>(r >> 5) << 2);
    store<u32>(w, load<u32>(w) | (1 << (r & 31)));
  }
  let k: u32 = 0;
  let words = (ruleCount + 31) >> 5;
  for (let wi: u32 = 0; wi < words && k < n; wi++) {
    let w = sortBitmap + (<usize>wi << 2);
    let bits = load<u32>(w);
    if (bits == 0) continue;
    store<u32>(w, 0);
    while (bits != 0) {
      let b = ctz(bits);
      store<u32>(candidates + (<usize>k << 2), (wi << 5) | b);
      k++;
      bits &= bits - 1;
    }
  }
}

/** Does this event's candidate selection need the leaves scanned for keyword atoms (keywords.ts)? */
export function keywordScanWanted(): bool {
  return keywordFilter != 0 && (keywordEveryEvent || keywordWanted || negativeKeywordScanWanted());
}

/** Rules with a negative gate that does not hold (or is undecided) ask for the keyword scan. */
@inline function negativeKeywordScanWanted(): bool {
  return ((negativeKeywordEveryEvent | negativeKeywordWanted) & ~negativeHolds) != 0;
}

/**
 * Select this event's candidate rules from its field values; keyword atoms come after, from the leaves, when
 * keywordScanWanted(). Returns false when folding ran out of arena (the evaluation is aborted by valueText).
 */
export function selectCandidates(): bool {
  generation++;
  if (generation >= GENERATION_LIMIT) {
    memory.fill(ruleStates, 0, stampBytes(ruleCount, predicates));
    generation = 1;
  }
  candidateCount = 0;
  keywordWanted = false;
  negativeDecided = 0;
  negativeHolds = 0;
  negativeKeywordWanted = 0;
  stampsCurrent = true;
  // The event's slots (a dozen), not every slot filter (hundreds). The keyword slot's leaves are collected only if
  // wanted (scanKeywordLeaves).
  let present = presentSlotCount();
  for (let i: u32 = 0; i < present; i++) {
    let slot = presentSlotAt(i);
    let f = load<u32>(filterOfSlot + (<usize>slot << 2));
    if (f == 0 || slot == keywordSlotIndex) continue;
    if (!scanSlot(filterBase + (<usize>((f - 1) * SLOT_FILTER_WORDS) << 2), slot)) return false;
  }
  return true;
}

/**
 * Scan every value of a slot with its filter; false when folding ran out of arena. A value seen before in this slot
 * replays what its scan hit (value-memo.ts) instead of being folded and scanned again.
 */
@inline function scanSlot(filter: usize, slot: u32): bool {
  if (exactOnlyFilter(filter)) return scanExactSlot(filter, slot);
  for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) {
    if (!valueHasText(v)) continue;
    let raw = valueRawPtr(v);
    let rawLen = valueRawLen(v);
    if (rawLen > MEMO_MAX_VALUE_BYTES) {
      if (!valueText(v, false)) return false;
      scanValue(filter, textPtr, textLen);
      continue;
    }
    let hash = memoHash(raw, rawLen);
    let known = memoLookup(slot, raw, rawLen, hash);
    if (known != 0) {
      let hits = memoHitCount(known);
      for (let i: u32 = 0; i < hits; i++) markEntry(section + (<usize>memoHitAt(known, i) << 2));
      continue;
    }
    if (!valueText(v, false)) return false;
    memoStartRecording();
    scanValue(filter, textPtr, textLen);
    memoStopRecording(slot, raw, rawLen, hash);
  }
  return true;
}

/** Does the filter hold exact atoms only (no windows, no short literals)? */
@inline function exactOnlyFilter(filter: usize): bool {
  return load<u32>(filter, F_WINDOW << 2) == 0 && load<u32>(filter, F_SHORT << 2) == 0;
}

/**
 * A slot whose filter holds exact atoms only: event IDs, channels, ports, addresses, process IDs. Such a value costs
 * one hash and one probe, less than a memo lookup, and many of them never repeat (counters, ports) and would only
 * crowd the memo: so no memo, and an ASCII value is folded byte by byte as it is hashed. Other values are folded
 * first.
 */
function scanExactSlot(filter: usize, slot: u32): bool {
  let exact = load<u32>(filter, F_EXACT << 2);
  if (exact == 0) return true;
  let table = section + (<usize>exact << 2);
  let mask = load<u32>(filter, F_EXACT_MASK << 2);
  let max = load<u32>(filter, F_EXACT_MAX << 2);
  for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) {
    if (!valueHasText(v)) continue;
    let raw = valueRawPtr(v);
    let len = valueRawLen(v);
    // Folded, the value has at most max bytes only if the raw value has at most FOLD_MAX_SHRINK times that.
    if (len > max * FOLD_MAX_SHRINK) continue;
    if (len <= max) {
      let h = FNV_OFFSET;
      let i: u32 = 0;
      for (; i < len; i++) {
        let c = <u32>load<u8>(raw + <usize>i);
        if (c >= ASCII_LIMIT) break;
        h = (h ^ foldAscii(c)) * FNV_PRIME;
      }
      if (i == len) {
        probe(table, mask, h);
        continue;
      }
    }
    if (!valueText(v, false)) return false;
    if (textLen <= max) probe(table, mask, fnv1a(textPtr, textLen));
  }
  return true;
}

export function candidateTotal(): u32 {
  return candidateCount;
}

@inline export function candidateAt(i: u32): u32 {
  return load<u32>(candidates + (<usize>i << 2));
}

export function alwaysTotal(): u32 {
  return alwaysCount;
}

@inline export function alwaysAt(i: u32): u32 {
  return load<u32>(alwaysBase + (<usize>i << 2));
}
