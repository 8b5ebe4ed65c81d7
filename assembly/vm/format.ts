// GENERATED from src/compiler/format.ts by scripts/gen-mirrors.mjs. Do not edit.

// "SGMC" read as a little-endian u32.
@inline export const PROGRAM_MAGIC: u32 = 0x434d4753;
// Bump on any change of layout or semantics; the VM refuses other versions.
@inline export const PROGRAM_VERSION: u32 = 8;

// ---- header words ----
@inline export const H_MAGIC: u32 = 0;
@inline export const H_VERSION: u32 = 1;
@inline export const H_FLAGS: u32 = 2;
// Field slots, the keyword pseudo-slot included.
@inline export const H_SLOT_COUNT: u32 = 3;
// Slot holding keyword leaves, or NONE.
@inline export const H_KEYWORD_SLOT: u32 = 4;
@inline export const H_RULE_COUNT: u32 = 5;
@inline export const H_PREDICATE_COUNT: u32 = 6;
@inline export const H_DETECTION_COUNT: u32 = 7;
// Section table: (offset, length) pairs from here on, in SECTION_* order.
@inline export const H_SECTIONS: u32 = 8;

@inline export const SECTION_TRIE: u32 = 0;
@inline export const SECTION_PREDICATES: u32 = 1;
@inline export const SECTION_CODE: u32 = 2;
@inline export const SECTION_DETECTIONS: u32 = 3;
@inline export const SECTION_RULES: u32 = 4;
@inline export const SECTION_CONSTANTS: u32 = 5;
// Candidate selection tables (src/compiler/prefilter.ts).
@inline export const SECTION_PREFILTER: u32 = 6;
// Per rule, the items of its search identifiers and the code of each item's value tests (provenance of hits).
@inline export const SECTION_EXPLAIN: u32 = 7;
@inline export const SECTION_COUNT: u32 = 8;

@inline export const HEADER_WORDS: u32 = H_SECTIONS + 2 * SECTION_COUNT;
@inline export const SECTION_ALIGN: u32 = 8;

@inline export const NONE: u32 = 0xffffffff;

// ---- header flags ----
// Some rule searches keywords: the VM collects keyword leaves (lazily) into the keyword slot.
@inline export const PROGRAM_USES_KEYWORDS: u32 = 1;

// ---- predicates: PREDICATE_WORDS u32 words each ----
@inline export const PREDICATE_WORDS: u32 = 4;
// Word 0: opcode (low byte) | flags << 8 | argument << 16.
@inline export const P_WORD_HEAD: u32 = 0;
@inline export const P_WORD_SLOT: u32 = 1;
// Word 2-3: operand offset into the constant section and its length in bytes (or an immediate for some ops).
@inline export const P_WORD_OPERAND: u32 = 2;
@inline export const P_WORD_OPERAND_LEN: u32 = 3;

// Equality with a literal (operand: UTF-8 bytes).
@inline export const P_EQUALS: u32 = 1;
@inline export const P_PREFIX: u32 = 2;
@inline export const P_SUFFIX: u32 = 3;
@inline export const P_CONTAINS: u32 = 4;
// Sigma wildcard pattern (operand: glob program, see src/compiler/encode/glob.ts).
@inline export const P_GLOB: u32 = 5;
// Linear-time regex search over the raw value (operand: serialised regex program, 4-byte aligned).
@inline export const P_REGEX: u32 = 6;
// IP text inside a network (operand: encoded network, see src/compiler/encode/cidr.ts).
@inline export const P_CIDR: u32 = 7;
// Absent (when the null-matches-absent flag is set) or JSON null.
@inline export const P_NULL: u32 = 8;
// Present (argument 1) or absent (argument 0).
@inline export const P_EXISTS: u32 = 9;
// Numeric comparison (argument: CMP_*; operand: f64, 8-byte aligned).
@inline export const P_COMPARE: u32 = 10;
// Date part then comparison (argument: part | CMP << 4; operand: f64).
@inline export const P_TIMEPART: u32 = 11;
// Compare with another slot's values (argument: FIELDREF_*; operand length word: the other slot).
@inline export const P_FIELDREF: u32 = 12;
// Equals / starts with / ends with / contains any literal of a set, in one pass (operand: literal set, see
// src/compiler/encode/literal-set.ts; the set's kind is in its header). */
@inline export const P_LITERAL_SET: u32 = 13;

