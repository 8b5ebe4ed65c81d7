/**
 * Glob programs: the binary form of a Sigma wildcard pattern that the VM's matcher (assembly/match/glob.ts) runs over
 * UTF-8 values. The encoder takes tokens whose text is already folded when the predicate is case-insensitive, and
 * classifies them with the reference's own globShape, so both engines split and anchor patterns identically.
 *
 * Layout (little-endian, every field and segment 4-byte aligned; the whole program is a multiple of 4 bytes):
 *
 *   header, GLOB_HEADER_BYTES:
 *     0  u8   kind          GLOB_EQUALS | GLOB_PREFIX | GLOB_SUFFIX | GLOB_CONTAINS | GLOB_GENERAL | GLOB_NEVER
 *     1  u8   flags         GENERAL only: GLOB_ANCHOR_START (the first segment sits at the start of the value),
 *                           GLOB_ANCHOR_END (the last segment ends at the end). Both with a single segment: the
 *                           pattern has no `*` and that segment spans the whole value.
 *     2  u16  0
 *     4  u32  segmentCount
 *     8  u32  minBytes      fewest value bytes any match needs (text bytes, plus one per `?`): a quick reject
 *    12  u32  byteLength    of the whole program, header included
 *   segmentCount segments, in matching order: the anchored head (if GLOB_ANCHOR_START), then the segments between
 *   `*`s that are searched leftmost-first (empty ones are dropped: they match anywhere), then the anchored tail (if
 *   GLOB_ANCHOR_END). Each segment:
 *     0  u32  partCount
 *     4  u32  byteLength    of the segment, this header included
 *     parts, each starting with a u32 head:
 *       PART_ONES | n       n consecutive `?` (n >= 1), each exactly one code point
 *       n (< PART_ONES)     a text run of n UTF-8 bytes, which follow, zero-padded to a multiple of 4
 *
 * EQUALS, PREFIX, SUFFIX and CONTAINS carry one segment holding one text part (possibly empty: `*` alone is CONTAINS
 * of ""). NEVER has no segments: a text run that is not well-formed UTF-16 (a lone surrogate, possible through a
 * YAML `\uD800` escape) can never equal part of an event value, whose lone surrogates became U+FFFD long before.
 */
import type { StringToken } from '../../rule/sigma-string.js';
import { globShape } from '../../eval/glob.js';

export const GLOB_EQUALS = 1;
export const GLOB_PREFIX = 2;
export const GLOB_SUFFIX = 3;
export const GLOB_CONTAINS = 4;
export const GLOB_GENERAL = 5;
export const GLOB_NEVER = 6;

export const GLOB_ANCHOR_START = 1;
export const GLOB_ANCHOR_END = 2;

export const GLOB_HEADER_BYTES = 16;
export const GLOB_KIND_OFFSET = 0;
export const GLOB_FLAGS_OFFSET = 1;
export const GLOB_SEGMENT_COUNT_OFFSET = 4;
export const GLOB_MIN_BYTES_OFFSET = 8;
export const GLOB_BYTE_LENGTH_OFFSET = 12;

export const SEGMENT_HEADER_BYTES = 8;
export const SEGMENT_PART_COUNT_OFFSET = 0;
export const SEGMENT_BYTE_LENGTH_OFFSET = 4;

export const PART_HEAD_BYTES = 4;
/** Bit of a part head marking a run of `?`; the low bits are then the run length. */
export const PART_ONES = 0x80000000;

const ALIGN = 4;

/** A run of `?` (count) or of text (UTF-8 bytes). */
type Part = { ones: number } | { text: Uint8Array };
type Segment = Part[];

const utf8 = new TextEncoder();

/** Encode tokens (text already folded as the predicate needs) as a glob program. */
export function encodeGlob(tokens: readonly StringToken[]): Uint8Array {
  for (const t of tokens) {
    if (t.kind === 'text' && !t.text.isWellFormed()) return writeProgram(GLOB_NEVER, 0, []);
  }
  const shape = globShape(tokens);
  switch (shape.kind) {
    case 'equals':
      return writeProgram(GLOB_EQUALS, 0, [[{ text: utf8.encode(shape.text) }]]);
    case 'prefix':
      return writeProgram(GLOB_PREFIX, 0, [[{ text: utf8.encode(shape.text) }]]);
    case 'suffix':
      return writeProgram(GLOB_SUFFIX, 0, [[{ text: utf8.encode(shape.text) }]]);
    case 'contains':
      return writeProgram(GLOB_CONTAINS, 0, [[{ text: utf8.encode(shape.text) }]]);
    case 'general':
      break;
  }
  const segments = shape.segments.map(toSegment);
  const last = segments.length - 1;
  const kept = segments.filter((segment, i) => {
    const anchored = (i === 0 && shape.anchoredStart) || (i === last && shape.anchoredEnd);
    return anchored || segment.length > 0;
  });
  const flags = (shape.anchoredStart ? GLOB_ANCHOR_START : 0) | (shape.anchoredEnd ? GLOB_ANCHOR_END : 0);
  return writeProgram(GLOB_GENERAL, flags, kept);
}

/** Merge adjacent `?` into one run and adjacent text into one run (the tokens are normalised, but be robust). */
function toSegment(parts: readonly (string | null)[]): Segment {
  const out: Segment = [];
  let text = '';
  const flush = (): void => {
    if (text) out.push({ text: utf8.encode(text) });
    text = '';
  };
  for (const part of parts) {
    if (part !== null) {
      text += part;
      continue;
    }
    flush();
    const previous = out[out.length - 1];
    if (previous !== undefined && 'ones' in previous) previous.ones++;
    else out.push({ ones: 1 });
  }
  flush();
  return out;
}

const pad = (n: number): number => (n + ALIGN - 1) & ~(ALIGN - 1);

function partBytes(part: Part): number {
  return PART_HEAD_BYTES + ('text' in part ? pad(part.text.length) : 0);
}

function writeProgram(kind: number, flags: number, segments: readonly Segment[]): Uint8Array {
  let size = GLOB_HEADER_BYTES;
  let minBytes = 0;
  for (const segment of segments) {
    size += SEGMENT_HEADER_BYTES;
    for (const part of segment) {
      size += partBytes(part);
      minBytes += 'text' in part ? part.text.length : part.ones;
    }
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint8(GLOB_KIND_OFFSET, kind);
  view.setUint8(GLOB_FLAGS_OFFSET, flags);
  view.setUint32(GLOB_SEGMENT_COUNT_OFFSET, segments.length, true);
  view.setUint32(GLOB_MIN_BYTES_OFFSET, minBytes, true);
  view.setUint32(GLOB_BYTE_LENGTH_OFFSET, size, true);
  let at = GLOB_HEADER_BYTES;
  for (const segment of segments) {
    const start = at;
    at += SEGMENT_HEADER_BYTES;
    for (const part of segment) {
      if ('text' in part) {
        if (part.text.length >= PART_ONES) throw new RangeError('glob text run too long to encode');
        view.setUint32(at, part.text.length, true);
        out.set(part.text, at + PART_HEAD_BYTES);
      } else {
        view.setUint32(at, (PART_ONES | part.ones) >>> 0, true);
      }
      at += partBytes(part);
    }
    view.setUint32(start + SEGMENT_PART_COUNT_OFFSET, segment.length, true);
    view.setUint32(start + SEGMENT_BYTE_LENGTH_OFFSET, at - start, true);
  }
  return out;
}
