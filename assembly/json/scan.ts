// The bytes path's entry point: frame the records of one input chunk (NDJSON, a JSON array, or JSON values one
// after another; DESIGN.md section 4 "Framing", the same rules src/input/json-events.ts applies to text), extract
// each event's referenced fields into the value store (extract.ts) and hand the event to the VM.
//
// Chunks: the host keeps the input region's unconsumed bytes in place, appends the next chunk after them and calls
// again. Only whole units are consumed (CTX_CONSUMED). What must survive between calls (the format, a skip in
// progress, the line state, and how far a record cut off by the chunk's end was already framed) is the framing
// block of the context (CTX_FRAMING.., FRAMING_WORDS words), which the host zeroes for a new input. A record that
// spans many chunks is framed once, resuming where the last call stopped, and parsed when it closes.
import {
  CTX_CONSUMED, CTX_EVENT_BASE, CTX_EVENT_COUNT, CTX_FLAGS, CTX_FRAMING, CTX_FRAMING_DEPTH, CTX_FRAMING_LINE,
  CTX_FRAMING_UNIT_LINE, CTX_FRAMING_UNIT_NOTE, CTX_INPUT_LEN, CTX_INPUT_PTR, CTX_LINE_BASE, CTX_LINE_COUNT,
  CTX_NOTE_COUNT, CTX_NOTES_CAP, CTX_NOTES_PTR, CTX_RESUME_AT, CTX_RESUME_END, CTX_RESUME_LINES, CTX_STATUS,
  CTX_STATUS_DETAIL, FLAG_EVTX_JSON, FLAG_FINAL, FRAMING_NDJSON, NOTE_BYTES, NOTE_DETAIL, NOTE_END, NOTE_END_LINE,
  NOTE_FALLBACK, NOTE_KIND, NOTE_LINE, NOTE_MALFORMED, NOTE_NOT_OBJECT, NOTE_START, NOTE_TOO_LARGE, NOTES_MIN_CAP, STATUS_ARENA_FULL,
  STATUS_NOTES_FULL, STATUS_OK,
} from '../context';
import { BANK_EVTX_JSON, BANK_FLAT, storeBeginEvent, storeSelectBank } from '../store/values';
import {
  BOM_0, BOM_1, BOM_2, BOM_BYTES, CH_COMMA, CH_CR, CH_LBRACE, CH_LBRACKET, CH_LF, CH_RBRACKET, CH_SPACE, CH_TAB,
  DEFAULT_MAX_RECORD_BYTES, MALFORMED_ARRAY_JUNK, MALFORMED_ARRAY_UNCLOSED, MALFORMED_CUT, MALFORMED_EMPTY_ELEMENT,
  MALFORMED_ARRAY_REOPENED, MALFORMED_JUNK, MALFORMED_MISSING_COMMA, MALFORMED_NEWLINE, MALFORMED_STRING_NEWLINE, MALFORMED_SYNTAX,
  MALFORMED_TRAILING, MALFORMED_TRUNCATED, P_ARENA_FULL, P_FAIL, P_OK, SKIP_DEPTH_LIMIT, STATUS_EVENT_FALLBACK,
} from './constants';
import { evtxJsonEnabled, parseRecord, recordEnd, recordEvtxJson, recordFallback, recordIsObject } from './extract';
import {
  F_BROKEN, F_CLOSED, F_CUT, F_EOF, F_NEWLINE, F_TOO_DEEP, F_TOO_LARGE, K_ELEMENT, K_RECORD, K_SKIP_BALANCED,
  K_SKIP_ELEMENT, K_SKIP_UNIT, arrayOpens, frame, frameBegin, frameClosed, frameCrossed, frameCut, frameDepth,
  frameEscaped, frameInString, frameLines, framePos, frameRestore, lastLineOf, lineAfterParse, lineAtStart, lineBreak,
  lineIndent, lineSpace, lineText, recordBegins, skipLine,
} from './framing';
import { byteAt, gCutSeen, gLastIndent, gLines, gNeed, limitEndsValue, skipWs, watchRecordLines } from './lexer';
import { scratchAttach, scratchBytes } from './scratch';
import { trieIsValid } from './trie';

export { STATUS_EVENT_FALLBACK } from './constants';

/**
 * Called for each event the scanner extracted (its fields are in the value store, the bank selected). Returns a
 * STATUS_* of the context block: STATUS_OK goes on; STATUS_EVENT_FALLBACK makes it a fallback event (a note);
 * anything else stops the call before this event (CTX_CONSUMED = its start; it is scanned again next call).
 */
export type EventHandler = (eventIndex: u32, recordStart: usize, recordEnd: usize, line: u32) => u32;

