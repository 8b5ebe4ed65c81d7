/**
 * Pike VM (Thompson NFA simulation) over a RegexProgram, reading a JS string by code points. Each input position
 * visits each pc at most once, so a search costs O(len(input) × instructions) whatever the pattern, and an epsilon
 * loop such as `(a*)*` cannot spin because the closure never re-adds a pc it has visited at this position.
 *
 * The structure mirrors what the AssemblyScript VM will do over UTF-8: flat Int32Array thread sets (sparse sets),
 * an explicit closure stack, no allocation per step, and buffers kept across calls. Only code point decoding differs.
 */
import type { RegexProgram } from './compile.js';
import {
  ASSERT_LINE_END,
  ASSERT_LINE_START,
  ASSERT_NOT_WORD_BOUNDARY,
  ASSERT_TEXT_END,
  ASSERT_TEXT_START,
  ASSERT_WORD_BOUNDARY,
  INSTRUCTION_WIDTH,
  NO_START_CLASS,
  OP_ANY,
  OP_ANY_ALL,
  OP_ASSERT,
  OP_CHAR,
  OP_CLASS,
  OP_JMP,
  OP_MATCH,
  OP_SPLIT,
  PROGRAM_FLAG_FOLD_INPUT,
  REPLACEMENT_CHARACTER,
} from './opcodes.js';
import { foldCodePoint } from '../text/fold.js';

/** Stands for "no code point": before the start and after the end of the input. */
const NO_CODE_POINT = -1;
const START_PC = 0;

const HIGH_SURROGATE_START = 0xd800;
const HIGH_SURROGATE_END = 0xdbff;
const LOW_SURROGATE_START = 0xdc00;
const LOW_SURROGATE_END = 0xdfff;
const SURROGATE_PAIR_BASE = 0x10000;
const SURROGATE_SHIFT = 10;

const CP_LINE_FEED = 0x0a;
const CP_CARRIAGE_RETURN = 0x0d;
const CP_LINE_SEPARATOR = 0x2028;
const CP_PARAGRAPH_SEPARATOR = 0x2029;
const CP_DIGIT_0 = 0x30;
const CP_DIGIT_9 = 0x39;
const CP_UPPER_A = 0x41;
const CP_UPPER_Z = 0x5a;
const CP_UNDERSCORE = 0x5f;
const CP_LOWER_A = 0x61;
const CP_LOWER_Z = 0x7a;

/*
 * Buffers shared by all searches, grown to the largest program seen; searches are synchronous, so one set suffices.
 * Thread sets are sparse sets (O(1) insert, membership and clear): `dense` holds the members in insertion order and
 * `sparse[pc]` their slot; stale `sparse` entries are recognised because they do not point back into the live part
 * of `dense`, so clearing is just resetting the size. They are plain typed arrays used inline (no methods), which is
 * both what the AssemblyScript port will do and what keeps V8's inner loop tight.
 */
let capacity = 0;
/** pcs already reached by the epsilon closure at the current position. */
let visitedDense = new Int32Array(0);
let visitedSparse = new Int32Array(0);
/** Consuming instructions (CHAR, ANY, CLASS, ...) reached at the current position. */
let runnable = new Int32Array(0);
/** Successors (pc + 1) of the threads that consumed the current code point: the next position's closure roots. */
let currentDense = new Int32Array(0);
let nextDense = new Int32Array(0);
let nextSparse = new Int32Array(0);
/** Explicit DFS stack for the closure; each pc is pushed at most once per position, so `capacity` is enough. */
let stack = new Int32Array(0);

function ensureCapacity(instructions: number): void {
  if (instructions <= capacity) return;
  capacity = instructions;
  visitedDense = new Int32Array(capacity);
  visitedSparse = new Int32Array(capacity);
  runnable = new Int32Array(capacity);
  currentDense = new Int32Array(capacity);
  nextDense = new Int32Array(capacity);
  nextSparse = new Int32Array(capacity);
  stack = new Int32Array(capacity);
}

