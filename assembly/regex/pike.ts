// Pike VM (Thompson NFA simulation) over UTF-8, executing the serialised programs of src/regex (layout: opcodes.ts
// and serializeProgram in compile.ts). It is the twin of the TypeScript VM src/regex/pike.ts and gives the same
// answer as that VM on the decoded string: unanchored search, code point semantics, input folding under
// PROGRAM_FLAG_FOLD_INPUT, line terminators \n \r U+2028 U+2029, `\b` on ASCII word characters.
//
// Each input position visits each pc at most once, so a search costs O(input bytes x instructions) whatever the
// pattern: no hostile rule or event can make it blow up. Thread sets are sparse sets in caller-provided scratch
// (regexScratchBytes): membership is "sparse[pc] points into the live part of dense and dense points back", so the
// scratch needs no clearing, not even before the first search, and nothing is allocated.
import { decodeMultiByte, utf8SequenceLength } from '../text/utf8';
import { foldAscii, foldCodePoint } from '../text/fold';

// ---- mirror of src/regex/opcodes.ts (test/match/pike.test.ts checks they agree) ----
@inline const INSTRUCTION_WIDTH: u32 = 3;
@inline const OP_CHAR: i32 = 1;
@inline const OP_ANY: i32 = 2;
@inline const OP_ANY_ALL: i32 = 3;
@inline const OP_CLASS: i32 = 4;
@inline const OP_SPLIT: i32 = 5;
@inline const OP_JMP: i32 = 6;
@inline const OP_ASSERT: i32 = 7;
@inline const OP_MATCH: i32 = 8;
@inline const ASSERT_TEXT_START: i32 = 1;
@inline const ASSERT_TEXT_END: i32 = 2;
@inline const ASSERT_LINE_START: i32 = 3;
@inline const ASSERT_LINE_END: i32 = 4;
@inline const ASSERT_WORD_BOUNDARY: i32 = 5;
@inline const ASSERT_NOT_WORD_BOUNDARY: i32 = 6;
@inline const PROGRAM_FLAG_FOLD_INPUT: i32 = 1;
@inline const NO_START_CLASS: i32 = -1;
@inline const HEADER_FLAGS: usize = 1;
@inline const HEADER_INSTRUCTION_COUNT: usize = 2;
@inline const HEADER_MIN_LENGTH: usize = 4;
@inline const HEADER_START_CLASS: usize = 5;
@inline const HEADER_WORDS: usize = 6;

@inline const WORD_BYTES: usize = 4;
@inline const INSTRUCTION_BYTES: usize = <usize>INSTRUCTION_WIDTH * WORD_BYTES;
@inline const OPERAND_A: usize = 4;
@inline const OPERAND_B: usize = 8;
@inline const START_PC: i32 = 0;

/** Stands for "no code point": before the start and after the end of the input. */
@inline const NO_CODE_POINT: i32 = -1;
@inline const ASCII_LIMIT: u32 = 0x80;

@inline const CP_LINE_FEED: i32 = 0x0a;
@inline const CP_CARRIAGE_RETURN: i32 = 0x0d;
@inline const CP_LINE_SEPARATOR: i32 = 0x2028;
@inline const CP_PARAGRAPH_SEPARATOR: i32 = 0x2029;
@inline const CP_DIGIT_0: u32 = 0x30;
@inline const CP_UPPER_A: u32 = 0x41;
@inline const CP_UNDERSCORE: i32 = 0x5f;
@inline const CP_LOWER_A: u32 = 0x61;
@inline const DIGIT_COUNT: u32 = 10;
@inline const LETTER_COUNT: u32 = 26;

// ---- scratch layout: SCRATCH_ARRAYS arrays of instructionCount i32 each ----
@inline const SCRATCH_ARRAYS: u32 = 7;
/** pcs the epsilon closure reached at the current position (dense members, sparse slots). */
@inline const VISITED_DENSE: u32 = 0;
@inline const VISITED_SPARSE: u32 = 1;
/** Consuming instructions reached at the current position. */
@inline const RUNNABLE: u32 = 2;
/** Closure roots of the current and the next position (pc + 1 of each thread that consumed); swapped per step. */
@inline const ROOTS_A: u32 = 3;
@inline const ROOTS_B: u32 = 4;
/** Slots for whichever roots array is being filled. */
@inline const NEXT_SPARSE: u32 = 5;
/** Explicit DFS stack of the closure; each pc is pushed at most once per position. */
@inline const STACK: u32 = 6;

@inline function word(ptr: usize, index: usize): i32 {
  return load<i32>(ptr + index * WORD_BYTES);
}

@inline function at(array: usize, index: i32): i32 {
  return load<i32>(array + <usize>index * WORD_BYTES);
}

