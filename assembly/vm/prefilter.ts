// Candidate selection (DESIGN.md section 8; the tables are built by src/compiler/prefilter.ts). For each slot with
// atoms, every value's folded bytes are looked up whole in the EXACT table and scanned for 4-byte WINDOWs (and
// short literals); each hit names rule requirement sets it satisfies. A rule becomes a candidate when all of its
// sets (one or two) have a hit in this event. Rules without a usable requirement are always evaluated.
// Everything is generation-stamped in scratch: nothing is cleared per event.
import { NONE, slotFirst, valueHasText, valueNext } from '../store/values';
import { textLen, textPtr, valueText } from './text';

// ---- section layout (words; mirror of src/compiler/prefilter.ts) ----
@inline const H_RULES: u32 = 0;
@inline const H_ALWAYS_COUNT: u32 = 1;
@inline const H_FILTER_COUNT: u32 = 2;
@inline const H_NEEDED: u32 = 3;
@inline const H_ALWAYS: u32 = 4;
@inline const H_FILTERS: u32 = 5;
@inline const H_POOL: u32 = 6;
@inline const SLOT_FILTER_WORDS: u32 = 11;
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
/** The pair map: a bit per possible first two bytes (65536 bits). */
@inline const PAIR_MAP_WORDS: u64 = 2048;
/** Smallest shift a valid map may have (at most 2^20 bits, src/compiler/prefilter.ts). */
@inline const MIN_BITMAP_SHIFT: u32 = 12;
@inline const ENTRY_BYTES: usize = 16;
@inline const ENTRY_WORDS: u32 = 4;
/** Requirement sets per rule at most (src/compiler/requirements.ts MAX_SETS). */
@inline const MAX_SETS: u32 = 2;
/** needed[rule]: the set count in the low byte, how many of those sets hold a keyword atom above it. */
@inline const NEEDED_SETS_MASK: u32 = 0xff;
@inline const NEEDED_KEYWORD_SHIFT: u32 = 8;
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
@inline const FNV_OFFSET: u32 = 0x811c9dc5;
@inline const FNV_PRIME: u32 = 0x01000193;
@inline const GOLDEN: u32 = 0x9e3779b1;
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

/** Targets with this bit name a predicate that may be true, not a rule requirement set. */
@inline const PREDICATE_TARGET: u32 = 0x80000000;

let predicates: u32 = 0;

// scratch
let setStamps: usize = 0;
let predicateStamps: usize = 0;
/** True while the current event went through selectCandidates: predicate stamps are then meaningful. */
let stampsCurrent: bool = false;
let ruleStamps: usize = 0;
let ruleHits: usize = 0;
let candidates: usize = 0;
let sortBitmap: usize = 0;
let generation: u32 = 0;
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