// ---- CTX_FRAMING ----
@inline const MODE_UNKNOWN: u32 = 0;
@inline const MODE_NDJSON: u32 = FRAMING_NDJSON;
@inline const MODE_CONCAT: u32 = 2;
/** A JSON array, just after `[` (an element or `]`). */
@inline const MODE_ARRAY_OPEN: u32 = 3;
/** A JSON array, after `,` (an element). */
@inline const MODE_ARRAY_NEXT: u32 = 4;
/** A JSON array, after an element (`,` or `]`). */
@inline const MODE_ARRAY_AFTER: u32 = 5;
@inline const MODE_ARRAY_CLOSED: u32 = 6;
@inline const MODE_MASK: u32 = 7;
@inline const SKIP_SHIFT: u32 = 3;
@inline const SKIP_MASK: u32 = 7;
@inline const SKIP_NONE: u32 = 0;
/** NDJSON: skip to the end of the line. */
@inline const SKIP_LINE: u32 = 1;
/** Skip a too-large record to its balanced end (or the next record line). */
@inline const SKIP_BALANCED: u32 = 2;
/** Skip a too-large array element to its separator (or the next record line). */
@inline const SKIP_ELEMENT: u32 = 3;
/** Skip junk, or a record that can no longer close, to the next record line. */
@inline const SKIP_UNIT: u32 = 4;
/** The record at the input's start was framed up to CTX_RESUME_AT: go on from there. */
@inline const RESUME_RECORD: u32 = 5;
/** The element at the input's start was framed up to CTX_RESUME_AT: go on from there. */
@inline const RESUME_ELEMENT: u32 = 6;
/** NDJSON: the record at the input's start (CTX_RESUME_END bytes) closed; its line is whitespace up to CTX_RESUME_AT. */
@inline const RESUME_TRAILING: u32 = 7;
@inline const STATE_IN_STRING: u32 = 1 << 6;
@inline const STATE_ESCAPED: u32 = 1 << 7;
@inline const STATE_CROSSED: u32 = 1 << 8;
/** Set once the current line's first byte after its indentation was seen (zero: at a line start, as an input begins). */
@inline const STATE_PAST_LINE_START: u32 = 1 << 9;
@inline const STATE_DAMAGED: u32 = 1 << 10;
// CTX_FRAMING_LINE and CTX_FRAMING_UNIT_NOTE
@inline const HALF_SHIFT: u32 = 16;
@inline const HALF_MASK: u32 = 0xffff;
@inline const NOTE_DETAIL_SHIFT: u32 = 8;
@inline const NOTE_BYTE_MASK: u32 = 0xff;

// What bomAt finds.
@inline const BOM_NONE: u32 = 0;
@inline const BOM_WHOLE: u32 = 1;
/** The input ends inside what may be a BOM: the next chunk decides. */
@inline const BOM_CUT: u32 = 2;


let maxRecordBytes: u32 = DEFAULT_MAX_RECORD_BYTES;

// ---- the call in progress ----
let inputBase: usize = 0;
let inputEnd: usize = 0;
let isFinal: bool = false;
let eventBase: u32 = 0;
let lineBase: u32 = 0;
let notes: usize = 0;
let notesCap: u32 = 0;
let noteCount: u32 = 0;
/** Everything before pos is consumed; lines, events, mode and skip describe the input up to pos. */
let pos: usize = 0;
let lines: u32 = 0;
let events: u32 = 0;
let mode: u32 = MODE_UNKNOWN;
let skip: u32 = SKIP_NONE;
let status: u32 = STATUS_OK;
let statusDetail: u32 = 0;
/** The unit being skipped: its first line and its note (kind, detail). */
let unitLine: u32 = 0;
let unitKind: u32 = 0;
let unitDetail: u32 = 0;
/** Something was malformed before the format was decided. */
let damaged: bool = false;
let resumeAt: u32 = 0;
let resumeLines: u32 = 0;
let resumeEnd: u32 = 0;

/** Scratch bytes the scanner needs for this trie (the host allocates them and passes them to scannerAttach). */
export function scannerScratchBytes(triePtr: usize): usize {
  return scratchBytes(triePtr);
}

/** Attach the field trie and the scanner's scratch. False when the trie is not one this scanner reads. */
export function scannerAttach(triePtr: usize, scratchPtr: usize): bool {
  if (!trieIsValid(triePtr)) return false;
  scratchAttach(triePtr, scratchPtr);
  return true;
}

/** Largest record accepted (framing rule 6); larger ones are noted and skipped. Kept until changed. */
export function scannerSetMaxRecordBytes(bytes: u32): void {
  maxRecordBytes = bytes;
}

