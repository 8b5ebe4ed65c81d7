/**
 * Code point sets as sorted, non-overlapping, non-adjacent inclusive ranges in a flat array [lo0, hi0, lo1, hi1, ...].
 * Classes can span most of Unicode (`[^"]`), so every operation works on ranges, never on individual code points.
 */
import type { ClassNode, ShorthandSet } from './ast.js';
import { MAX_CODE_POINT } from './opcodes.js';
import { CASEFOLD_RUNS, CASEFOLD_RUN_COUNT } from '../text/casefold-table.js';

export type Ranges = readonly number[];

const ASCII_UPPER_A = 0x41;
const ASCII_UPPER_Z = 0x5a;
const ASCII_CASE_DELTA = 0x20;
const CASEFOLD_RUN_WIDTH = 4;
const RUN_START = 0;
const RUN_END = 1;
const RUN_DELTA = 2;
const RUN_STRIDE = 3;

const DIGIT_RANGES: Ranges = [0x30, 0x39];
const WORD_RANGES: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
/** JS `\s`: WhiteSpace and LineTerminator of ECMA-262. */
const SPACE_RANGES: Ranges = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f,
  0x3000, 0x3000, 0xfeff, 0xfeff,
];

export function shorthandRanges(set: ShorthandSet): Ranges {
  switch (set) {
    case 'digit':
      return DIGIT_RANGES;
    case 'word':
      return WORD_RANGES;
    case 'space':
      return SPACE_RANGES;
  }
}

/** Sorts and merges arbitrary (possibly overlapping or adjacent) ranges. */
export function normalizeRanges(pairs: readonly number[]): number[] {
  const count = pairs.length / 2;
  const order: number[] = [];
  for (let k = 0; k < count; k++) order.push(k);
  order.sort((x, y) => pairs[2 * x] - pairs[2 * y]);
  const out: number[] = [];
  for (const k of order) {
    const lo = pairs[2 * k];
    const hi = pairs[2 * k + 1];
    const last = out.length - 1;
    if (last > 0 && lo <= out[last] + 1) {
      if (hi > out[last]) out[last] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

export function complementRanges(ranges: Ranges): number[] {
  const out: number[] = [];
  let next = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    if (ranges[k] > next) out.push(next, ranges[k] - 1);
    next = ranges[k + 1] + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

/**
 * S ∪ fold(S). Because fold is idempotent (every fold result is a fixed point; a test checks all code points),
 * "fold(x) ∈ S ∪ fold(S)" holds exactly when some c in S has fold(c) == fold(x), which is the case-insensitive class
 * semantics; keeping S itself avoids having to subtract the non-fixed points.
 */
export function foldCloseRanges(ranges: Ranges): number[] {
  const out = ranges.slice();
  for (let k = 0; k < ranges.length; k += 2) {
    const lo = ranges[k];
    const hi = ranges[k + 1];
    const upperLo = Math.max(lo, ASCII_UPPER_A);
    const upperHi = Math.min(hi, ASCII_UPPER_Z);
    if (upperLo <= upperHi) out.push(upperLo + ASCII_CASE_DELTA, upperHi + ASCII_CASE_DELTA);
    for (let r = 0; r < CASEFOLD_RUN_COUNT; r++) {
      const base = r * CASEFOLD_RUN_WIDTH;
      const start = CASEFOLD_RUNS[base + RUN_START];
      const end = CASEFOLD_RUNS[base + RUN_END];
      if (end < lo) continue;
      if (start > hi) break;
      const delta = CASEFOLD_RUNS[base + RUN_DELTA];
      const stride = CASEFOLD_RUNS[base + RUN_STRIDE];
      const from = Math.max(lo, start);
      const to = Math.min(hi, end);
      if (stride === 1) {
        out.push(from + delta, to + delta);
        continue;
      }
      // Strided runs (alternating upper/lower pairs) are short; only every stride-th code point maps.
      const first = from + ((stride - ((from - start) % stride)) % stride);
      for (let cp = first; cp <= to; cp += stride) out.push(cp + delta, cp + delta);
    }
  }
  return normalizeRanges(out);
}

/**
 * The set a CLASS instruction tests against (the folded input code point when ignoreCase). Each item is closed under
 * folding on its own before the union, and a negated shorthand is the complement of its closed positive set, so
 * `\W` means exactly "not `\w`" under i too (otherwise the Kelvin sign K, which folds to k, would put `k` in `\W`).
 */
export function classRanges(node: ClassNode, ignoreCase: boolean): number[] {
  const pairs: number[] = [];
  for (const item of node.items) {
    if (item.kind === 'range') {
      appendAll(pairs, ignoreCase ? foldCloseRanges([item.lo, item.hi]) : [item.lo, item.hi]);
      continue;
    }
    const base = shorthandRanges(item.set);
    const closed = ignoreCase ? foldCloseRanges(base) : base;
    appendAll(pairs, item.negated ? complementRanges(closed) : closed);
  }
  const union = normalizeRanges(pairs);
  return node.negated ? complementRanges(union) : union;
}

/** push(...items) without the argument-count limit that spreading a large array runs into. */
export function appendAll(target: number[], items: readonly number[]): void {
  for (let k = 0; k < items.length; k++) target.push(items[k]);
}

export function rangesContain(ranges: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Number of code points in the set. */
export function rangesSize(ranges: Ranges): number {
  let size = 0;
  for (let k = 0; k < ranges.length; k += 2) size += ranges[k + 1] - ranges[k] + 1;
  return size;
}
