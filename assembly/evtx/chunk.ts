// The VM's walk of one .evtx chunk (the input region holds it; the host calls once per chunk): the same walk as the
// reference's src/input/evtx/chunk.ts walkChunk, with the same notes at the same offsets. Each record the VM decodes
// goes into the value store and to the event handler; a record it leaves to the host stops the call
// (STATUS_EVTX_RECORD) and the host calls again past it. What must survive a stop (where to go on, records found)
// is in CTX_FRAMING.
import {
  CTX_CONSUMED, CTX_EVENT_BASE, CTX_EVENT_COUNT, CTX_EVTX_CAP, CTX_EVTX_CHUNK, CTX_EVTX_PTR, CTX_EVTX_STATE,
  CTX_FRAMING, CTX_INPUT_LEN, CTX_INPUT_PTR, CTX_NOTE_COUNT, CTX_NOTES_CAP, CTX_NOTES_PTR, CTX_STATUS,
  CTX_STATUS_DETAIL, EVTX_FOUND_SHIFT, EVTX_POSITION_MASK, EVTX_STATE_UNUSED, NOTE_BYTES, NOTE_DETAIL, NOTE_END,
  NOTE_EVTX, NOTE_KIND, NOTE_LINE, NOTE_START, STATUS_ARENA_FULL, STATUS_BAD_RECORD, STATUS_EVTX_RECORD, STATUS_NOTES_FULL,
  STATUS_OK,
} from '../context';
import { BANK_EVTX_JSON, storeBeginEvent, storeSelectBank } from '../store/values';
import { crc32 } from './crc32';
import * as F from './format';
import { arenaNeed, flatAttach, flatEmit, flatSetRecord } from './flat';
import { readRecordInstance } from './record';
import { evtxAttach, evtxRegionBytes } from './region';
import { NONE } from './skeleton';

/** Called for each record the VM decoded (its fields are in the store): returns a STATUS_* (STATUS_OK goes on;
 * STATUS_EVENT_FALLBACK leaves the record to the host; anything else stops before the record). */
export type EvtxRecordHandler = (eventIndex: u32, recordStart: usize, recordEnd: usize) => u32;

/** Status of the handler that leaves the record to the host (assembly/json/constants.ts STATUS_EVENT_FALLBACK). */
@inline const HANDLER_FALLBACK: u32 = 16;
/** Notes the chunk's own checks may write at once (truncated, header checksum, records checksum). */
@inline const CHUNK_NOTES: u32 = 3;

/** Why the last record left to the host was (tests read it): its instance, its shape, or its evaluation. */
@inline const HOST_INSTANCE: u32 = 1;
@inline const HOST_SHAPE: u32 = 2;
@inline const HOST_EVALUATION: u32 = 3;
export let lastHostReason: u32 = 0;

let base: usize = 0;
let length: u32 = 0;
let notes: usize = 0;
let notesCap: u32 = 0;
let noteCount: u32 = 0;

export { evtxRegionBytes };

@inline function u32At(at: u32): u32 {
  return load<u32>(base + <usize>at);
}

function note(code: u32, at: u32, detail: u32, detail2: u32): void {
  let n = notes + <usize>noteCount * NOTE_BYTES;
  store<u32>(n, NOTE_EVTX, NOTE_KIND);
  store<u32>(n, detail2, NOTE_LINE);
  store<u32>(n, at, NOTE_START);
  store<u32>(n, detail, NOTE_END);
  store<u32>(n, code, NOTE_DETAIL);
  noteCount++;
}

@inline function noteRoom(n: u32): bool {
  return notesCap - noteCount >= n;
}

function allZero(from: u32, to: u32): bool {
  let p = base + <usize>from;
  let end = base + <usize>to;
  while (p + 8 <= end) {
    if (load<u64>(p) != 0) return false;
    p += 8;
  }
  while (p < end) {
    if (load<u8>(p) != 0) return false;
    p++;
  }
  return true;
}

