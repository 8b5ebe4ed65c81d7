/**
 * The program format shared by the compiler (this side) and the VM (`assembly/vm/format.ts`, which mirrors these
 * numbers; a test checks the two agree). DESIGN.md section 6 walks through it.
 *
 * A program is little-endian bytes: a header of HEADER_WORDS u32 words, then sections, each 8-byte aligned, located
 * by (offset, length) pairs in the header. Offsets are from the program's first byte.
 */

/** "SGMC" read as a little-endian u32. */
export const PROGRAM_MAGIC = 0x434d4753;
/** Bump on any change of layout or semantics; the VM refuses other versions. */
export const PROGRAM_VERSION = 8;

// ---- header words ----
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_FLAGS = 2;
/** Field slots, the keyword pseudo-slot included. */
export const H_SLOT_COUNT = 3;
/** Slot holding keyword leaves, or NONE. */
export const H_KEYWORD_SLOT = 4;
export const H_RULE_COUNT = 5;
export const H_PREDICATE_COUNT = 6;
export const H_DETECTION_COUNT = 7;
/** Section table: (offset, length) pairs from here on, in SECTION_* order. */
export const H_SECTIONS = 8;

export const SECTION_TRIE = 0;
export const SECTION_PREDICATES = 1;
export const SECTION_CODE = 2;
export const SECTION_DETECTIONS = 3;
export const SECTION_RULES = 4;
export const SECTION_CONSTANTS = 5;
/** Candidate selection tables (src/compiler/prefilter.ts). */
export const SECTION_PREFILTER = 6;
/** Per rule, the items of its search identifiers and the code of each item's value tests (provenance of hits). */
export const SECTION_EXPLAIN = 7;
export const SECTION_COUNT = 8;

export const HEADER_WORDS = H_SECTIONS + 2 * SECTION_COUNT;
export const SECTION_ALIGN = 8;

export const NONE = 0xffffffff;

// ---- header flags ----
/** Some rule searches keywords: the VM collects keyword leaves (lazily) into the keyword slot. */
export const PROGRAM_USES_KEYWORDS = 1;

// ---- predicates: PREDICATE_WORDS u32 words each ----
export const PREDICATE_WORDS = 4;
/** Word 0: opcode (low byte) | flags << 8 | argument << 16. */
export const P_WORD_HEAD = 0;
export const P_WORD_SLOT = 1;
/** Word 2-3: operand offset into the constant section and its length in bytes (or an immediate for some ops). */
export const P_WORD_OPERAND = 2;
export const P_WORD_OPERAND_LEN = 3;

/** Equality with a literal (operand: UTF-8 bytes). */
export const P_EQUALS = 1;
export const P_PREFIX = 2;
export const P_SUFFIX = 3;
export const P_CONTAINS = 4;
/** Sigma wildcard pattern (operand: glob program, see src/compiler/encode/glob.ts). */
export const P_GLOB = 5;
/** Linear-time regex search over the raw value (operand: serialised regex program, 4-byte aligned). */
export const P_REGEX = 6;
/** IP text inside a network (operand: encoded network, see src/compiler/encode/cidr.ts). */
export const P_CIDR = 7;
/** Absent (when the null-matches-absent flag is set) or JSON null. */
export const P_NULL = 8;
/** Present (argument 1) or absent (argument 0). */
export const P_EXISTS = 9;
/** Numeric comparison (argument: CMP_*; operand: f64, 8-byte aligned). */
export const P_COMPARE = 10;
/** Date part then comparison (argument: part | CMP << 4; operand: f64). */
export const P_TIMEPART = 11;
/** Compare with another slot's values (argument: FIELDREF_*; operand length word: the other slot). */
export const P_FIELDREF = 12;
/** Equals / starts with / ends with / contains any literal of a set, in one pass (operand: literal set, see
 * src/compiler/encode/literal-set.ts; the set's kind is in its header). */
export const P_LITERAL_SET = 13;

/** Predicate flag: compare the raw value, not its folded form. */
export const PF_CASED = 1;
/** Predicate flag: the prefilter tracks this predicate's atoms; when none was seen in an event, it is false. */
export const PF_PREFILTERED = 2;

export const CMP_EQ = 0;
export const CMP_GT = 1;
export const CMP_GTE = 2;
export const CMP_LT = 3;
export const CMP_LTE = 4;

export const TIME_MINUTE = 0;
export const TIME_HOUR = 1;
export const TIME_DAY = 2;
export const TIME_WEEK = 3;
export const TIME_MONTH = 4;
export const TIME_YEAR = 5;

export const FIELDREF_EQUALS = 0;
export const FIELDREF_CONTAINS = 1;
export const FIELDREF_STARTSWITH = 2;
export const FIELDREF_ENDSWITH = 3;

// ---- code: one u32 per instruction, opcode in the low byte, operand in the upper 24 bits ----
export const OPERAND_SHIFT = 8;
export const OPCODE_MASK = 0xff;
export const MAX_OPERAND = 0xffffff;

/** acc = predicate[operand] (memoised per event). */
export const I_PRED = 1;
/** acc = detection[operand] (its code block, memoised per event). */
export const I_DET = 2;
/** if !acc: jump to code word operand. */
export const I_JUMP_IF_FALSE = 3;
/** if acc: jump to code word operand. */
export const I_JUMP_IF_TRUE = 4;
export const I_NOT = 5;
/** acc = operand != 0. */
export const I_CONST = 6;
/** Return acc to the caller (end of a detection or rule block). */
export const I_RETURN = 7;

// ---- detections: one u32 each: the code word where the detection's block starts ----
// ---- rules: RULE_WORDS u32 words each ----
export const RULE_WORDS = 4;
export const R_WORD_CODE = 0;
export const R_WORD_FIRST_DETECTION = 1;
export const R_WORD_DETECTION_COUNT = 2;
export const R_WORD_FLAGS = 3;

// ---- explain table: u32 words (provenance of hits, assembly/vm/provenance.ts) ----
// Word r (r < rule count): where rule r's entry starts, in words from the section's start. An entry lists, for each
// of the rule's detections in order: its item count, then per item (in the order of a depth-first walk of the
// detection's tree) its EXPLAIN_ITEM_WORDS words and one code start per value test (a test's block tests one value
// of the item, as the reference evaluator's `compileValues` numbers them).
export const EXPLAIN_ITEM_WORDS = 3;
export const X_ITEM_SLOT = 0;
export const X_ITEM_FLAGS = 1;
export const X_ITEM_TEST_COUNT = 2;
/** Item flag: the item is negated (`|neq`): no value of it is reported. */
export const X_ITEM_NEGATED = 1;