/** True when `program` matches some substring of `input` (like RegExp.prototype.test). */
export function regexSearch(program: RegexProgram, input: string): boolean {
  const code = program.code;
  const classes = program.classes;
  const foldInput = (program.flags & PROGRAM_FLAG_FOLD_INPUT) !== 0;
  ensureCapacity(program.instructionCount);
  const vDense = visitedDense;
  const vSparse = visitedSparse;
  const run = runnable;
  const dfs = stack;
  let roots = currentDense;
  let successors = nextDense;
  const successorSlot = nextSparse;
  // A program that begins with `^` (no m flag) can only match at position 0: no need to seed later positions.
  const anchored = code[0] === OP_ASSERT && code[1] === ASSERT_TEXT_START;
  const minLength = program.minLength;
  if (input.length < minLength) return false;

  let rootCount = 0;
  let pos = 0;
  let prev = NO_CODE_POINT;
  let cur = codePointAt(input, 0);

  const startClass = anchored ? NO_START_CLASS : program.startClass;

  for (;;) {
    if (rootCount === 0 && startClass !== NO_START_CLASS) {
      // No thread alive: only a position whose code point can begin a match needs a closure.
      while (cur !== NO_CODE_POINT && !classContains(classes, startClass, foldInput ? foldCodePoint(cur) : cur)) {
        pos += cur >= SURROGATE_PAIR_BASE ? 2 : 1;
        prev = cur;
        cur = codePointAt(input, pos);
      }
      // The start set excludes the empty match, so at the end nothing more can match.
      if (cur === NO_CODE_POINT) return false;
    }
    // Epsilon closure at this position, from the successors of the last step plus a fresh thread at the start
    // (the implicit `.*?` prefix of an unanchored search).
    let visitedCount = 0;
    let runCount = 0;
    // A new thread needs minLength more code points; once fewer UTF-16 units remain, none can finish.
    const seedStart = (!anchored || pos === 0) && input.length - pos >= minLength;
    for (let k = 0; k <= rootCount; k++) {
      let root: number;
      if (k < rootCount) root = roots[k];
      else if (seedStart) root = START_PC;
      else break;
      let slot = vSparse[root];
      if (slot < visitedCount && vDense[slot] === root) continue;
      vSparse[root] = visitedCount;
      vDense[visitedCount++] = root;
      let sp = 0;
      dfs[sp++] = root;
      while (sp > 0) {
        const pc = dfs[--sp];
        const base = pc * INSTRUCTION_WIDTH;
        const opcode = code[base];
        if (opcode === OP_MATCH) return true;
        let first: number;
        let second = -1;
        if (opcode === OP_JMP) {
          first = code[base + 1];
        } else if (opcode === OP_SPLIT) {
          first = code[base + 1];
          second = code[base + 2];
        } else if (opcode === OP_ASSERT) {
          if (!assertionHolds(code[base + 1], prev, cur)) continue;
          first = pc + 1;
        } else {
          run[runCount++] = pc;
          continue;
        }
        // Push the second branch first so the preferred one is explored first (irrelevant to the result).
        if (second >= 0) {
          slot = vSparse[second];
          if (!(slot < visitedCount && vDense[slot] === second)) {
            vSparse[second] = visitedCount;
            vDense[visitedCount++] = second;
            dfs[sp++] = second;
          }
        }
        slot = vSparse[first];
        if (!(slot < visitedCount && vDense[slot] === first)) {
          vSparse[first] = visitedCount;
          vDense[visitedCount++] = first;
          dfs[sp++] = first;
        }
      }
    }

    if (cur === NO_CODE_POINT) return false;
    if (runCount === 0 && !seedStart) return false;

    // Step: every runnable thread that accepts `cur` continues at pc + 1 at the next position.
    let successorCount = 0;
    const c = foldInput ? foldCodePoint(cur) : cur;
    const lineTerminator = isLineTerminator(cur);
    for (let k = 0; k < runCount; k++) {
      const pc = run[k];
      const base = pc * INSTRUCTION_WIDTH;
      const opcode = code[base];
      let accepts: boolean;
      if (opcode === OP_CHAR) accepts = code[base + 1] === c;
      else if (opcode === OP_ANY) accepts = !lineTerminator;
      else if (opcode === OP_CLASS) accepts = classContains(classes, code[base + 1], c);
      else accepts = opcode === OP_ANY_ALL;
      if (!accepts) continue;
      const target = pc + 1;
      const slot = successorSlot[target];
      if (slot < successorCount && successors[slot] === target) continue;
      successorSlot[target] = successorCount;
      successors[successorCount++] = target;
    }
    const swap = roots;
    roots = successors;
    successors = swap;
    rootCount = successorCount;

    pos += cur >= SURROGATE_PAIR_BASE ? 2 : 1;
    prev = cur;
    cur = codePointAt(input, pos);
  }
}

/** The code point at UTF-16 index `i`; a lone surrogate reads as U+FFFD, the end as NO_CODE_POINT. */
function codePointAt(s: string, i: number): number {
  if (i >= s.length) return NO_CODE_POINT;
  const unit = s.charCodeAt(i);
  if (unit < HIGH_SURROGATE_START || unit > LOW_SURROGATE_END) return unit;
  if (unit <= HIGH_SURROGATE_END && i + 1 < s.length) {
    const low = s.charCodeAt(i + 1);
    if (low >= LOW_SURROGATE_START && low <= LOW_SURROGATE_END) {
      return SURROGATE_PAIR_BASE + ((unit - HIGH_SURROGATE_START) << SURROGATE_SHIFT) + (low - LOW_SURROGATE_START);
    }
  }
  return REPLACEMENT_CHARACTER;
}

function isLineTerminator(cp: number): boolean {
  return cp === CP_LINE_FEED || cp === CP_CARRIAGE_RETURN || cp === CP_LINE_SEPARATOR || cp === CP_PARAGRAPH_SEPARATOR;
}

/** ASCII word character, as JS `\b` sees it outside unicode mode; NO_CODE_POINT is not one. */
function isWordChar(cp: number): boolean {
  return (
    (cp >= CP_LOWER_A && cp <= CP_LOWER_Z) ||
    (cp >= CP_UPPER_A && cp <= CP_UPPER_Z) ||
    (cp >= CP_DIGIT_0 && cp <= CP_DIGIT_9) ||
    cp === CP_UNDERSCORE
  );
}

/** Assertions look at the raw code points either side of the position, never folded ones. */
function assertionHolds(kind: number, prev: number, cur: number): boolean {
  switch (kind) {
    case ASSERT_TEXT_START:
      return prev === NO_CODE_POINT;
    case ASSERT_TEXT_END:
      return cur === NO_CODE_POINT;
    case ASSERT_LINE_START:
      return prev === NO_CODE_POINT || isLineTerminator(prev);
    case ASSERT_LINE_END:
      return cur === NO_CODE_POINT || isLineTerminator(cur);
    case ASSERT_WORD_BOUNDARY:
      return isWordChar(prev) !== isWordChar(cur);
    case ASSERT_NOT_WORD_BOUNDARY:
      return isWordChar(prev) === isWordChar(cur);
    default:
      return false;
  }
}

/** Binary search of class `index`'s [lo, hi] pairs. */
function classContains(classes: Int32Array, index: number, cp: number): boolean {
  const first = classes[index];
  let lo = 0;
  let hi = ((classes[index + 1] - first) >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = first + 2 * mid;
    if (cp < classes[at]) hi = mid - 1;
    else if (cp > classes[at + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}