function note(kind: u32, line: u32, endLine: u32, start: usize, end: usize, detail: u32): void {
  if (mode == MODE_UNKNOWN && kind != NOTE_FALLBACK) damaged = true;
  let n = notes + <usize>noteCount * NOTE_BYTES;
  store<u32>(n, kind, NOTE_KIND);
  store<u32>(n, line, NOTE_LINE);
  store<u32>(n, endLine > line ? endLine : line, NOTE_END_LINE);
  store<u32>(n, <u32>(start - inputBase), NOTE_START);
  store<u32>(n, <u32>(end - inputBase), NOTE_END);
  store<u32>(n, detail, NOTE_DETAIL);
  noteCount++;
}

/** Stop the call: the notes buffer is full (nothing of the current unit is consumed). */
@inline function stopNotes(): bool {
  status = STATUS_NOTES_FULL;
  return false;
}

/** The current line (of the byte at the scan's position after `more` newlines past pos). */
@inline function lineAt(more: u32): u32 {
  return lineBase + lines + more;
}

@inline function recordLimit(start: usize): usize {
  // One byte past the limit is enough to tell that a record is too large.
  let limit = start + <usize>maxRecordBytes + 1;
  return limit < inputEnd && limit > start ? limit : inputEnd;
}

/** Is there a BOM (EF BB BF) at p? */
function bomAt(p: usize): u32 {
  if (p + BOM_BYTES <= inputEnd) {
    return byteAt(p + 1) == BOM_1 && byteAt(p + 2) == BOM_2 ? BOM_WHOLE : BOM_NONE;
  }
  if (p + 1 < inputEnd && byteAt(p + 1) != BOM_1) return BOM_NONE;
  return BOM_CUT;
}

/**
 * The first record that closes decides the format: NDJSON if it closed on the line it started on and nothing before
 * it was malformed (a damaged start proves nothing: a cut-off fragment may close on one line), else multi-line.
 */
@inline function decided(crossed: bool): u32 {
  return mode != MODE_UNKNOWN ? mode : crossed || damaged ? MODE_CONCAT : MODE_NDJSON;
}

@inline function inArray(): bool {
  return mode >= MODE_ARRAY_OPEN;
}

/** Begin skipping a unit to the next record line; its note is written when the skip ends. */
function beginSkipUnit(line: u32, kind: u32, detail: u32): void {
  skip = SKIP_UNIT;
  unitLine = line;
  unitKind = kind;
  unitDetail = detail;
}

/** A unit is given up before it was consumed (a stop): the next call frames it again from its start. */
function abandonUnit(): void {
  skip = SKIP_NONE;
  frameRestore(0, false, false, false, frameCut, frameCut, false);
}

/** The unit about to start is the first thing on its line. */
let unitFirstOfLine: bool = false;

/** Hand over a framed, valid record [start, end). False to stop the call before it. */
function deliver(onEvent: EventHandler, start: usize, end: usize, line: u32, endLine: u32): bool {
  if (!recordIsObject) {
    note(NOTE_NOT_OBJECT, line, endLine, start, end, 0);
    return true;
  }
  let index = eventBase + events;
  if (recordFallback) {
    note(NOTE_FALLBACK, line, line, start, end, index);
    events++;
    return true;
  }
  storeSelectBank(recordEvtxJson ? BANK_EVTX_JSON : BANK_FLAT);
  let result = onEvent(index, start, end, line);
  if (result == STATUS_OK) {
    events++;
    return true;
  }
  if (result == STATUS_EVENT_FALLBACK) {
    note(NOTE_FALLBACK, line, line, start, end, index);
    events++;
    return true;
  }
  status = result;
  return false;
}

/** Parse [start, end) as one record; P_OK, or why not (P_ARENA_FULL stops the call). */
function parseAgain(start: usize, end: usize, ndjson: bool): u32 {
  storeBeginEvent();
  let r = parseRecord(start, end, ndjson);
  if (r == P_ARENA_FULL) {
    status = STATUS_ARENA_FULL;
    statusDetail = gNeed;
  }
  return r;
}

/** Does [start, end) hold exactly one JSON value (an element's text: the value, then whitespace)? */
function judgeElement(start: usize, end: usize): u32 {
  limitEndsValue(true);
  let r = parseAgain(start, end, false);
  limitEndsValue(false);
  if (r != P_OK) return r;
  return skipWs(recordEnd) >= end ? P_OK : P_FAIL;
}

