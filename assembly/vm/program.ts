// The loaded program: section pointers read once from the header, and the load-time validation that lets the
// interpreter trust the code (every jump goes forward and stays inside its block, every index is in range, so a
// foreign or corrupted program can neither loop nor read outside its sections).
import {
  NONE as F_NONE, H_DETECTION_COUNT, H_FLAGS, H_KEYWORD_SLOT, H_MAGIC, H_PREDICATE_COUNT, H_RULE_COUNT, H_SECTIONS,
  H_SLOT_COUNT, H_VERSION, HEADER_WORDS, I_CONST, I_DET, I_JUMP_IF_FALSE, I_JUMP_IF_TRUE, I_NOT, I_PRED, I_RETURN,
  OPCODE_MASK, OPERAND_SHIFT, P_WORD_OPERAND, P_WORD_OPERAND_LEN, P_WORD_SLOT, PREDICATE_WORDS, PROGRAM_MAGIC,
  PROGRAM_VERSION, R_WORD_CODE, R_WORD_DETECTION_COUNT, R_WORD_FIRST_DETECTION, RULE_WORDS, SECTION_CODE,
  SECTION_CONSTANTS, SECTION_COUNT, SECTION_DETECTIONS, SECTION_PREDICATES, SECTION_RULES, SECTION_TRIE,
  PROGRAM_USES_KEYWORDS, P_FIELDREF, SECTION_PREFILTER, SECTION_EXPLAIN, EXPLAIN_ITEM_WORDS, X_ITEM_SLOT, X_ITEM_TEST_COUNT,
} from './format';
import { prefilterAttachProgram } from './prefilter';

export let programBase: usize = 0;
export let programFlags: u32 = 0;
export let slotCount: u32 = 0;
export let keywordSlot: u32 = F_NONE;
export let ruleCount: u32 = 0;
export let predicateCount: u32 = 0;
export let detectionCount: u32 = 0;
export let trieBase: usize = 0;
export let predicateBase: usize = 0;
export let codeBase: usize = 0;
export let codeWords: u32 = 0;
export let detectionBase: usize = 0;
export let ruleBase: usize = 0;
export let constantsBase: usize = 0;
export let constantsLength: u32 = 0;
/** The explain table (format.ts SECTION_EXPLAIN), validated at load: read by provenance.ts without checks. */
export let explainBase: usize = 0;
export let explainWords: u32 = 0;

@inline function headerWord(index: u32): u32 {
  return load<u32>(programBase + (<usize>index << 2));
}

@inline function sectionOffset(section: u32): u32 {
  return headerWord(H_SECTIONS + 2 * section);
}

@inline function sectionLength(section: u32): u32 {
  return headerWord(H_SECTIONS + 2 * section + 1);
}

@inline export function codeWord(pc: u32): u32 {
  return load<u32>(codeBase + (<usize>pc << 2));
}

@inline export function predicateRecord(p: u32): usize {
  return predicateBase + (<usize>p * <usize>PREDICATE_WORDS << 2);
}

@inline export function detectionStart(d: u32): u32 {
  return load<u32>(detectionBase + (<usize>d << 2));
}

@inline export function ruleRecord(r: u32): usize {
  return ruleBase + (<usize>r * <usize>RULE_WORDS << 2);
}

export function usesKeywords(): bool {
  return (programFlags & PROGRAM_USES_KEYWORDS) != 0;
}

/** Check one code block starting at `start`: it ends in RETURN, every jump goes forward to a word of the block
 * (at most its RETURN, so execution always reaches RETURN), every index is in range; detection blocks may not call
 * detections. Linear in the block's length. */
function validBlock(start: u32, allowDetections: bool): bool {
  let end = start;
  while (end < codeWords && (codeWord(end) & OPCODE_MASK) != I_RETURN) end++;
  if (end >= codeWords) return false;
  for (let pc = start; pc < end; pc++) {
    let w = codeWord(pc);
    let op = w & OPCODE_MASK;
    let operand = w >> OPERAND_SHIFT;
    if (op == I_PRED) {
      if (operand >= predicateCount) return false;
    } else if (op == I_DET) {
      if (!allowDetections || operand >= detectionCount) return false;
    } else if (op == I_JUMP_IF_FALSE || op == I_JUMP_IF_TRUE) {
      if (operand <= pc || operand > end) return false;
    } else if (op != I_NOT && op != I_CONST) {
      return false;
    }
  }
  return true;
}