export function prefilterAttachProgram(ptr: usize, length: u32, rules: u32, slots: u32, predicateTotal: u32, keywordSlot: u32): bool {
  section = ptr;
  predicates = predicateTotal;
  keywordFilter = 0;
  keywordSlotIndex = keywordSlot;
  if (length == 0) {
    ruleCount = 0;
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
  if (!validSection(length >> 2, slots)) return false;
  for (let f: u32 = 0; f < filterCount; f++) {
    let filter = filterBase + (<usize>(f * SLOT_FILTER_WORDS) << 2);
    if (load<u32>(filter, F_SLOT << 2) == keywordSlot) keywordFilter = filter;
  }
  keywordEveryEvent = false;
  for (let r: u32 = 0; r < ruleCount; r++) {
    let needed = load<u32>(neededBase + (<usize>r << 2));
    let sets = needed & NEEDED_SETS_MASK;
    if (sets != 0 && needed >> NEEDED_KEYWORD_SHIFT == sets) keywordEveryEvent = true;
  }
  return true;
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
    if (list + len > poolWords) return false;
    for (let t: u64 = 0; t < len; t++) {
      let target = load<u32>(poolBase + (<usize>(list + t) << 2));
      if ((target & PREDICATE_TARGET) != 0 ? (target & ~PREDICATE_TARGET) >= predicates : <u64>target >= limit) return false;
    }
  }
  return true;
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
  for (let r: u32 = 0; r < ruleCount; r++) {
    let needed = load<u32>(neededBase + (<usize>r << 2));
    let sets = needed & NEEDED_SETS_MASK;
    if (sets > MAX_SETS || needed >> NEEDED_KEYWORD_SHIFT > sets) return false;
  }
  for (let a: u32 = 0; a < alwaysCount; a++) if (load<u32>(alwaysBase + (<usize>a << 2)) >= ruleCount) return false;
  for (let f: u32 = 0; f < filterCount; f++) {
    let filter = filterBase + (<usize>(f * SLOT_FILTER_WORDS) << 2);
    if (load<u32>(filter, F_SLOT << 2) >= slots) return false;
    if (!validTable(load<u32>(filter, F_EXACT << 2), load<u32>(filter, F_EXACT_MASK << 2), sectionWords, poolWords)) return false;
    if (!validTable(load<u32>(filter, F_WINDOW << 2), load<u32>(filter, F_WINDOW_MASK << 2), sectionWords, poolWords)) return false;
    if (!validTable(load<u32>(filter, F_SHORT << 2), load<u32>(filter, F_SHORT_MASK << 2), sectionWords, poolWords)) return false;
    let bitmap = load<u32>(filter, F_BITMAP << 2);
    let shift = load<u32>(filter, F_BITMAP_SHIFT << 2);
    if (bitmap != 0 && (shift < MIN_BITMAP_SHIFT || shift > 31 || !inside(bitmap, (<u64>1 << (32 - shift)) >> 5, sectionWords))) return false;
    let pairMap = <u64>load<u32>(filter, F_PAIR_MAP << 2);
    if (pairMap != 0 && !inside(pairMap, PAIR_MAP_WORDS, sectionWords)) return false;
  }
  return true;
}

export function prefilterPresent(): bool {
  return ruleCount != 0;
}

/** Scratch: a stamp per requirement set, a stamp and hit counter per rule, a stamp per predicate, the candidate
 * list, a sort bitmap. */
export function prefilterScratchBytes(rules: u32, predicateTotal: u32): usize {
  let r = <usize>rules;
  return (r * 2 + r + r + <usize>predicateTotal + r) * 4 + ((r + 31) >> 5) * 4;
}

export function prefilterAttach(scratch: usize, rules: u32, predicateTotal: u32): void {
  let r = <usize>rules;
  setStamps = scratch;
  ruleStamps = setStamps + r * 8;
  ruleHits = ruleStamps + r * 4;
  predicateStamps = ruleHits + r * 4;
  candidates = predicateStamps + <usize>predicateTotal * 4;
  sortBitmap = candidates + r * 4;
}

/** May predicate `p` be true in this event? Only meaningful for PF_PREFILTERED predicates. */
@inline export function predicateMayHold(p: u32): bool {
  return !stampsCurrent || load<u32>(predicateStamps + (<usize>p << 2)) == generation;
}

/** The current event does not go through candidate selection: no predicate is ruled out. */
export function prefilterSkipEvent(): void {
  stampsCurrent = false;
}

@inline function mark(target: u32): void {
  if ((target & PREDICATE_TARGET) != 0) {
    store<u32>(predicateStamps + (<usize>(target & ~PREDICATE_TARGET) << 2), generation);
    return;
  }
  let setSlot = setStamps + (<usize>target << 2);
  if (load<u32>(setSlot) == generation) return;
  store<u32>(setSlot, generation);
  let rule = target >> 1;
  let stampSlot = ruleStamps + (<usize>rule << 2);
  let hitSlot = ruleHits + (<usize>rule << 2);
  let hits: u32 = 1;
  if (load<u32>(stampSlot) == generation) hits = load<u32>(hitSlot) + 1;
  else store<u32>(stampSlot, generation);
  store<u32>(hitSlot, hits);
  let needed = load<u32>(neededBase + (<usize>rule << 2));
  let sets = needed & NEEDED_SETS_MASK;
  if (hits == sets) {
    store<u32>(candidates + (<usize>candidateCount << 2), rule);
    candidateCount++;
  } else if (hits + (needed >> NEEDED_KEYWORD_SHIFT) >= sets) {
    // The missing sets may be keyword sets (a set already hit may be one too: this only ever over-asks).
    keywordWanted = true;
  }
}

