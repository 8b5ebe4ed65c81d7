// Sigma wildcard matching over UTF-8 values, running the glob programs of src/compiler/encode/glob.ts (the layout is
// documented there). Semantics are those of the reference, src/eval/glob.ts: the pattern's segments between `*` are
// matched in order, the first anchored at the start unless the pattern begins with `*`, the last anchored at the end
// unless it ends with `*`, and the middle ones at their leftmost match. Leftmost is optimal for `*`-separated
// segments of fixed code point length, so nothing is ever retried and the cost is linear in the value.
//
// Positions are byte offsets at code point boundaries. A text run begins with a lead byte (it is valid UTF-8), so a
// byte-level match of a text run can only start on a boundary: the SIMD indexOf needs no boundary checks.
import { bytesEqual, endsWith, indexOf, startsWith } from './search';
import { advanceCodePoints, retreatCodePoints } from '../text/utf8';

// ---- mirror of src/compiler/encode/glob.ts (test/match/glob.test.ts checks they agree) ----
@inline export const GLOB_EQUALS: u32 = 1;
@inline export const GLOB_PREFIX: u32 = 2;
@inline export const GLOB_SUFFIX: u32 = 3;
@inline export const GLOB_CONTAINS: u32 = 4;
@inline export const GLOB_GENERAL: u32 = 5;
@inline export const GLOB_NEVER: u32 = 6;

@inline export const GLOB_ANCHOR_START: u32 = 1;
@inline export const GLOB_ANCHOR_END: u32 = 2;

@inline export const GLOB_HEADER_BYTES: usize = 16;
@inline const GLOB_KIND_OFFSET: usize = 0;
@inline const GLOB_FLAGS_OFFSET: usize = 1;
@inline const GLOB_SEGMENT_COUNT_OFFSET: usize = 4;
@inline const GLOB_MIN_BYTES_OFFSET: usize = 8;

@inline export const SEGMENT_HEADER_BYTES: usize = 8;
@inline const SEGMENT_PART_COUNT_OFFSET: usize = 0;
@inline const SEGMENT_BYTE_LENGTH_OFFSET: usize = 4;

@inline export const PART_HEAD_BYTES: usize = 4;
@inline export const PART_ONES: u32 = 0x80000000;
@inline const PART_LENGTH_MASK: u32 = 0x7fffffff;
@inline const PART_ALIGN_MASK: u32 = 3;

/** Returned by the segment matchers when the segment does not match. */
@inline const NO_MATCH: i32 = -1;

/** Bytes a part occupies in the program: its head plus, for text, the padded bytes. */
@inline function partSize(head: u32): usize {
  if (head & PART_ONES) return PART_HEAD_BYTES;
  return PART_HEAD_BYTES + <usize>((head + PART_ALIGN_MASK) & ~PART_ALIGN_MASK);
}

/** The single text part of an EQUALS/PREFIX/SUFFIX/CONTAINS program: its bytes follow the first part head. */
@inline function simpleText(program: usize): usize {
  return program + GLOB_HEADER_BYTES + SEGMENT_HEADER_BYTES + PART_HEAD_BYTES;
}

@inline function simpleTextLength(program: usize): u32 {
  return load<u32>(program + GLOB_HEADER_BYTES + SEGMENT_HEADER_BYTES);
}

/** Whether the glob program at `program` matches the whole `len`-byte UTF-8 value at `value`. */
export function globMatch(program: usize, value: usize, len: u32): bool {
  if (len < load<u32>(program, GLOB_MIN_BYTES_OFFSET)) return false;
  const kind = <u32>load<u8>(program, GLOB_KIND_OFFSET);
  switch (kind) {
    case GLOB_EQUALS: {
      const n = simpleTextLength(program);
      return n == len && bytesEqual(value, simpleText(program), n);
    }
    case GLOB_PREFIX:
      return startsWith(value, len, simpleText(program), simpleTextLength(program));
    case GLOB_SUFFIX:
      return endsWith(value, len, simpleText(program), simpleTextLength(program));
    case GLOB_CONTAINS:
      return indexOf(value, len, simpleText(program), simpleTextLength(program), 0) >= 0;
    case GLOB_GENERAL:
      return matchGeneral(program, value, len);
  }
  // GLOB_NEVER: pattern text no event value can contain.
  return false;
}