// Predicate flag: compare the raw value, not its folded form.
@inline export const PF_CASED: u32 = 1;
// Predicate flag: the prefilter tracks this predicate's atoms; when none was seen in an event, it is false.
@inline export const PF_PREFILTERED: u32 = 2;

@inline export const CMP_EQ: u32 = 0;
@inline export const CMP_GT: u32 = 1;
@inline export const CMP_GTE: u32 = 2;
@inline export const CMP_LT: u32 = 3;
@inline export const CMP_LTE: u32 = 4;

@inline export const TIME_MINUTE: u32 = 0;
@inline export const TIME_HOUR: u32 = 1;
@inline export const TIME_DAY: u32 = 2;
@inline export const TIME_WEEK: u32 = 3;
@inline export const TIME_MONTH: u32 = 4;
@inline export const TIME_YEAR: u32 = 5;

@inline export const FIELDREF_EQUALS: u32 = 0;
@inline export const FIELDREF_CONTAINS: u32 = 1;
@inline export const FIELDREF_STARTSWITH: u32 = 2;
@inline export const FIELDREF_ENDSWITH: u32 = 3;

// ---- code: one u32 per instruction, opcode in the low byte, operand in the upper 24 bits ----
@inline export const OPERAND_SHIFT: u32 = 8;
@inline export const OPCODE_MASK: u32 = 0xff;
@inline export const MAX_OPERAND: u32 = 0xffffff;

// acc = predicate[operand] (memoised per event).
@inline export const I_PRED: u32 = 1;
// acc = detection[operand] (its code block, memoised per event).
@inline export const I_DET: u32 = 2;
// if !acc: jump to code word operand.
@inline export const I_JUMP_IF_FALSE: u32 = 3;
// if acc: jump to code word operand.
@inline export const I_JUMP_IF_TRUE: u32 = 4;
@inline export const I_NOT: u32 = 5;
// acc = operand != 0.
@inline export const I_CONST: u32 = 6;
// Return acc to the caller (end of a detection or rule block).
@inline export const I_RETURN: u32 = 7;

// ---- detections: one u32 each: the code word where the detection's block starts ----
// ---- rules: RULE_WORDS u32 words each ----
@inline export const RULE_WORDS: u32 = 4;
@inline export const R_WORD_CODE: u32 = 0;
@inline export const R_WORD_FIRST_DETECTION: u32 = 1;
@inline export const R_WORD_DETECTION_COUNT: u32 = 2;
@inline export const R_WORD_FLAGS: u32 = 3;

// ---- explain table: u32 words (provenance of hits, assembly/vm/provenance.ts) ----
// Word r (r < rule count): where rule r's entry starts, in words from the section's start. An entry lists, for each
// of the rule's detections in order: its item count, then per item (in the order of a depth-first walk of the
// detection's tree) its EXPLAIN_ITEM_WORDS words and one code start per value test (a test's block tests one value
// of the item, as the reference evaluator's `compileValues` numbers them).
@inline export const EXPLAIN_ITEM_WORDS: u32 = 3;
@inline export const X_ITEM_SLOT: u32 = 0;
@inline export const X_ITEM_FLAGS: u32 = 1;
@inline export const X_ITEM_TEST_COUNT: u32 = 2;
// Item flag: the item is negated (`|neq`): no value of it is reported.
@inline export const X_ITEM_NEGATED: u32 = 1;
