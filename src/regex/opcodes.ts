/**
 * The compiled regex format, shared by the TypeScript Pike VM (pike.ts) and, later, the AssemblyScript VM that runs
 * over UTF-8 in WASM memory. Everything here is plain 32-bit integers so a program can be copied byte for byte into
 * linear memory; nothing depends on JS objects, closures or the host's RegExp.
 *
 * Instructions are fixed width: INSTRUCTION_WIDTH words per instruction, `[opcode, a, b]`, and a program counter (pc)
 * is an instruction index, not a word index. Fixed width keeps the VM's decode step a multiply and lets the thread
 * sets be indexed by pc directly. Unused operands are 0.
 *
 *   opcode       a                        b            consumes  meaning
 *   CHAR         code point               0            yes       current code point (folded, see below) == a
 *   ANY          0                        0            yes       any code point except a line terminator (`.`)
 *   ANY_ALL      0                        0            yes       any code point (`.` under dotAll, `[^]`-like classes)
 *   CLASS        class index              0            yes       current code point (folded) is in class a
 *   SPLIT        pc of first branch       pc of second no        fork; a is the preferred (greedy) branch. Priority
 *                                                                 does not change a boolean search but is kept so a
 *                                                                 future capture-aware VM can reuse programs
 *   JMP          target pc                0            no        continue at a
 *   ASSERT       ASSERT_* kind            0            no        zero-width test at the current position
 *   MATCH        0                        0            no        the pattern matched
 *
 * Consuming instructions and a passing ASSERT continue at pc + 1; the last instruction is always MATCH, so pc + 1
 * never runs off the end (validateProgram in compile.ts checks this and every operand for untrusted copies).
 *
 * Case-insensitivity is resolved by the compiler: CHAR operands are already folded and classes are closed under
 * folding, so the only run-time work is "fold each input code point" when PROGRAM_FLAG_FOLD_INPUT is set. Assertions
 * and ANY always look at the raw (unfolded) code points.
 *
 * `RegexProgram.minLength` is the fewest code points any match consumes. The VM stops seeding new threads once the
 * rest of the input is shorter (code points never outnumber UTF-16 units or UTF-8 bytes, so either length works),
 * which makes length-only patterns such as `.{1000,}` free on the short inputs that dominate real events.
 *
 * `RegexProgram.startClass` indexes a class holding every (folded) code point that can begin a match, or is
 * NO_START_CLASS. While no thread is alive the VM skips input code points outside it, a memchr-like scan instead of
 * a closure per position.
 *
 * Class table (`RegexProgram.classes`, one Int32Array): words [0, classCount] are offsets, class k's ranges occupy
 * words [classes[k], classes[k + 1]) as inclusive [lo, hi] pairs, sorted ascending, non-overlapping and non-adjacent,
 * so membership is a binary search over pairs. classes[classCount] is the end of the last class.
 *
 * Serialised (serializeProgram): one Int32Array of HEADER_WORDS header words [PROGRAM_FORMAT_VERSION, flags,
 * instructionCount, classWords, minLength, startClass], then the code words, then the class table words.
 */

export const INSTRUCTION_WIDTH = 3;

export const OP_CHAR = 1;
export const OP_ANY = 2;
export const OP_ANY_ALL = 3;
export const OP_CLASS = 4;
export const OP_SPLIT = 5;
export const OP_JMP = 6;
export const OP_ASSERT = 7;
export const OP_MATCH = 8;

/** `^` without the m flag: only before the first code point. */
export const ASSERT_TEXT_START = 1;
/** `$` without the m flag: only after the last code point (JS semantics: no allowance for a trailing newline). */
export const ASSERT_TEXT_END = 2;
/** `^` with m: at the start or right after a line terminator. */
export const ASSERT_LINE_START = 3;
/** `$` with m: at the end or right before a line terminator. */
export const ASSERT_LINE_END = 4;
/** `\b`: exactly one of the neighbouring code points is an ASCII word character. */
export const ASSERT_WORD_BOUNDARY = 5;
/** `\B`: the negation of `\b`. */
export const ASSERT_NOT_WORD_BOUNDARY = 6;

/** Program flag: fold every input code point with foldCodePoint before CHAR/CLASS tests (the i flag). */
export const PROGRAM_FLAG_FOLD_INPUT = 1;

/**
 * Cap on instructions after expanding counted repetition. Matching cost is O(input × instructions), so this bounds
 * the per-byte cost a single hostile rule can impose; 20,000 is far above anything in the Sigma corpus (the largest,
 * `.{1000,}`, needs about 1,000).
 */
export const MAX_PROGRAM_INSTRUCTIONS = 20_000;

/**
 * Cap on group nesting. The parser itself is iterative, but the compiler and the literal analysis walk the AST
 * recursively; bounding depth keeps them far from the JS stack limit. Real rules nest a handful of levels.
 */
export const MAX_NESTING_DEPTH = 256;

/** Largest code point; classes are complemented within [0, MAX_CODE_POINT]. */
export const MAX_CODE_POINT = 0x10ffff;

/** What a lone UTF-16 surrogate in the input reads as (as TextEncoder does on the way to UTF-8). */
export const REPLACEMENT_CHARACTER = 0xfffd;

/** Version of the serialised layout produced by serializeProgram; bump on any encoding change. */
export const PROGRAM_FORMAT_VERSION = 1;

/** Word offsets of the serialised header (see serializeProgram in compile.ts). */
export const HEADER_VERSION = 0;
export const HEADER_FLAGS = 1;
export const HEADER_INSTRUCTION_COUNT = 2;
export const HEADER_CLASS_WORDS = 3;
/** Fewest code points any match consumes; inputs (or remainders) shorter than this cannot match. */
export const HEADER_MIN_LENGTH = 4;
/** Class index of the code points that can begin a match, or NO_START_CLASS. */
export const HEADER_START_CLASS = 5;
export const HEADER_WORDS = 6;

/** `startClass` value meaning "no useful start set" (a match may be empty, or start with anything). */
export const NO_START_CLASS = -1;

/** `\n`, `\r`, U+2028, U+2029: what `.` (without s) does not match and where `^`/`$` (with m) also match. */
export const LINE_TERMINATOR_RANGES: readonly number[] = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029];
