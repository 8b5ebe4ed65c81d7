// Framing by bracket balance (DESIGN.md section 4, "Framing"), byte for byte the rules the reference reader
// (src/input/json-events.ts) applies to text. The extracting parser frames valid records itself; this framer
// decides the extent of everything else (invalid records, too-large records, records cut off by the end of the
// input) and runs the skips that the framing state carries from one chunk to the next.
import {
  CH_BACKSLASH, CH_COMMA, CH_LBRACE, CH_LBRACKET, CH_LF, CH_QUOTE, CH_RBRACE, CH_RBRACKET, SKIP_DEPTH_LIMIT,
} from './constants';
import { findByte } from './lexer';

// ---- frameRecord outcomes ----
/** The record closed: framePos is the position after it (or, for an array element, of its separator). */
@inline export const F_CLOSED: u32 = 0;
/** NDJSON: the line ended inside the record; framePos is the newline. */
@inline export const F_NEWLINE: u32 = 1;
/** The record passed the size limit; framePos is after the byte that did it, the balance state is in frame*. */
@inline export const F_TOO_LARGE: u32 = 2;
/** The input ended inside the record. */
@inline export const F_EOF: u32 = 3;

export let framePos: usize = 0;
/** Newlines inside the framed bytes (up to framePos). */
export let frameLines: u32 = 0;
/** The record crossed a newline (decides the format after the first record). */
export let frameCrossed: bool = false;
/** With F_TOO_LARGE: the record had closed with that byte. */
export let frameClosed: bool = false;
// Balance state (F_TOO_LARGE: where the skip continues; the skip runners update it too).
export let frameDepth: u32 = 0;
export let frameInString: bool = false;
export let frameEscaped: bool = false;

/** String-aware bracket balance for one byte (a closer at depth 0, junk in an array element, is ignored). */
@inline function track(c: u32): void {
  if (frameInString) {
    if (frameEscaped) frameEscaped = false;
    else if (c == CH_BACKSLASH) frameEscaped = true;
    else if (c == CH_QUOTE) frameInString = false;
    return;
  }
  if (c == CH_QUOTE) frameInString = true;
  else if (c == CH_LBRACE || c == CH_LBRACKET) frameDepth++;
  else if ((c == CH_RBRACE || c == CH_RBRACKET) && frameDepth > 0) frameDepth--;
}

/**
 * Frame the record starting at `start` (its first byte: `{`/`[` for a record, anything for an array element).
 * An element ends before a `,` or `]` at depth 0; a record when its brackets balance. Mirrors
 * JsonEventReader.recordChar: newline first (NDJSON breaks the line), then the byte counts toward the size.
 */
export function frameRecord(start: usize, end: usize, ndjson: bool, element: bool, maxBytes: u32): u32 {
  frameDepth = 0;
  frameInString = false;
  frameEscaped = false;
  frameCrossed = false;
  frameClosed = false;
  frameLines = 0;
  let p = start;
  let len: usize = 0;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (element && !frameInString && frameDepth == 0 && (c == CH_COMMA || c == CH_RBRACKET)) {
      framePos = p;
      return F_CLOSED;
    }
    if (c == CH_LF) {
      if (ndjson) {
        framePos = p;
        return F_NEWLINE;
      }
      frameLines++;
      frameCrossed = true;
    }
    len++;
    track(c);
    p++;
    let closed = !element && frameDepth == 0 && !frameInString;
    if (len > <usize>maxBytes) {
      framePos = p;
      frameClosed = closed;
      return F_TOO_LARGE;
    }
    if (closed) {
      framePos = p;
      return F_CLOSED;
    }
  }
  framePos = end;
  return F_EOF;
}

// ---- skips carried across chunks (they report through framePos / frameLines) ----

/** Skip to the end of the line: true when the newline was found (framePos after it), false at the end of input. */
export function skipLine(p: usize, end: usize): bool {
  let q = findByte(p, end, CH_LF);
  frameLines = 0;
  if (q >= end) {
    framePos = end;
    return false;
  }
  frameLines = 1;
  framePos = q + 1;
  return true;
}

// Outcomes of the balanced skips.
@inline export const SKIP_ENDED: u32 = 0;
@inline export const SKIP_TOO_DEEP: u32 = 1;
@inline export const SKIP_MORE: u32 = 2;

/**
 * Skip a too-large record to its balanced end, from the balance state in frame* (frameCrossed too). SKIP_ENDED:
 * framePos is after the closing byte; SKIP_TOO_DEEP: nesting passed SKIP_DEPTH_LIMIT, framePos after that byte
 * (the rest of the line is skipped instead); SKIP_MORE: the input ended first.
 */
export function skipBalanced(p: usize, end: usize): u32 {
  frameLines = 0;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (c == CH_LF) {
      frameLines++;
      frameCrossed = true;
    }
    track(c);
    p++;
    if (frameDepth > SKIP_DEPTH_LIMIT) {
      framePos = p;
      return SKIP_TOO_DEEP;
    }
    if (frameDepth == 0 && !frameInString) {
      framePos = p;
      return SKIP_ENDED;
    }
  }
  framePos = end;
  return SKIP_MORE;
}

/**
 * Skip a too-large array element up to its separator (not consumed). SKIP_ENDED: framePos is the separator;
 * SKIP_TOO_DEEP and SKIP_MORE as for skipBalanced.
 */
export function skipElement(p: usize, end: usize): u32 {
  frameLines = 0;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (!frameInString && frameDepth == 0 && (c == CH_COMMA || c == CH_RBRACKET)) {
      framePos = p;
      return SKIP_ENDED;
    }
    if (c == CH_LF) frameLines++;
    track(c);
    p++;
    if (frameDepth > SKIP_DEPTH_LIMIT) {
      framePos = p;
      return SKIP_TOO_DEEP;
    }
  }
  framePos = end;
  return SKIP_MORE;
}