@inline function tableIndex(key: u32, mask: u32): u32 {
  let h = key * GOLDEN;
  return (h ^ (h >> HASH_FOLD_SHIFT)) & mask;
}

function probe(table: usize, mask: u32, key: u32): void {
  let i = tableIndex(key, mask);
  while (true) {
    let e = table + <usize>i * ENTRY_BYTES;
    let len = load<u32>(e, ENTRY_LIST_LEN);
    if (len == 0) return;
    if (load<u32>(e, ENTRY_KEY) == key) {
      let list = poolBase + (<usize>load<u32>(e, ENTRY_LIST) << 2);
      for (let t: u32 = 0; t < len; t++) mark(load<u32>(list + (<usize>t << 2)));
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
  if (exact != 0) probe(section + (<usize>exact << 2), load<u32>(filter, F_EXACT_MASK << 2), fnv1a(ptr, len));
  let window = load<u32>(filter, F_WINDOW << 2);
  if (window != 0 && len >= WINDOW) {
    let table = section + (<usize>window << 2);
    let mask = load<u32>(filter, F_WINDOW_MASK << 2);
    let bitmapWord = load<u32>(filter, F_BITMAP << 2);
    let last = ptr + <usize>(len - WINDOW);
    if (bitmapWord == 0) {
      for (let p = ptr; p <= last; p++) probe(table, mask, load<u32>(p));
    } else {
      let bitmap = section + (<usize>bitmapWord << 2);
      let shift = load<u32>(filter, F_BITMAP_SHIFT << 2);
      for (let p = ptr; p <= last; p++) {
        // One bit test on a hash of the window rejects most positions before the table is touched.
        let key = load<u32>(p);
        let bit = (key * GOLDEN) >> shift;
        if ((load<u32>(bitmap + (<usize>(bit >> 5) << 2)) & (1 << (bit & 31))) == 0) continue;
        probe(table, mask, key);
      }
    }
  }
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
    let pairWord = load<u32>(filter, F_PAIR_MAP << 2);
    if (pairWord != 0 && (lengths & SHORT_CONTAINS_2_3) != 0 && len >= 2) {
      let pairs = section + (<usize>pairWord << 2);
      let two = (lengths & (1 << 2)) != 0;
      let three = (lengths & (1 << 3)) != 0;
      for (let i: u32 = 0; i + 2 <= len; i++) {
        // One bit test per position: only where some 2-3 byte literal starts with these two bytes is the table read.
        let pair = <u32>load<u16>(ptr + <usize>i);
        if ((load<u32>(pairs + (<usize>(pair >> 5) << 2)) & (1 << (pair & 31))) == 0) continue;
        if (two) probe(table, mask, shortBytes(ptr + <usize>i, 2));
        if (three && i + 3 <= len) probe(table, mask, shortBytes(ptr + <usize>i, 3));
      }
    }
  }
}

/** Sort the candidates once selection (and any keyword scan) is over. */
export function sortCandidates(): void {
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
  return keywordFilter != 0 && (keywordEveryEvent || keywordWanted);
}

/**
 * Select this event's candidate rules from its field values; keyword atoms come after, from the leaves, when
 * keywordScanWanted(). Returns false when folding ran out of arena (the evaluation is aborted by valueText).
 */
export function selectCandidates(): bool {
  generation++;
  if (generation == 0) {
    memory.fill(setStamps, 0, <usize>ruleCount * 16 + <usize>predicates * 4);
    generation = 1;
  }
  candidateCount = 0;
  keywordWanted = false;
  stampsCurrent = true;
  for (let f: u32 = 0; f < filterCount; f++) {
    let filter = filterBase + (<usize>(f * SLOT_FILTER_WORDS) << 2);
    let slot = load<u32>(filter, F_SLOT << 2);
    if (slot == keywordSlotIndex) continue; // its leaves are collected only if wanted (scanKeywordLeaves)
    for (let v = slotFirst(slot); v != NONE; v = valueNext(v)) {
      if (!valueHasText(v)) continue;
      if (!valueText(v, false)) return false;
      scanValue(filter, textPtr, textLen);
    }
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