/** A record (`{` or `[` outside an array) at pos. False to stop the call. */
function scanRecord(onEvent: EventHandler): bool {
  let start = pos;
  let line = lineAt(0);
  let ndjson = mode == MODE_NDJSON;
  let brackets = mode == MODE_UNKNOWN;
  if (skip == RESUME_TRAILING) return trailingWhitespace(onEvent, start, start + <usize>resumeEnd, start + <usize>resumeAt, line, false);
  let f: u32;
  let recordLines: u32;
  let valid = false;
  if (skip == RESUME_RECORD) {
    skip = SKIP_NONE;
    f = frame(K_RECORD, start, start + <usize>resumeAt, inputEnd, ndjson, brackets, maxRecordBytes);
    recordLines = resumeLines + frameLines;
    if (f == F_CLOSED) {
      let r = parseAgain(start, framePos, ndjson);
      if (r == P_ARENA_FULL) {
        abandonUnit();
        return false;
      }
      valid = r == P_OK;
    }
  } else {
    frameBegin();
    recordBegins(unitFirstOfLine, byteAt(start));
    watchRecordLines(frameCut, brackets);
    storeBeginEvent();
    let r = parseRecord(start, recordLimit(start), ndjson);
    if (r == P_ARENA_FULL) {
      status = STATUS_ARENA_FULL;
      statusDetail = gNeed;
      return false;
    }
    if (r == P_OK && !gCutSeen) {
      valid = true;
      f = F_CLOSED;
      framePos = recordEnd;
      recordLines = gLines;
      frameCrossed = gLines > 0;
      lineAfterParse(gLines > 0, gLastIndent);
    } else {
      f = frame(K_RECORD, start, start, inputEnd, ndjson, brackets, maxRecordBytes);
      recordLines = frameLines;
    }
  }
  let endLine = lineAt(recordLines);
  if (f == F_EOF) {
    if (!isFinal) {
      skip = RESUME_RECORD;
      resumeAt = <u32>(inputEnd - start);
      resumeLines = recordLines;
      return false;
    }
    note(NOTE_MALFORMED, line, lastLineOf(endLine), start, inputEnd, MALFORMED_TRUNCATED);
    lines += recordLines;
    pos = inputEnd;
    return true;
  }
  if (f == F_CLOSED) {
    let end = framePos;
    let m = decided(frameCrossed);
    if (end - start > <usize>maxRecordBytes) {
      note(NOTE_TOO_LARGE, line, endLine, start, end, 0);
      mode = m;
      lines += recordLines;
      pos = end;
      if (m == MODE_NDJSON) skip = SKIP_LINE;
      return true;
    }
    if (!valid) {
      note(NOTE_MALFORMED, line, endLine, start, end, MALFORMED_SYNTAX);
      mode = m;
      lines += recordLines;
      pos = end;
      if (m == MODE_NDJSON) skip = SKIP_LINE;
      return true;
    }
    if (m != MODE_NDJSON) {
      if (!deliver(onEvent, start, end, line, endLine)) {
        abandonUnit();
        return false;
      }
      mode = m;
      lines += recordLines;
      pos = end;
      return true;
    }
    mode = m;
    return trailingWhitespace(onEvent, start, end, end, line, true);
  }
  if (f == F_NEWLINE) {
    note(NOTE_MALFORMED, line, line, start, framePos, MALFORMED_NEWLINE);
    lines += recordLines + 1;
    pos = framePos + 1;
    lineBreak();
  } else if (f == F_TOO_LARGE) {
    lines += recordLines;
    pos = framePos;
    if (frameClosed) {
      mode = decided(frameCrossed);
      note(NOTE_TOO_LARGE, line, endLine, start, framePos, 0);
      skip = mode == MODE_NDJSON ? SKIP_LINE : SKIP_NONE;
    } else if (mode == MODE_NDJSON) {
      note(NOTE_TOO_LARGE, line, line, start, framePos, 0);
      skip = SKIP_LINE;
    } else {
      unitLine = line;
      unitKind = NOTE_TOO_LARGE;
      unitDetail = 0;
      skip = frameDepth > SKIP_DEPTH_LIMIT ? SKIP_UNIT : SKIP_BALANCED; // the balance state stays in frame*
    }
  } else if (f == F_CUT) {
    note(NOTE_MALFORMED, line, endLine - 1, start, framePos, MALFORMED_CUT);
    lines += recordLines;
    pos = framePos;
  } else {
    // F_BROKEN: a line ended inside a string.
    beginSkipUnit(line, NOTE_MALFORMED, MALFORMED_STRING_NEWLINE);
    lines += recordLines;
    pos = framePos;
  }
  return true;
}

/**
 * NDJSON: the valid record [start, end) closed; the rest of its line must be whitespace, else the whole line is
 * malformed. `q` is where the whitespace scan goes on; `parsed`: the value store holds the record. False to stop.
 */