/** A valid record header at `at` whose record ends by `end`: its size, or 0 (chunk.ts recordSizeAt). */
function recordSizeAt(at: u32, end: u32): u32 {
  if (<u64>at + <u64>F.RECORD_HEADER_BYTES > <u64>end || u32At(at) != F.RECORD_MAGIC) return 0;
  let size = u32At(at + F.RECORD_SIZE);
  if (size < F.RECORD_MIN_BYTES || size > end - at) return 0;
  return u32At(at + size - 4) == size ? size : 0;
}

function recordsEnd(): u32 {
  let free = u32At(F.CHUNK_FREE_SPACE_OFFSET);
  let end = free >= F.CHUNK_HEADER_BYTES && free <= F.CHUNK_BYTES ? free : F.CHUNK_BYTES;
  return end < length ? end : length;
}

/** The header's record count, or NO_COUNT when last < first or the difference is not a chunk's worth. */
@inline const NO_COUNT: u32 = 0xffffffff;
function headerRecordCount(): u32 {
  let first = load<u64>(base + <usize>F.CHUNK_FIRST_RECORD_NUMBER);
  let last = load<u64>(base + <usize>F.CHUNK_LAST_RECORD_NUMBER);
  if (last < first || last - first >= <u64>F.CHUNK_BYTES) return NO_COUNT;
  return <u32>(last - first) + 1;
}

/** The chunk's own checks, at its start. False when the chunk has nothing more to read (unused or skipped). */
function checkChunk(ctx: usize): bool {
  if (allZero(0, length)) {
    store<u32>(ctx, EVTX_STATE_UNUSED, CTX_EVTX_STATE);
    return false;
  }
  if (length < 8 || u32At(0) != F.CHUNK_MAGIC_LO || u32At(4) != F.CHUNK_MAGIC_HI) {
    note(F.EVTX_NOTE_CHUNK_BAD_MAGIC, 0, 0, 0);
    return false;
  }
  if (length < F.CHUNK_BYTES) note(F.EVTX_NOTE_CHUNK_TRUNCATED, 0, length, 0);
  if (length < F.CHUNK_HEADER_BYTES) return false;
  let headerCrc = crc32(base + <usize>F.CHUNK_CHECKSUMMED_B, base + <usize>F.CHUNK_HEADER_BYTES, crc32(base, base + <usize>F.CHUNK_CHECKSUMMED_A));
  if (headerCrc != u32At(F.CHUNK_CHECKSUM)) note(F.EVTX_NOTE_CHUNK_HEADER_CHECKSUM, 0, 0, 0);
  let free = u32At(F.CHUNK_FREE_SPACE_OFFSET);
  if (free <= length && free >= F.CHUNK_HEADER_BYTES && crc32(base + <usize>F.CHUNK_HEADER_BYTES, base + <usize>free) != u32At(F.CHUNK_RECORDS_CHECKSUM)) {
    note(F.EVTX_NOTE_CHUNK_RECORDS_CHECKSUM, 0, 0, 0);
  }
  return true;
}

/**
 * Walk the chunk in the input region from where CTX_FRAMING says, decoding records into the store and handing them
 * to `onRecord`. Writes CTX_STATUS (OK at the chunk's end; NOTES_FULL, ARENA_FULL, STATUS_EVTX_RECORD or what the
 * handler returned otherwise), CTX_FRAMING, CTX_CONSUMED (where it stopped), CTX_EVENT_COUNT, CTX_NOTE_COUNT,
 * CTX_EVTX_STATE.
 */