function matchGeneral(program: usize, value: usize, len: u32): bool {
  const flags = <u32>load<u8>(program, GLOB_FLAGS_OFFSET);
  const count = load<u32>(program, GLOB_SEGMENT_COUNT_OFFSET);
  const anchoredStart = (flags & GLOB_ANCHOR_START) != 0;
  const anchoredEnd = (flags & GLOB_ANCHOR_END) != 0;
  let segment = program + GLOB_HEADER_BYTES;
  if (anchoredStart && anchoredEnd && count == 1) return matchForward(segment, value, len, 0) == <i32>len;
  let pos: u32 = 0;
  let index: u32 = 0;
  if (anchoredStart) {
    const end = matchForward(segment, value, len, 0);
    if (end == NO_MATCH) return false;
    pos = <u32>end;
    segment += <usize>load<u32>(segment, SEGMENT_BYTE_LENGTH_OFFSET);
    index = 1;
  }
  const searched = anchoredEnd ? count - 1 : count;
  for (; index < searched; index++) {
    const end = findSegment(segment, value, len, pos);
    if (end == NO_MATCH) return false;
    pos = <u32>end;
    segment += <usize>load<u32>(segment, SEGMENT_BYTE_LENGTH_OFFSET);
  }
  if (!anchoredEnd) return true;
  // The tail's start is fixed by its end: walk it backwards from the end and check it starts at or after pos.
  return matchBackward(segment, value, len, pos);
}

/** Match a segment starting at byte `pos`; returns the end offset or NO_MATCH. */
function matchForward(segment: usize, value: usize, len: u32, pos: u32): i32 {
  const parts = load<u32>(segment, SEGMENT_PART_COUNT_OFFSET);
  let part = segment + SEGMENT_HEADER_BYTES;
  let p = pos;
  for (let k: u32 = 0; k < parts; k++) {
    const head = load<u32>(part);
    if (head & PART_ONES) {
      const next = advanceCodePoints(value, len, p, head & PART_LENGTH_MASK);
      if (next < 0) return NO_MATCH;
      p = <u32>next;
    } else {
      if (head > len - p || !bytesEqual(value + <usize>p, part + PART_HEAD_BYTES, head)) return NO_MATCH;
      p += head;
    }
    part += partSize(head);
  }
  return <i32>p;
}

/** Whether the segment matches ending exactly at `len` and starting at or after `floor`. */
function matchBackward(segment: usize, value: usize, len: u32, floor: u32): bool {
  const parts = load<u32>(segment, SEGMENT_PART_COUNT_OFFSET);
  // Parts are variable-sized, so walking them in reverse needs their offsets: find the last, then re-scan for each
  // predecessor. Segments have a handful of parts, and this runs once per match attempt.
  let p = len;
  for (let k = <i32>parts - 1; k >= 0; k--) {
    const part = partAt(segment, <u32>k);
    const head = load<u32>(part);
    if (head & PART_ONES) {
      const next = retreatCodePoints(value, floor, p, head & PART_LENGTH_MASK);
      if (next < 0) return false;
      p = <u32>next;
    } else {
      if (head > p - floor || !bytesEqual(value + <usize>(p - head), part + PART_HEAD_BYTES, head)) return false;
      p -= head;
    }
  }
  return true;
}

@inline function partAt(segment: usize, index: u32): usize {
  let part = segment + SEGMENT_HEADER_BYTES;
  for (let k: u32 = 0; k < index; k++) part += partSize(load<u32>(part));
  return part;
}

/**
 * Leftmost match of a segment starting at or after `from`; returns its end or NO_MATCH. Candidates come from the
 * SIMD search for the segment's first text run; the `?`s before that run fix where the segment would start.
 */
function findSegment(segment: usize, value: usize, len: u32, from: u32): i32 {
  const parts = load<u32>(segment, SEGMENT_PART_COUNT_OFFSET);
  // The encoder drops empty middle segments; should one appear, it matches where the search starts.
  if (parts == 0) return <i32>from;
  let part = segment + SEGMENT_HEADER_BYTES;
  let head = load<u32>(part);
  let leadingOnes: u32 = 0;
  if (head & PART_ONES) {
    leadingOnes = head & PART_LENGTH_MASK;
    // Only `?`s: the leftmost start is `from` itself, if enough code points remain.
    if (parts == 1) return advanceCodePoints(value, len, from, leadingOnes);
    part += PART_HEAD_BYTES;
    head = load<u32>(part);
  }
  // The text run must start at least leadingOnes code points after `from`.
  const earliest = advanceCodePoints(value, len, from, leadingOnes);
  if (earliest < 0) return NO_MATCH;
  const text = part + PART_HEAD_BYTES;
  let cursor = <u32>earliest;
  while (true) {
    const at = indexOf(value, len, text, head, cursor);
    if (at < 0) return NO_MATCH;
    const start = retreatCodePoints(value, from, <u32>at, leadingOnes);
    const end = matchForward(segment, value, len, <u32>start);
    if (end != NO_MATCH) return end;
    // The next occurrence starts at a later code point; a text run begins with a lead byte, so +1 is safe.
    cursor = <u32>at + 1;
  }
}