function trailingWhitespace(onEvent: EventHandler, start: usize, end: usize, q: usize, line: u32, parsed: bool): bool {
  skip = SKIP_NONE;
  // The size limit holds for the whole line, so that what waits for the line's end stays bounded.
  let limit = start + <usize>maxRecordBytes;
  while (q < inputEnd && q <= limit) {
    let c = byteAt(q);
    if (c == CH_SPACE || c == CH_TAB || c == CH_CR) q++;
    else if (c == BOM_0 && bomAt(q) == BOM_WHOLE) q += BOM_BYTES;
    else break;
  }
  if (q > limit) {
    note(NOTE_TOO_LARGE, line, line, start, q, 0);
    pos = q;
    skip = SKIP_LINE;
    return true;
  }
  if (q >= inputEnd || (byteAt(q) == BOM_0 && bomAt(q) == BOM_CUT)) {
    if (!isFinal) {
      // The line goes on in the next chunk: the record is parsed again then (its values point into this chunk).
      skip = RESUME_TRAILING;
      resumeEnd = <u32>(end - start);
      resumeAt = <u32>(q - start);
      return false;
    }
  }
  if (q < inputEnd && byteAt(q) != CH_LF) {
    note(NOTE_MALFORMED, line, line, start, q, MALFORMED_TRAILING);
    pos = q;
    skip = SKIP_LINE;
    return true;
  }
  // A record resumed here was extracted by an earlier call, whose value pointers are gone.
  if (!parsed && parseAgain(start, end, true) != P_OK) {
    skip = RESUME_TRAILING;
    resumeEnd = <u32>(end - start);
    resumeAt = <u32>(q - start);
    return false;
  }
  if (!deliver(onEvent, start, end, line, line)) {
    skip = RESUME_TRAILING;
    resumeEnd = <u32>(end - start);
    resumeAt = <u32>(q - start);
    return false;
  }
  if (q < inputEnd) {
    lines++;
    pos = q + 1;
    lineBreak();
  } else pos = q;
  return true;
}

/**
 * An element of a JSON array at pos: an object or array ends where its brackets balance, like a record (what follows
 * is read between elements); any other value runs up to `,` or `]` at depth 0. False to stop the call.
 */