export function scanEvtxChunk(ctx: usize, onRecord: EvtxRecordHandler): void {
  base = <usize>load<u32>(ctx, CTX_INPUT_PTR);
  length = load<u32>(ctx, CTX_INPUT_LEN);
  if (length > F.CHUNK_BYTES) length = F.CHUNK_BYTES;
  notes = <usize>load<u32>(ctx, CTX_NOTES_PTR);
  notesCap = load<u32>(ctx, CTX_NOTES_CAP);
  noteCount = 0;
  evtxAttach(<usize>load<u32>(ctx, CTX_EVTX_PTR), base, length, load<u32>(ctx, CTX_EVTX_CHUNK));
  flatAttach();
  store<u32>(ctx, 0, CTX_EVTX_STATE);
  let eventBase = load<u32>(ctx, CTX_EVENT_BASE);
  let framing = load<u32>(ctx, CTX_FRAMING);
  let pos = framing & EVTX_POSITION_MASK;
  let found = framing >> EVTX_FOUND_SHIFT;
  let events: u32 = 0;
  let status = STATUS_OK;
  let detail: u32 = 0;

  if (load<u32>(ctx, CTX_EVTX_CAP) < <u32>evtxRegionBytes() || notesCap < CHUNK_NOTES) {
    // The host lays out the region, and room for a chunk's notes, before the first chunk: a host bug, not the file's.
    status = STATUS_BAD_RECORD;
  } else if (pos == 0) {
    if (!noteRoom(CHUNK_NOTES)) status = STATUS_NOTES_FULL;
    else if (!checkChunk(ctx)) pos = length;
    else pos = F.CHUNK_HEADER_BYTES;
  }
  let end = length >= F.CHUNK_HEADER_BYTES ? recordsEnd() : 0;
  let checked = length >= F.CHUNK_HEADER_BYTES && u32At(0) == F.CHUNK_MAGIC_LO && u32At(4) == F.CHUNK_MAGIC_HI;

  while (status == STATUS_OK && <u64>pos + <u64>F.RECORD_HEADER_BYTES <= <u64>end) {
    let size = recordSizeAt(pos, end);
    if (size == 0) {
      // Zeros to the end: unused space.
      if (allZero(pos, end)) {
        pos = end;
        break;
      }
      if (!noteRoom(1)) {
        status = STATUS_NOTES_FULL;
        break;
      }
      note(F.EVTX_NOTE_RECORD_BAD_HEADER, pos, 0, 0);
      pos += F.RECORD_ALIGN;
      while (<u64>pos + <u64>F.RECORD_HEADER_BYTES <= <u64>end && recordSizeAt(pos, end) == 0) pos += F.RECORD_ALIGN;
      continue;
    }
    storeBeginEvent();
    let root = readRecordInstance(pos, size);
    let result: u32 = HANDLER_FALLBACK;
    lastHostReason = root == NONE ? HOST_INSTANCE : HOST_SHAPE;
    if (root != NONE) {
      flatSetRecord(root);
      if (flatEmit()) {
        storeSelectBank(BANK_EVTX_JSON);
        result = onRecord(eventBase + events, base + <usize>pos, base + <usize>pos + <usize>size);
        lastHostReason = HOST_EVALUATION;
      } else if (arenaNeed != 0) {
        status = STATUS_ARENA_FULL;
        detail = arenaNeed;
        break;
      }
    }
    if (result == HANDLER_FALLBACK) {
      // The host reads this record (and evaluates it, or notes why it cannot be read), then calls again past it.
      status = STATUS_EVTX_RECORD;
      detail = size;
      break;
    }
    if (result != STATUS_OK) {
      status = result;
      break;
    }
    found++;
    events++;
    pos += size;
  }

  if (status == STATUS_OK && checked) {
    let expected = headerRecordCount();
    if (expected != found) {
      if (noteRoom(1)) note(F.EVTX_NOTE_CHUNK_RECORD_COUNT, 0, expected == NO_COUNT ? 0 : expected, found);
      else status = STATUS_NOTES_FULL;
    }
  }
  store<u32>(ctx, status, CTX_STATUS);
  store<u32>(ctx, detail, CTX_STATUS_DETAIL);
  store<u32>(ctx, (pos & EVTX_POSITION_MASK) | (found << EVTX_FOUND_SHIFT), CTX_FRAMING);
  store<u32>(ctx, pos, CTX_CONSUMED);
  store<u32>(ctx, events, CTX_EVENT_COUNT);
  store<u32>(ctx, noteCount, CTX_NOTE_COUNT);
}
