// The bytes path's entry point: frame the records of one input chunk (NDJSON, a JSON array, or JSON values one
// after another; DESIGN.md section 4 "Framing", the same rules src/input/json-events.ts applies to text), extract
// each event's referenced fields into the value store (extract.ts) and hand the event to the VM.
//
// Chunks: the host copies input into the region at CTX_INPUT_PTR (padded by VECTOR_BYTES) and calls once per chunk.
// Only whole records are consumed (CTX_CONSUMED); the host moves the unconsumed tail to the front and appends the
// next chunk. What must survive between calls (the format, a skip in progress and its bracket balance) is packed
// into CTX_FRAMING, which the host zeroes for a new input.
import {
  FRAMING_NDJSON, CTX_CONSUMED, CTX_EVENT_BASE, CTX_EVENT_COUNT, CTX_FLAGS, CTX_FRAMING, CTX_INPUT_LEN, CTX_INPUT_PTR, CTX_LINE_BASE,
  CTX_LINE_COUNT, CTX_NOTE_COUNT, CTX_NOTES_CAP, CTX_NOTES_PTR, CTX_STATUS, CTX_STATUS_DETAIL, FLAG_EVTX_JSON, FLAG_FINAL,
  NOTE_BYTES, NOTE_DETAIL, NOTE_END, NOTE_FALLBACK, NOTE_KIND, NOTE_LINE, NOTE_MALFORMED, NOTE_NOT_OBJECT, NOTE_START,
  NOTE_TOO_LARGE, STATUS_ARENA_FULL, STATUS_NOTES_FULL, STATUS_OK,
} from '../context';
import { BANK_EVTX_JSON, BANK_FLAT, storeBeginEvent, storeSelectBank } from '../store/values';
import {
  BOM_0, BOM_1, BOM_2, BOM_BYTES, CH_COMMA, CH_CR, CH_LBRACE, CH_LBRACKET, CH_LF, CH_RBRACKET, CH_SPACE, CH_TAB,
  DEFAULT_MAX_RECORD_BYTES, MALFORMED_ARRAY_JUNK, MALFORMED_ARRAY_UNCLOSED, MALFORMED_EMPTY_ELEMENT, MALFORMED_JUNK,
  MALFORMED_NEWLINE, MALFORMED_SYNTAX, MALFORMED_TRAILING, MALFORMED_TRUNCATED, P_ARENA_FULL, P_OK, SKIP_DEPTH_LIMIT,
  STATUS_EVENT_FALLBACK,
} from './constants';
import { evtxJsonEnabled, parseRecord, recordEnd, recordEvtxJson, recordFallback, recordIsObject } from './extract';
import {
  F_CLOSED, F_EOF, F_NEWLINE, F_TOO_LARGE, SKIP_MORE, SKIP_TOO_DEEP, frameClosed, frameCrossed, frameDepth,
  frameEscaped, frameInString, frameLines, framePos, frameRecord, skipBalanced, skipElement, skipLine,
} from './framing';
import { byteAt, gLines, gNeed, skipWs } from './lexer';
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
@inline const SKIP_MASK: u32 = 3;
@inline const SKIP_NONE: u32 = 0;
/** Skip to the end of the line. */
@inline const SKIP_LINE: u32 = 1;
/** Skip a too-large record to its balanced end. */
@inline const SKIP_BALANCED: u32 = 2;
/** Skip a too-large array element to its separator. */
@inline const SKIP_ELEMENT: u32 = 3;
@inline const STATE_IN_STRING: u32 = 1 << 5;
@inline const STATE_ESCAPED: u32 = 1 << 6;
@inline const STATE_CROSSED: u32 = 1 << 7;
/** The bracket depth of a balanced skip fills the upper 24 bits (hence SKIP_DEPTH_LIMIT). */
@inline const STATE_DEPTH_SHIFT: u32 = 8;

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

@inline function noteRoom(): bool {
  return noteCount < notesCap;
}