@inline function put(array: usize, index: i32, value: i32): void {
  store<i32>(array + <usize>index * WORD_BYTES, value);
}

@inline function instructionCount(program: usize): u32 {
  return <u32>word(program, HEADER_INSTRUCTION_COUNT);
}

/** Scratch bytes regexSearch needs for `program` (any contents; 4-byte aligned). */
export function regexScratchBytes(program: usize): u32 {
  return instructionCount(program) * SCRATCH_ARRAYS * <u32>WORD_BYTES;
}

/** The code point at byte `pos`, or NO_CODE_POINT at the end. */
@inline function codePointAt(input: usize, len: u32, pos: u32): i32 {
  if (pos >= len) return NO_CODE_POINT;
  const lead = <u32>load<u8>(input + <usize>pos);
  return <i32>(lead < ASCII_LIMIT ? lead : decodeMultiByte(input + <usize>pos, lead));
}

@inline function codePointBytes(input: usize, pos: u32): u32 {
  return utf8SequenceLength(<u32>load<u8>(input + <usize>pos));
}

/** The code point CHAR and CLASS compare: folded under PROGRAM_FLAG_FOLD_INPUT, ASCII without a call. */
@inline function compared(cp: i32, foldInput: bool): i32 {
  if (!foldInput) return cp;
  return <u32>cp < ASCII_LIMIT ? <i32>foldAscii(<u32>cp) : <i32>foldCodePoint(<u32>cp);
}

@inline function isLineTerminator(cp: i32): bool {
  return cp == CP_LINE_FEED || cp == CP_CARRIAGE_RETURN || cp == CP_LINE_SEPARATOR || cp == CP_PARAGRAPH_SEPARATOR;
}

/** ASCII word character, as JS `\b` sees it outside unicode mode; NO_CODE_POINT is not one. */
@inline function isWordChar(cp: i32): bool {
  const c = <u32>cp;
  return (
    c - CP_LOWER_A < LETTER_COUNT || c - CP_UPPER_A < LETTER_COUNT || c - CP_DIGIT_0 < DIGIT_COUNT || cp == CP_UNDERSCORE
  );
}

/** Assertions look at the raw (unfolded) code points either side of the position. */
function assertionHolds(kind: i32, prev: i32, cur: i32): bool {
  switch (kind) {
    case ASSERT_TEXT_START:
      return prev == NO_CODE_POINT;
    case ASSERT_TEXT_END:
      return cur == NO_CODE_POINT;
    case ASSERT_LINE_START:
      return prev == NO_CODE_POINT || isLineTerminator(prev);
    case ASSERT_LINE_END:
      return cur == NO_CODE_POINT || isLineTerminator(cur);
    case ASSERT_WORD_BOUNDARY:
      return isWordChar(prev) != isWordChar(cur);
    case ASSERT_NOT_WORD_BOUNDARY:
      return isWordChar(prev) == isWordChar(cur);
  }
  return false;
}