function scanElement(onEvent: EventHandler): bool {
  let start = pos;
  let line = lineAt(0);
  let first = byteAt(start);
  let container = first == CH_LBRACE || first == CH_LBRACKET;
  let kind = container ? K_RECORD : K_ELEMENT;
  let f: u32;
  let elementLines: u32;
  let valid = false;
  if (skip == RESUME_ELEMENT) {
    skip = SKIP_NONE;
    f = frame(kind, start, start + <usize>resumeAt, inputEnd, false, false, maxRecordBytes);
    elementLines = resumeLines + frameLines;
    if (container && f == F_CLOSED) {
      let r = parseAgain(start, framePos, false);
      if (r == P_ARENA_FULL) {
        abandonUnit();
        return false;
      }
      valid = r == P_OK;
    }
  } else {
    frameBegin();
    recordBegins(unitFirstOfLine, first);
    watchRecordLines(frameCut, false);
    storeBeginEvent();
    let limit = recordLimit(start);
    let r = parseRecord(start, limit, false);
    if (r == P_ARENA_FULL) {
      status = STATUS_ARENA_FULL;
      statusDetail = gNeed;
      return false;
    }
    if (r == P_OK && !gCutSeen && container) {
      valid = true;
      f = F_CLOSED;
      framePos = recordEnd;
      elementLines = gLines;
      lineAfterParse(gLines > 0, gLastIndent);
    } else {
      if (r == P_OK && !gCutSeen) {
        // JSON whitespace between the value and the separator is part of the element (JSON.parse accepts it).
        let q = skipWs(recordEnd);
        if (q < limit && (byteAt(q) == CH_COMMA || byteAt(q) == CH_RBRACKET)) {
          // Read the element's line state before delivering: evaluating the event may re-run the lexer (keyword leaves).
          let parsedLines = gLines;
          let lastIndent = gLastIndent;
          if (!deliver(onEvent, start, recordEnd, line, lineAt(parsedLines))) return false;
          lines += parsedLines;
          lineAfterParse(parsedLines > 0, lastIndent);
          pos = q;
          mode = MODE_ARRAY_AFTER;
          return true;
        }
      }
      frameBegin();
      f = frame(kind, start, start, inputEnd, false, false, maxRecordBytes);
      elementLines = frameLines;
    }
  }
  let endLine = lineAt(elementLines);
  if (f == F_EOF && !isFinal) {
    skip = RESUME_ELEMENT;
    resumeAt = <u32>(inputEnd - start);
    resumeLines = elementLines;
    return false;
  }
  if (container && f == F_CLOSED) {
    let end = framePos;
    if (end - start > <usize>maxRecordBytes) note(NOTE_TOO_LARGE, line, endLine, start, end, 0);
    else if (!valid) note(NOTE_MALFORMED, line, endLine, start, end, MALFORMED_SYNTAX);
    else if (!deliver(onEvent, start, end, line, endLine)) {
      abandonUnit();
      return false;
    }
    lines += elementLines;
    pos = end;
    mode = MODE_ARRAY_AFTER;
    return true;
  }
  if (!container && (f == F_CLOSED || ((f == F_EOF || f == F_CUT) && frameDepth == 0 && !frameInString))) {
    // A whole value: before its separator, at the end of the input (the array's missing `]` is noted apart), or
    // before a record line (a missing `,`).
    let end = framePos;
    let lastLine = f == F_EOF ? lastLineOf(endLine) : f == F_CUT ? endLine - 1 : endLine;
    let r = judgeElement(start, end);
    if (r == P_ARENA_FULL) {
      abandonUnit();
      return false;
    }
    if (r == P_OK) {
      if (!deliver(onEvent, start, end, line, lastLine)) {
        abandonUnit();
        return false;
      }
    } else note(NOTE_MALFORMED, line, lastLine, start, end, f == F_EOF ? MALFORMED_TRUNCATED : MALFORMED_SYNTAX);
    lines += elementLines;
    pos = end;
    if (f == F_CUT) {
      note(NOTE_MALFORMED, endLine, endLine, end, end, MALFORMED_MISSING_COMMA);
      mode = MODE_ARRAY_NEXT;
    } else if (f == F_CLOSED) mode = MODE_ARRAY_AFTER;
    return true;
  }
  lines += elementLines;
  pos = framePos;
  if (f == F_EOF) {
    note(NOTE_MALFORMED, line, lastLineOf(endLine), start, inputEnd, MALFORMED_TRUNCATED);
  } else if (f == F_TOO_LARGE) {
    if (frameClosed) {
      note(NOTE_TOO_LARGE, line, endLine, start, framePos, 0);
      mode = MODE_ARRAY_AFTER;
    } else {
      unitLine = line;
      unitKind = NOTE_TOO_LARGE;
      unitDetail = 0;
      skip = frameDepth > SKIP_DEPTH_LIMIT ? SKIP_UNIT : container ? SKIP_BALANCED : SKIP_ELEMENT;
    }
  } else if (f == F_CUT) {
    note(NOTE_MALFORMED, line, endLine - 1, start, framePos, MALFORMED_CUT);
    mode = MODE_ARRAY_NEXT;
  } else {
    // F_BROKEN
    beginSkipUnit(line, NOTE_MALFORMED, MALFORMED_STRING_NEWLINE);
  }
  return true;
}

/** Run the skip in progress (balanced, element, unit). False when the input ended first. */
function runSkip(): bool {
  let kind = skip == SKIP_BALANCED ? K_SKIP_BALANCED : skip == SKIP_ELEMENT ? K_SKIP_ELEMENT : K_SKIP_UNIT;
  let r = frame(kind, pos, pos, inputEnd, false, mode == MODE_UNKNOWN, 0);
  let endLine = lineAt(frameLines);
  if (r == F_EOF) {
    lines += frameLines;
    pos = inputEnd;
    return false;
  }
  if (r == F_BROKEN || r == F_TOO_DEEP) {
    lines += frameLines;
    pos = framePos;
    skip = SKIP_UNIT;
    return true;
  }
  if (r == F_CUT) {
    note(unitKind, unitLine, endLine - 1, framePos, framePos, unitDetail);
    if (inArray() && mode != MODE_ARRAY_CLOSED) mode = MODE_ARRAY_NEXT;
  } else {
    // F_CLOSED: a balanced end, or an element's separator.
    mode = skip == SKIP_BALANCED && !inArray() ? decided(frameCrossed) : MODE_ARRAY_AFTER;
    note(unitKind, unitLine, endLine, framePos, framePos, unitDetail);
  }
  lines += frameLines;
  pos = framePos;
  skip = r == F_CLOSED && skip == SKIP_BALANCED && mode == MODE_NDJSON ? SKIP_LINE : SKIP_NONE;
  return true;
}

/**
 * Scan the input region of the context block: frame records, extract each valid object into the value store and
 * call onEvent. Writes CTX_STATUS (OK, NOTES_FULL, ARENA_FULL with CTX_STATUS_DETAIL = bytes needed, or what
 * onEvent returned), CTX_CONSUMED, CTX_EVENT_COUNT, CTX_LINE_COUNT, CTX_NOTE_COUNT and the framing block.
 */
