// Framing by bracket balance and record lines (DESIGN.md section 4, "Framing"), byte for byte the rules the
// reference reader (src/input/json-events.ts) applies to text. The extracting parser frames valid records itself;
// this framer decides the extent of everything else (invalid records, too-large records, records cut off by the end
// of the input or by the next record line, junk) and runs the skips that the framing state carries from one chunk
// to the next. It resumes where it stopped: every byte of a record that spans chunks is framed once.
import {
  CH_BACKSLASH, CH_COMMA, CH_CR, CH_LBRACE, CH_LBRACKET, CH_LF, CH_QUOTE, CH_RBRACE, CH_RBRACKET, CH_SPACE, CH_TAB,
  INDENT_LIMIT, SKIP_DEPTH_LIMIT,
} from './constants';
import { findByte } from './lexer';

// ---- what is framed ----
/** A record (`{` or `[` outside an array): ends when its brackets balance. */
@inline export const K_RECORD: u32 = 0;
/** An array element: ends before a `,` or `]` at depth 0. */
@inline export const K_ELEMENT: u32 = 1;
/** A too-large record being skipped to its balanced end. */
@inline export const K_SKIP_BALANCED: u32 = 2;
/** A too-large array element being skipped to its separator. */
@inline export const K_SKIP_ELEMENT: u32 = 3;
/** Junk, or a record that can no longer close: skipped to the next record line. */
@inline export const K_SKIP_UNIT: u32 = 4;

// ---- outcomes ----
/** A record closed (framePos after it), an element reached its separator (framePos at it), a skip ended. */
@inline export const F_CLOSED: u32 = 0;
/** NDJSON: the line ended inside the record; framePos is the newline. */
@inline export const F_NEWLINE: u32 = 1;
/** The record passed the size limit; framePos is after the byte that did it (frameClosed: it closed there). */
@inline export const F_TOO_LARGE: u32 = 2;
/** The input ended inside the unit. */
@inline export const F_EOF: u32 = 3;
/** A record line starts at framePos (its `{`): the unit ends before it. */
@inline export const F_CUT: u32 = 4;
/** A line ended inside a string (framePos after the newline): the unit can no longer close. */
@inline export const F_BROKEN: u32 = 5;
/** A skip's nesting passed SKIP_DEPTH_LIMIT (framePos after that byte): the rest is skipped as junk. */
@inline export const F_TOO_DEEP: u32 = 6;

export let framePos: usize = 0;
/** Newlines framed by the last call (up to framePos). */
export let frameLines: u32 = 0;
/** The record crossed a newline (decides the format after the first record). */
export let frameCrossed: bool = false;
/** With F_TOO_LARGE: the record had closed with that byte. */
export let frameClosed: bool = false;
// Balance state of the unit in hand (carried across calls by the scanner).
export let frameDepth: u32 = 0;
export let frameInString: bool = false;
export let frameEscaped: bool = false;
/**
 * The cut column: the indentation of the line where the last record or object/array element began as the first
 * thing on its line (records of one input begin at one indentation; a line starting an object there starts a
 * record). 0 when an input starts; unknown (INDENT_LIMIT: every line starting an object cuts) when an array opens.
 */
export let frameCut: u32 = 0;
/** The current line: its indentation so far, and whether its first other byte is still to come. */
export let lineIndent: u32 = 0;
export let lineAtStart: bool = true;

/** Restore the framing state the scanner carried across calls. */
export function frameRestore(depth: u32, inString: bool, escaped: bool, crossed: bool, cut: u32, indent: u32, atStart: bool): void {
  frameDepth = depth;
  frameInString = inString;
  frameEscaped = escaped;
  frameCrossed = crossed;
  frameCut = cut;
  lineIndent = indent;
  lineAtStart = atStart;
}

/** Start framing a new unit on the current line. */
export function frameBegin(): void {
  frameDepth = 0;
  frameInString = false;
  frameEscaped = false;
  frameCrossed = false;
  frameClosed = false;
}

/**
 * A record or an element starting with `c` begins here: when it is an object or array and the first thing on its
 * line, its indentation is the cut column.
 */
export function recordBegins(firstOfLine: bool, c: u32): void {
  if (firstOfLine && (c == CH_LBRACE || c == CH_LBRACKET)) frameCut = lineIndent;
}