/** Read and validate a program. Returns false when it is not a valid program of this VM's version. */
export function attachProgram(ptr: usize, length: u32): bool {
  programBase = ptr;
  if (length < HEADER_WORDS * 4) return false;
  if (headerWord(H_MAGIC) != PROGRAM_MAGIC || headerWord(H_VERSION) != PROGRAM_VERSION) return false;
  for (let s: u32 = 0; s < SECTION_COUNT; s++) {
    let off = <u64>sectionOffset(s);
    if (off + <u64>sectionLength(s) > <u64>length || (off & 3) != 0) return false;
  }
  programFlags = headerWord(H_FLAGS);
  slotCount = headerWord(H_SLOT_COUNT);
  keywordSlot = headerWord(H_KEYWORD_SLOT);
  ruleCount = headerWord(H_RULE_COUNT);
  predicateCount = headerWord(H_PREDICATE_COUNT);
  detectionCount = headerWord(H_DETECTION_COUNT);
  trieBase = ptr + sectionOffset(SECTION_TRIE);
  predicateBase = ptr + sectionOffset(SECTION_PREDICATES);
  codeBase = ptr + sectionOffset(SECTION_CODE);
  codeWords = sectionLength(SECTION_CODE) >> 2;
  detectionBase = ptr + sectionOffset(SECTION_DETECTIONS);
  ruleBase = ptr + sectionOffset(SECTION_RULES);
  constantsBase = ptr + sectionOffset(SECTION_CONSTANTS);
  constantsLength = sectionLength(SECTION_CONSTANTS);

  if (<u64>predicateCount * PREDICATE_WORDS * 4 > <u64>sectionLength(SECTION_PREDICATES)) return false;
  if (<u64>detectionCount * 4 > <u64>sectionLength(SECTION_DETECTIONS)) return false;
  if (<u64>ruleCount * RULE_WORDS * 4 > <u64>sectionLength(SECTION_RULES)) return false;
  if (keywordSlot != F_NONE && keywordSlot >= slotCount) return false;
  for (let p: u32 = 0; p < predicateCount; p++) {
    let rec = predicateRecord(p);
    if (load<u32>(rec, P_WORD_SLOT << 2) >= slotCount) return false;
    let head = load<u32>(rec);
    if ((head & OPCODE_MASK) == P_FIELDREF) {
      if (load<u32>(rec, P_WORD_OPERAND_LEN << 2) >= slotCount) return false;
    } else if (<u64>load<u32>(rec, P_WORD_OPERAND << 2) + <u64>load<u32>(rec, P_WORD_OPERAND_LEN << 2) > <u64>constantsLength) {
      return false;
    }
  }
  if (!prefilterAttachProgram(ptr + sectionOffset(SECTION_PREFILTER), sectionLength(SECTION_PREFILTER), ruleCount, slotCount, predicateCount, keywordSlot, detectionCount)) return false;
  for (let d: u32 = 0; d < detectionCount; d++) {
    if (!validBlock(detectionStart(d), false)) return false;
  }
  for (let r: u32 = 0; r < ruleCount; r++) {
    let rec = ruleRecord(r);
    if (!validBlock(load<u32>(rec, R_WORD_CODE << 2), true)) return false;
    if (<u64>load<u32>(rec, R_WORD_FIRST_DETECTION << 2) + <u64>load<u32>(rec, R_WORD_DETECTION_COUNT << 2) > <u64>detectionCount) return false;
  }
  explainBase = ptr + sectionOffset(SECTION_EXPLAIN);
  explainWords = sectionLength(SECTION_EXPLAIN) >> 2;
  return validExplainTable();
}

@inline function explainWord(w: u32): u32 {
  return load<u32>(explainBase + (<usize>w << 2));
}

/** Every rule's entry lies inside the table, names slots in range and code blocks without detection calls. */
function validExplainTable(): bool {
  if (explainWords < ruleCount) return false;
  for (let r: u32 = 0; r < ruleCount; r++) {
    let w = explainWord(r);
    let detections = load<u32>(ruleRecord(r), R_WORD_DETECTION_COUNT << 2);
    for (let d: u32 = 0; d < detections; d++) {
      if (w >= explainWords) return false;
      let items = explainWord(w++);
      for (let i: u32 = 0; i < items; i++) {
        if (<u64>w + EXPLAIN_ITEM_WORDS > <u64>explainWords) return false;
        if (explainWord(w + X_ITEM_SLOT) >= slotCount) return false;
        let tests = explainWord(w + X_ITEM_TEST_COUNT);
        w += EXPLAIN_ITEM_WORDS;
        if (<u64>w + <u64>tests > <u64>explainWords) return false;
        for (let t: u32 = 0; t < tests; t++) {
          if (!validBlock(explainWord(w++), false)) return false;
        }
      }
    }
  }
  return true;
}