/** Binary search of class `index`'s sorted [lo, hi] pairs; offsets are word indexes into the class table. */
function classContains(classes: usize, index: i32, cp: i32): bool {
  const first = at(classes, index);
  let lo: i32 = 0;
  let hi: i32 = ((at(classes, index + 1) - first) >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const pair = first + 2 * mid;
    if (cp < at(classes, pair)) hi = mid - 1;
    else if (cp > at(classes, pair + 1)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Add `pc` to the sparse set (dense, sparse) of `count` members; false when it was already there. */
@inline function addMember(dense: usize, sparse: usize, count: i32, pc: i32): bool {
  const slot = at(sparse, pc);
  if (<u32>slot < <u32>count && at(dense, slot) == pc) return false;
  put(sparse, pc, count);
  put(dense, count, pc);
  return true;
}

/**
 * True when the program at `program` (4-byte aligned serialised words) matches some substring of the `inputLen`
 * bytes of valid UTF-8 at `input`, like RegExp.prototype.test. `scratch` holds regexScratchBytes(program) bytes.
 */
export function regexSearch(program: usize, input: usize, inputLen: u32, scratch: usize): bool {
  const count = instructionCount(program);
  const code = program + HEADER_WORDS * WORD_BYTES;
  const classes = code + <usize>count * INSTRUCTION_BYTES;
  const foldInput = (word(program, HEADER_FLAGS) & PROGRAM_FLAG_FOLD_INPUT) != 0;
  const minLength = <u32>word(program, HEADER_MIN_LENGTH);
  // Code points never outnumber bytes, so fewer bytes than minLength code points cannot hold a match.
  if (inputLen < minLength) return false;
  // A program that begins with `^` (no m flag) can only match at position 0: no need to seed later positions.
  const anchored = load<i32>(code) == OP_ASSERT && load<i32>(code, OPERAND_A) == ASSERT_TEXT_START;
  const startClass = anchored ? NO_START_CLASS : word(program, HEADER_START_CLASS);

  const arrayBytes = <usize>count * WORD_BYTES;
  const visitedDense = scratch + <usize>VISITED_DENSE * arrayBytes;
  const visitedSparse = scratch + <usize>VISITED_SPARSE * arrayBytes;
  const runnable = scratch + <usize>RUNNABLE * arrayBytes;
  let roots = scratch + <usize>ROOTS_A * arrayBytes;
  let successors = scratch + <usize>ROOTS_B * arrayBytes;
  const successorSparse = scratch + <usize>NEXT_SPARSE * arrayBytes;
  const stack = scratch + <usize>STACK * arrayBytes;

  let rootCount: i32 = 0;
  let pos: u32 = 0;
  let prev: i32 = NO_CODE_POINT;
  let cur = codePointAt(input, inputLen, 0);

  while (true) {
    if (rootCount == 0 && startClass != NO_START_CLASS) {
      // No thread alive: only a position whose code point can begin a match needs a closure.
      while (cur != NO_CODE_POINT) {
        const c = compared(cur, foldInput);
        if (classContains(classes, startClass, c)) break;
        pos += codePointBytes(input, pos);
        prev = cur;
        cur = codePointAt(input, inputLen, pos);
      }
      // The start set excludes the empty match, so at the end nothing more can match.
      if (cur == NO_CODE_POINT) return false;
    }
    // Epsilon closure at this position, from the successors of the last step plus a fresh thread at the start
    // (the implicit `.*?` prefix of an unanchored search).
    let visitedCount: i32 = 0;
    let runCount: i32 = 0;
    const seedStart = (!anchored || pos == 0) && inputLen - pos >= minLength;
    for (let k: i32 = 0; k <= rootCount; k++) {
      if (k == rootCount && !seedStart) break;
      const root = k < rootCount ? at(roots, k) : START_PC;
      if (!addMember(visitedDense, visitedSparse, visitedCount, root)) continue;
      visitedCount++;
      let sp: i32 = 0;
      put(stack, sp++, root);
      while (sp > 0) {
        const pc = at(stack, --sp);
        const instruction = code + <usize>pc * INSTRUCTION_BYTES;
        const opcode = load<i32>(instruction);
        let first: i32;
        let second: i32 = -1;
        if (opcode == OP_MATCH) return true;
        if (opcode == OP_JMP) {
          first = load<i32>(instruction, OPERAND_A);
        } else if (opcode == OP_SPLIT) {
          first = load<i32>(instruction, OPERAND_A);
          second = load<i32>(instruction, OPERAND_B);
        } else if (opcode == OP_ASSERT) {
          if (!assertionHolds(load<i32>(instruction, OPERAND_A), prev, cur)) continue;
          first = pc + 1;
        } else {
          put(runnable, runCount++, pc);
          continue;
        }
        // The second branch goes on the stack first so the preferred one is explored first (irrelevant to a
        // boolean result, kept for parity with the TypeScript VM).
        if (second >= 0 && addMember(visitedDense, visitedSparse, visitedCount, second)) {
          visitedCount++;
          put(stack, sp++, second);
        }
        if (addMember(visitedDense, visitedSparse, visitedCount, first)) {
          visitedCount++;
          put(stack, sp++, first);
        }
      }
    }

    if (cur == NO_CODE_POINT) return false;
    if (runCount == 0 && !seedStart) return false;

    // Step: every runnable thread that accepts `cur` continues at pc + 1 at the next position.
    let successorCount: i32 = 0;
    const c = compared(cur, foldInput);
    const lineTerminator = isLineTerminator(cur);
    for (let k: i32 = 0; k < runCount; k++) {
      const pc = at(runnable, k);
      const instruction = code + <usize>pc * INSTRUCTION_BYTES;
      const opcode = load<i32>(instruction);
      let accepts: bool;
      if (opcode == OP_CHAR) accepts = load<i32>(instruction, OPERAND_A) == c;
      else if (opcode == OP_ANY) accepts = !lineTerminator;
      else if (opcode == OP_CLASS) accepts = classContains(classes, load<i32>(instruction, OPERAND_A), c);
      else accepts = opcode == OP_ANY_ALL;
      if (accepts && addMember(successors, successorSparse, successorCount, pc + 1)) successorCount++;
    }
    const swap = roots;
    roots = successors;
    successors = swap;
    rootCount = successorCount;

    pos += codePointBytes(input, pos);
    prev = cur;
    cur = codePointAt(input, inputLen, pos);
  }
  // Not reached: the loop returns at the end of the input at the latest (asc's flow analysis cannot tell).
  return false;
}