/** An array opens: where its elements begin is not known yet (every line starting an object cuts until then). */
export function arrayOpens(): void {
  frameCut = INDENT_LIMIT;
}

/** The line state after bytes the parser read: a record that crossed lines ends on a line of the given indentation. */
export function lineAfterParse(crossedLines: bool, lastIndent: u32): void {
  if (crossedLines) lineIndent = lastIndent;
  lineAtStart = false;
}

/** A newline was consumed outside the framer. */
export function lineBreak(): void {
  lineIndent = 0;
  lineAtStart = true;
}

/** A space, tab or CR was consumed outside the framer. */
@inline export function lineSpace(): void {
  if (lineAtStart && lineIndent < INDENT_LIMIT) lineIndent++;
}

/** Any other byte was consumed outside the framer. */
@inline export function lineText(): void {
  lineAtStart = false;
}

/** The line of the input's last byte, given the current line: a final newline belongs to the line it ends. */
export function lastLineOf(line: u32): u32 {
  return lineAtStart && lineIndent == 0 && line > 1 ? line - 1 : line;
}

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
 * Frame bytes [p, end) of the unit that starts at `start`, from the balance and line state in frame* / line*.
 * Mirrors JsonEventReader: at the first byte of a line after its indentation, a record line (`{`, or `[` when
 * `brackets`, no deeper than frameCut) ends the unit (outside NDJSON); then an element's separator; then a newline
 * (NDJSON breaks the record; inside a string it breaks the unit); then the byte counts toward the size limit.
 */
export function frame(kind: u32, start: usize, p: usize, end: usize, ndjson: bool, brackets: bool, maxBytes: u32): u32 {
  frameLines = 0;
  let elementLike = kind == K_ELEMENT || kind == K_SKIP_ELEMENT;
  let sized = kind == K_RECORD || kind == K_ELEMENT;
  while (p < end) {
    let c = <u32>load<u8>(p);
    if (lineAtStart) {
      if (c == CH_SPACE || c == CH_TAB || c == CH_CR) {
        if (lineIndent < INDENT_LIMIT) lineIndent++;
      } else if (c != CH_LF) {
        if (!ndjson && lineIndent <= frameCut && (c == CH_LBRACE || (brackets && c == CH_LBRACKET))) {
          framePos = p; // not consumed: the byte starts the next unit, still the first of its line
          return F_CUT;
        }
        lineAtStart = false;
      }
    }
    if (kind == K_SKIP_UNIT) {
      if (c == CH_LF) {
        frameLines++;
        lineBreak();
        p++;
      } else if (lineAtStart) p++;
      else p = findByte(p + 1, end, CH_LF); // nothing matters before the next line
      continue;
    }
    if (elementLike && !frameInString && frameDepth == 0 && (c == CH_COMMA || c == CH_RBRACKET)) {
      framePos = p;
      return F_CLOSED;
    }
    if (c == CH_LF) {
      if (ndjson && sized) {
        framePos = p;
        return F_NEWLINE;
      }
      frameLines++;
      frameCrossed = true;
      lineBreak();
      if (frameInString) {
        framePos = p + 1;
        return F_BROKEN;
      }
    }
    track(c);
    p++;
    if (sized) {
      let closed = kind == K_RECORD && frameDepth == 0 && !frameInString;
      if (p - start > <usize>maxBytes) {
        framePos = p;
        frameClosed = closed;
        return F_TOO_LARGE;
      }
      if (closed) {
        framePos = p;
        return F_CLOSED;
      }
    } else {
      if (frameDepth > SKIP_DEPTH_LIMIT) {
        framePos = p;
        return F_TOO_DEEP;
      }
      if (kind == K_SKIP_BALANCED && frameDepth == 0 && !frameInString) {
        framePos = p;
        return F_CLOSED;
      }
    }
  }
  framePos = end;
  return F_EOF;
}

/** NDJSON: skip to the end of the line: true when the newline was found (framePos after it), false at the end. */
export function skipLine(p: usize, end: usize): bool {
  let q = findByte(p, end, CH_LF);
  frameLines = 0;
  if (q >= end) {
    framePos = end;
    return false;
  }
  frameLines = 1;
  framePos = q + 1;
  lineBreak();
  return true;
}