export function scanInput(ctx: usize, onEvent: EventHandler): void {
  inputBase = <usize>load<u32>(ctx, CTX_INPUT_PTR);
  inputEnd = inputBase + <usize>load<u32>(ctx, CTX_INPUT_LEN);
  let flags = load<u32>(ctx, CTX_FLAGS);
  isFinal = (flags & FLAG_FINAL) != 0;
  evtxJsonEnabled = (flags & FLAG_EVTX_JSON) != 0;
  eventBase = load<u32>(ctx, CTX_EVENT_BASE);
  lineBase = load<u32>(ctx, CTX_LINE_BASE);
  notes = <usize>load<u32>(ctx, CTX_NOTES_PTR);
  notesCap = load<u32>(ctx, CTX_NOTES_CAP);
  noteCount = 0;
  let framing = load<u32>(ctx, CTX_FRAMING);
  let lineWord = load<u32>(ctx, CTX_FRAMING_LINE);
  let unitNote = load<u32>(ctx, CTX_FRAMING_UNIT_NOTE);
  mode = framing & MODE_MASK;
  skip = (framing >> SKIP_SHIFT) & SKIP_MASK;
  frameRestore(
    load<u32>(ctx, CTX_FRAMING_DEPTH), (framing & STATE_IN_STRING) != 0, (framing & STATE_ESCAPED) != 0,
    (framing & STATE_CROSSED) != 0, lineWord >> HALF_SHIFT, lineWord & HALF_MASK, (framing & STATE_PAST_LINE_START) == 0,
  );
  damaged = (framing & STATE_DAMAGED) != 0;
  unitLine = load<u32>(ctx, CTX_FRAMING_UNIT_LINE);
  unitKind = unitNote & NOTE_BYTE_MASK;
  unitDetail = (unitNote >> NOTE_DETAIL_SHIFT) & NOTE_BYTE_MASK;
  resumeAt = load<u32>(ctx, CTX_RESUME_AT);
  resumeLines = load<u32>(ctx, CTX_RESUME_LINES);
  resumeEnd = load<u32>(ctx, CTX_RESUME_END);
  pos = inputBase;
  lines = 0;
  events = 0;
  status = STATUS_OK;
  statusDetail = 0;

  while (true) {
    if (noteCount + NOTES_MIN_CAP > notesCap) {
      // A unit writes at most two notes (an element and its missing `,`): room for them first, so units never split.
      stopNotes();
      break;
    }
    // ---- skips in progress ----
    if (skip == SKIP_LINE) {
      if (!skipLine(pos, inputEnd)) {
        pos = inputEnd;
        break;
      }
      pos = framePos;
      lines++;
      skip = SKIP_NONE;
      continue;
    }
    if (skip == SKIP_BALANCED || skip == SKIP_ELEMENT || skip == SKIP_UNIT) {
      if (!runSkip()) break;
      continue;
    }
    if (skip == RESUME_RECORD || skip == RESUME_TRAILING) {
      if (!scanRecord(onEvent)) break;
      continue;
    }
    if (skip == RESUME_ELEMENT) {
      if (!scanElement(onEvent)) break;
      continue;
    }

    // ---- whitespace between records: space, tab, CR, LF, BOM ----
    let c: u32 = 0;
    let cut = false;
    while (pos < inputEnd) {
      c = byteAt(pos);
      if (c == CH_SPACE || c == CH_TAB || c == CH_CR) {
        lineSpace();
        pos++;
      } else if (c == CH_LF) {
        lines++;
        lineBreak();
        pos++;
      } else if (c == BOM_0) {
        let bom = bomAt(pos);
        if (bom == BOM_WHOLE) {
          lineText();
          pos += BOM_BYTES;
        } else {
          cut = bom == BOM_CUT && !isFinal;
          break;
        }
      } else break;
    }
    if (cut || pos >= inputEnd) break;
    unitFirstOfLine = lineAtStart;
    lineText();
    let line = lineAt(0);

    if (inArray()) {
      if (mode == MODE_ARRAY_AFTER && (c == CH_COMMA || c == CH_RBRACKET)) {
        mode = c == CH_COMMA ? MODE_ARRAY_NEXT : MODE_ARRAY_CLOSED;
        pos++;
        continue;
      }
      if (mode == MODE_ARRAY_AFTER && c == CH_LBRACE) {
        // A missing `,` loses nothing: the object is the next element.
        note(NOTE_MALFORMED, line, line, pos, pos, MALFORMED_MISSING_COMMA);
        mode = MODE_ARRAY_NEXT;
        if (!scanElement(onEvent)) {
          if (skip != RESUME_ELEMENT) {
            noteCount--; // taken back: the next call finds the `{` again, and notes it then
            mode = MODE_ARRAY_AFTER;
          }
          break;
        }
        continue;
      }
      if (mode == MODE_ARRAY_AFTER) {
        frameBegin();
        beginSkipUnit(line, NOTE_MALFORMED, MALFORMED_ARRAY_JUNK);
        continue;
      }
      if (mode == MODE_ARRAY_CLOSED) {
        if (c == CH_LBRACKET) {
          mode = MODE_ARRAY_OPEN; // arrays one after another
          arrayOpens();
          pos++;
          continue;
        }
        if (c == CH_LBRACE) {
          // An object after the `]`: the array was closed by damage (or records follow it); nothing is lost, the
          // object is read as the next element.
          note(NOTE_MALFORMED, line, line, pos, pos, MALFORMED_ARRAY_REOPENED);
          mode = MODE_ARRAY_NEXT;
          if (!scanElement(onEvent)) {
            if (skip != RESUME_ELEMENT) {
              noteCount--; // taken back: the next call finds the `{` again, and notes it then
              mode = MODE_ARRAY_CLOSED;
            }
            break;
          }
          continue;
        }
        note(NOTE_MALFORMED, line, line, pos, pos, MALFORMED_ARRAY_JUNK);
        skip = SKIP_LINE;
        continue;
      }
      if (c == CH_RBRACKET && mode == MODE_ARRAY_OPEN) {
        mode = MODE_ARRAY_CLOSED;
        pos++;
        continue;
      }
      if (c == CH_COMMA || c == CH_RBRACKET) {
        note(NOTE_MALFORMED, line, line, pos, pos, MALFORMED_EMPTY_ELEMENT);
        mode = c == CH_COMMA ? MODE_ARRAY_NEXT : MODE_ARRAY_CLOSED;
        pos++;
        continue;
      }
      if (!scanElement(onEvent)) break;
      continue;
    }
    if (mode == MODE_UNKNOWN && c == CH_LBRACKET) {
      mode = MODE_ARRAY_OPEN;
      arrayOpens();
      pos++;
      continue;
    }
    if (c == CH_LBRACE || c == CH_LBRACKET) {
      if (!scanRecord(onEvent)) break;
      continue;
    }
    // Junk: to the end of its line (NDJSON), or as one region to the next record line.
    if (mode == MODE_NDJSON) {
      note(NOTE_MALFORMED, line, line, pos, pos, MALFORMED_JUNK);
      skip = SKIP_LINE;
    } else {
      frameBegin();
      beginSkipUnit(line, NOTE_MALFORMED, MALFORMED_JUNK);
    }
  }

  if (status == STATUS_OK && isFinal && pos >= inputEnd) {
    if (skip == SKIP_BALANCED || skip == SKIP_ELEMENT || skip == SKIP_UNIT) {
      note(unitKind, unitLine, lastLineOf(lineAt(0)), pos, pos, unitDetail);
      skip = SKIP_NONE;
    }
    if (inArray() && mode != MODE_ARRAY_CLOSED) {
      note(NOTE_MALFORMED, lineAt(0), lineAt(0), inputEnd, inputEnd, MALFORMED_ARRAY_UNCLOSED);
      mode = MODE_ARRAY_CLOSED;
    }
  }

  let state = mode | (skip << SKIP_SHIFT);
  if (frameInString) state |= STATE_IN_STRING;
  if (frameEscaped) state |= STATE_ESCAPED;
  if (frameCrossed) state |= STATE_CROSSED;
  if (!lineAtStart) state |= STATE_PAST_LINE_START;
  if (damaged) state |= STATE_DAMAGED;
  store<u32>(ctx, state, CTX_FRAMING);
  store<u32>(ctx, frameDepth, CTX_FRAMING_DEPTH);
  store<u32>(ctx, (lineIndent & HALF_MASK) | (frameCut << HALF_SHIFT), CTX_FRAMING_LINE);
  store<u32>(ctx, unitLine, CTX_FRAMING_UNIT_LINE);
  store<u32>(ctx, unitKind | (unitDetail << NOTE_DETAIL_SHIFT), CTX_FRAMING_UNIT_NOTE);
  store<u32>(ctx, resumeAt, CTX_RESUME_AT);
  store<u32>(ctx, resumeLines, CTX_RESUME_LINES);
  store<u32>(ctx, resumeEnd, CTX_RESUME_END);
  store<u32>(ctx, status, CTX_STATUS);
  store<u32>(ctx, statusDetail, CTX_STATUS_DETAIL);
  store<u32>(ctx, <u32>(pos - inputBase), CTX_CONSUMED);
  store<u32>(ctx, events, CTX_EVENT_COUNT);
  store<u32>(ctx, lines, CTX_LINE_COUNT);
  store<u32>(ctx, noteCount, CTX_NOTE_COUNT);
}
