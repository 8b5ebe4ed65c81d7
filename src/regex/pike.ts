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

/**
 * A sparse set of pcs: O(1) insert, membership and clear, and iteration in insertion order. `sparse` is never
 * cleared; a stale entry is recognised because it does not point back into the live part of `dense`.
 */
class SparseSet {
  dense: Int32Array;
  sparse: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.dense = new Int32Array(capacity);
    this.sparse = new Int32Array(capacity);
  }

  has(pc: number): boolean {
    const slot = this.sparse[pc];
    return slot < this.size && this.dense[slot] === pc;
  }

  add(pc: number): void {
    this.sparse[pc] = this.size;
    this.dense[this.size++] = pc;
  }
}

/** Buffers shared by all searches, grown to the largest program seen. Searches are synchronous, so one set suffices. */
let capacity = 0;
/** pcs already reached by the epsilon closure at the current position. */
let visited = new SparseSet(0);
/** Consuming instructions (CHAR, ANY, CLASS, ...) reached at the current position. */
let runnable = new Int32Array(0);
/** pcs to start the closure from at the current position (successors of the previous step), and the next ones. */
let current = new SparseSet(0);
let next = new SparseSet(0);
/** Explicit DFS stack for the closure; each pc is pushed at most once per position, so `capacity` is enough. */
let stack = new Int32Array(0);

function ensureCapacity(instructions: number): void {
  if (instructions <= capacity) return;
  capacity = instructions;
  visited = new SparseSet(capacity);
  current = new SparseSet(capacity);
  next = new SparseSet(capacity);
  runnable = new Int32Array(capacity);
  stack = new Int32Array(capacity);
}

/** True when `program` matches some substring of `input` (like RegExp.prototype.test). */
export function regexSearch(program: RegexProgram, input: string): boolean {
  const code = program.code;
  const classes = program.classes;
  const foldInput = (program.flags & PROGRAM_FLAG_FOLD_INPUT) !== 0;
  ensureCapacity(program.instructionCount);
  // A program that begins with `^` (no m flag) can only match at position 0: no need to seed later positions.
  const anchored = code[0] === OP_ASSERT && code[1] === ASSERT_TEXT_START;

  current.size = 0;
  let pos = 0;
  let prev = NO_CODE_POINT;
  let cur = codePointAt(input, 0);

  for (;;) {
    // Epsilon closure at this position, from the successors of the last step plus a fresh thread at the start
    // (the implicit `.*?` prefix of an unanchored search).
    visited.size = 0;
    let runCount = 0;
    const pending = current.dense;
    const pendingCount = current.size;
    const seedStart = !anchored || pos === 0;
    for (let k = 0; k <= pendingCount; k++) {
      let root: number;
      if (k < pendingCount) root = pending[k];
      else if (seedStart) root = START_PC;
      else break;
      if (visited.has(root)) continue;
      visited.add(root);
      let sp = 0;
      stack[sp++] = root;
      while (sp > 0) {
        const pc = stack[--sp];
        const base = pc * INSTRUCTION_WIDTH;
        switch (code[base]) {
          case OP_MATCH:
            return true;
          case OP_JMP: {
            const target = code[base + 1];
            if (!visited.has(target)) {
              visited.add(target);
              stack[sp++] = target;
            }
            break;
          }
          case OP_SPLIT: {
            // Push the second branch first so the preferred one is explored first (irrelevant to the result).
            const second = code[base + 2];
            if (!visited.has(second)) {
              visited.add(second);
              stack[sp++] = second;
            }
            const first = code[base + 1];
            if (!visited.has(first)) {
              visited.add(first);
              stack[sp++] = first;
            }
            break;
          }
          case OP_ASSERT:
            if (assertionHolds(code[base + 1], prev, cur) && !visited.has(pc + 1)) {
              visited.add(pc + 1);
              stack[sp++] = pc + 1;
            }
            break;
          default:
            runnable[runCount++] = pc;
        }
      }
    }

    if (cur === NO_CODE_POINT) return false;
    if (runCount === 0 && anchored) return false;

    // Step: every runnable thread that accepts `cur` continues at pc + 1 at the next position.
    next.size = 0;
    const c = foldInput ? foldCodePoint(cur) : cur;
    for (let k = 0; k < runCount; k++) {
      const pc = runnable[k];
      const base = pc * INSTRUCTION_WIDTH;
      let accepts: boolean;
      switch (code[base]) {
        case OP_CHAR:
          accepts = code[base + 1] === c;
          break;
        case OP_ANY:
          accepts = !isLineTerminator(cur);
          break;
        case OP_ANY_ALL:
          accepts = true;
          break;
        case OP_CLASS:
          accepts = classContains(classes, code[base + 1], c);
          break;
        default:
          accepts = false;
      }
      if (accepts && !next.has(pc + 1)) next.add(pc + 1);
    }
    const swap = current;
    current = next;
    next = swap;

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