function note(kind: u32, line: u32, start: usize, end: usize, detail: u32): void {
  let n = notes + <usize>noteCount * NOTE_BYTES;
  store<u32>(n, kind, NOTE_KIND);
  store<u32>(n, line, NOTE_LINE);
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

/** The first record decides the format: NDJSON if it ended on the line it started on. */
@inline function decided(crossed: bool): u32 {
  return mode != MODE_UNKNOWN ? mode : crossed ? MODE_CONCAT : MODE_NDJSON;
}

/** Hand over a framed, valid record [start, end). False to stop the call before it. */
function deliver(onEvent: EventHandler, start: usize, end: usize, line: u32): bool {
  if (!recordIsObject) {
    if (!noteRoom()) return stopNotes();
    note(NOTE_NOT_OBJECT, line, start, end, 0);
    return true;
  }
  let index = eventBase + events;
  if (recordFallback) {
    if (!noteRoom()) return stopNotes();
    note(NOTE_FALLBACK, line, start, end, index);
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
    if (!noteRoom()) return stopNotes();
    note(NOTE_FALLBACK, line, start, end, index);
    events++;
    return true;
  }
  status = result;
  return false;
}

/** A record (`{` or `[` outside an array) at pos. False to stop the call. */
function scanRecord(onEvent: EventHandler): bool {
  let start = pos;
  let line = lineBase + lines;
  let ndjson = mode == MODE_NDJSON;
  storeBeginEvent();
  let r = parseRecord(start, recordLimit(start), ndjson);
  if (r == P_ARENA_FULL) {
    status = STATUS_ARENA_FULL;
    statusDetail = gNeed;
    return false;
  }
  if (r == P_OK) {
    let end = recordEnd;
    let recordLines = gLines;
    let m = decided(recordLines > 0);
    if (end - start > <usize>maxRecordBytes) {
      if (!noteRoom()) return stopNotes();
      note(NOTE_TOO_LARGE, line, start, end, 0);
      mode = m;
      lines += recordLines;
      pos = end;
      if (m == MODE_NDJSON) skip = SKIP_LINE;
      return true;
    }
    if (m != MODE_NDJSON) {
      if (!deliver(onEvent, start, end, line)) return false;
      mode = m;
      lines += recordLines;
      pos = end;
      return true;
    }
    // NDJSON: the rest of the line must be whitespace, else the whole line is malformed.
    let q = end;
    while (q < inputEnd) {
      let c = byteAt(q);
      if (c == CH_SPACE || c == CH_TAB || c == CH_CR) q++;
      else if (c == BOM_0 && bomAt(q) == BOM_WHOLE) q += BOM_BYTES;
      else break;
    }
    if (q >= inputEnd || (byteAt(q) == BOM_0 && bomAt(q) == BOM_CUT)) {
      if (!isFinal) return false; // the line goes on in the next chunk
    }
    if (q < inputEnd && byteAt(q) != CH_LF) {
      if (!noteRoom()) return stopNotes();
      note(NOTE_MALFORMED, line, start, q, MALFORMED_TRAILING);
      mode = m;
      lines += recordLines;
      pos = q;
      skip = SKIP_LINE;
      return true;
    }
    if (!deliver(onEvent, start, end, line)) return false;
    mode = m;
    lines += recordLines;
    if (q < inputEnd) {
      lines++;
      pos = q + 1;
    } else pos = q;
    return true;
  }
  // The parser could not finish the record: frame its bytes to see what they are.
  let f = frameRecord(start, inputEnd, ndjson, false, maxRecordBytes);
  if (f == F_EOF && !isFinal) return false;
  if (!noteRoom()) return stopNotes();
  if (f == F_CLOSED) {
    let m = decided(frameCrossed);
    note(NOTE_MALFORMED, line, start, framePos, MALFORMED_SYNTAX);
    mode = m;
    lines += frameLines;
    pos = framePos;
    if (m == MODE_NDJSON) skip = SKIP_LINE;
  } else if (f == F_NEWLINE) {
    note(NOTE_MALFORMED, line, start, framePos, MALFORMED_NEWLINE);
    lines += frameLines + 1;
    pos = framePos + 1;
  } else if (f == F_TOO_LARGE) {
    note(NOTE_TOO_LARGE, line, start, framePos, 0);
    lines += frameLines;
    pos = framePos;
    if (frameClosed) {
      mode = decided(frameCrossed);
      skip = mode == MODE_NDJSON ? SKIP_LINE : SKIP_NONE;
    } else if (mode == MODE_NDJSON || frameDepth > SKIP_DEPTH_LIMIT) skip = SKIP_LINE;
    else skip = SKIP_BALANCED; // the balance state stays in frame*
  } else {
    note(NOTE_MALFORMED, line, start, inputEnd, MALFORMED_TRUNCATED);
    lines += frameLines;
    pos = inputEnd;
  }
  return true;
}

/** An element of a JSON array at pos (any value up to `,` or `]` at depth 0). False to stop the call. */
function scanElement(onEvent: EventHandler): bool {
  let start = pos;
  let line = lineBase + lines;
  let limit = recordLimit(start);
  storeBeginEvent();
  let r = parseRecord(start, limit, false);
  if (r == P_ARENA_FULL) {
    status = STATUS_ARENA_FULL;
    statusDetail = gNeed;
    return false;
  }
  if (r == P_OK) {
    // JSON whitespace between the value and the separator is part of the element (JSON.parse accepts it).
    let q = skipWs(recordEnd);
    if (q < limit && (byteAt(q) == CH_COMMA || byteAt(q) == CH_RBRACKET)) {
      // Read the element's line count before delivering: evaluating the event may re-run the lexer (keyword leaves).
      let elementLines = gLines;
      if (!deliver(onEvent, start, recordEnd, line)) return false;
      lines += elementLines;
      pos = q;
      mode = MODE_ARRAY_AFTER;
      return true;
    }
  }
  let f = frameRecord(start, inputEnd, false, true, maxRecordBytes);
  if (f == F_EOF && !isFinal) return false;
  if (!noteRoom()) return stopNotes();
  lines += frameLines;
  if (f == F_CLOSED) {
    note(NOTE_MALFORMED, line, start, framePos, MALFORMED_SYNTAX);
    pos = framePos;
    mode = MODE_ARRAY_AFTER;
  } else if (f == F_TOO_LARGE) {
    note(NOTE_TOO_LARGE, line, start, framePos, 0);
    pos = framePos;
    mode = MODE_ARRAY_AFTER;
    skip = frameDepth > SKIP_DEPTH_LIMIT ? SKIP_LINE : SKIP_ELEMENT;
  } else {
    note(NOTE_MALFORMED, line, start, inputEnd, MALFORMED_TRUNCATED);
    pos = inputEnd;
  }
  return true;
}

/**
 * Scan the input region of the context block: frame records, extract each valid object into the value store and
 * call onEvent. Writes CTX_STATUS (OK, NOTES_FULL, ARENA_FULL with CTX_STATUS_DETAIL = bytes needed, or what
 * onEvent returned), CTX_CONSUMED, CTX_EVENT_COUNT, CTX_LINE_COUNT, CTX_NOTE_COUNT and CTX_FRAMING.
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
  mode = framing & MODE_MASK;
  skip = (framing >> SKIP_SHIFT) & SKIP_MASK;
  frameInString = (framing & STATE_IN_STRING) != 0;
  frameEscaped = (framing & STATE_ESCAPED) != 0;
  frameCrossed = (framing & STATE_CROSSED) != 0;
  frameDepth = framing >> STATE_DEPTH_SHIFT;
  pos = inputBase;
  lines = 0;
  events = 0;
  status = STATUS_OK;
  statusDetail = 0;

  while (true) {
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
    if (skip == SKIP_BALANCED) {
      let r = skipBalanced(pos, inputEnd);
      lines += frameLines;
      pos = framePos;
      if (r == SKIP_MORE) break;
      if (r == SKIP_TOO_DEEP) skip = SKIP_LINE;
      else {
        mode = decided(frameCrossed);
        skip = mode == MODE_NDJSON ? SKIP_LINE : SKIP_NONE;
      }
      continue;
    }
    if (skip == SKIP_ELEMENT) {
      let r = skipElement(pos, inputEnd);
      lines += frameLines;
      pos = framePos;
      if (r == SKIP_MORE) break;
      skip = r == SKIP_TOO_DEEP ? SKIP_LINE : SKIP_NONE;
      continue;
    }

    // ---- whitespace between records: space, tab, CR, LF, BOM ----
    let c: u32 = 0;
    let cut = false;
    while (pos < inputEnd) {
      c = byteAt(pos);
      if (c == CH_SPACE || c == CH_TAB || c == CH_CR) pos++;
      else if (c == CH_LF) {
        lines++;
        pos++;
      } else if (c == BOM_0) {
        let bom = bomAt(pos);
        if (bom == BOM_WHOLE) pos += BOM_BYTES;
        else {
          cut = bom == BOM_CUT && !isFinal;
          break;
        }
      } else break;
    }
    if (cut || pos >= inputEnd) break;
    let line = lineBase + lines;

    if (mode >= MODE_ARRAY_OPEN) {
      if (mode == MODE_ARRAY_AFTER && (c == CH_COMMA || c == CH_RBRACKET)) {
        mode = c == CH_COMMA ? MODE_ARRAY_NEXT : MODE_ARRAY_CLOSED;
        pos++;
        continue;
      }
      if (mode == MODE_ARRAY_AFTER || mode == MODE_ARRAY_CLOSED) {
        if (!noteRoom()) {
          stopNotes();
          break;
        }
        note(NOTE_MALFORMED, line, pos, pos, MALFORMED_ARRAY_JUNK);
        skip = SKIP_LINE;
        continue;
      }
      if (c == CH_RBRACKET && mode == MODE_ARRAY_OPEN) {
        mode = MODE_ARRAY_CLOSED;
        pos++;
        continue;
      }
      if (c == CH_COMMA || c == CH_RBRACKET) {
        if (!noteRoom()) {
          stopNotes();
          break;
        }
        note(NOTE_MALFORMED, line, pos, pos, MALFORMED_EMPTY_ELEMENT);
        mode = c == CH_COMMA ? MODE_ARRAY_NEXT : MODE_ARRAY_CLOSED;
        pos++;
        continue;
      }
      if (!scanElement(onEvent)) break;
      continue;
    }
    if (mode == MODE_UNKNOWN && c == CH_LBRACKET) {
      mode = MODE_ARRAY_OPEN;
      pos++;
      continue;
    }
    if (c == CH_LBRACE || c == CH_LBRACKET) {
      if (!scanRecord(onEvent)) break;
      continue;
    }
    // Junk: the rest of its line is skipped.
    if (!noteRoom()) {
      stopNotes();
      break;
    }
    note(NOTE_MALFORMED, line, pos, pos, MALFORMED_JUNK);
    skip = SKIP_LINE;
  }

  if (status == STATUS_OK && isFinal && pos >= inputEnd && mode >= MODE_ARRAY_OPEN && mode != MODE_ARRAY_CLOSED) {
    if (noteRoom()) {
      note(NOTE_MALFORMED, lineBase + lines, inputEnd, inputEnd, MALFORMED_ARRAY_UNCLOSED);
      mode = MODE_ARRAY_CLOSED;
    } else status = STATUS_NOTES_FULL;
  }

  let state = mode | (skip << SKIP_SHIFT);
  if (skip == SKIP_BALANCED || skip == SKIP_ELEMENT) {
    if (frameInString) state |= STATE_IN_STRING;
    if (frameEscaped) state |= STATE_ESCAPED;
    if (frameCrossed) state |= STATE_CROSSED;
    state |= frameDepth << STATE_DEPTH_SHIFT;
  }
  store<u32>(ctx, state, CTX_FRAMING);
  store<u32>(ctx, status, CTX_STATUS);
  store<u32>(ctx, statusDetail, CTX_STATUS_DETAIL);
  store<u32>(ctx, <u32>(pos - inputBase), CTX_CONSUMED);
  store<u32>(ctx, events, CTX_EVENT_COUNT);
  store<u32>(ctx, lines, CTX_LINE_COUNT);
  store<u32>(ctx, noteCount, CTX_NOTE_COUNT);
}
