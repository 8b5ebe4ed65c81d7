/**
 * One 64 KiB chunk: its header, then its event records one after another up to the free space offset. The walk is
 * the statement both decoders follow (assembly/evtx/chunk.ts does the same over linear memory):
 *
 * - a slot of zeros is unused (no note); any other slot without the "ElfChnk" signature is skipped with a note;
 * - checksum mismatches (header, records) are noted, and the records are read anyway (as evtx_dump does);
 * - a chunk cut off by the end of the file is noted, and the whole records in it are read;
 * - zeros from a record position to the end are unused space (no note);
 * - at each record position: signature, a size of at least RECORD_MIN_BYTES inside the chunk, and the copy of the
 *   size at its end; a position that fails is noted and the next valid record is searched for on 8-byte steps;
 * - a record whose binary XML cannot be decoded is noted and skipped (it takes no event index);
 * - when the records found differ from the header's count (last - first record number + 1), that is noted too.
 */
import * as F from './format.js';
import { ChunkContext, parseRecordXml } from './binxml.js';
import { crc32 } from './crc32.js';
import { renderEvent, type JsonObject } from './render.js';
import { EvtxFormatError, filetimeText } from './values.js';
import type { EvtxNote, EvtxNoteCode } from './notes.js';

export interface EvtxRecordHeader {
  /** File offset of the record. */
  offset: number;
  recordId: number;
  /** The record's written time, as evtx_dump writes times. */
  time: string;
}

export interface ChunkVisitor {
  note(n: EvtxNote): void;
  /** A record whose header is valid; `decode` renders its event (throws EvtxFormatError when it cannot). */
  record(header: EvtxRecordHeader, decode: () => JsonObject): void;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u64(b: Uint8Array, at: number): bigint {
  return BigInt(u32(b, at)) | (BigInt(u32(b, at + 4)) << 32n);
}

export function allZero(b: Uint8Array, start = 0, end = b.length): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

export function isChunkMagic(b: Uint8Array, at = 0): boolean {
  return b.length >= at + 8 && u32(b, at) === F.CHUNK_MAGIC_LO && u32(b, at + 4) === F.CHUNK_MAGIC_HI;
}

/** A valid record header at `pos` whose record ends by `end`? Its size, or 0. */
export function recordSizeAt(chunk: Uint8Array, pos: number, end: number): number {
  if (pos + F.RECORD_HEADER_BYTES > end || u32(chunk, pos) !== F.RECORD_MAGIC) return 0;
  const size = u32(chunk, pos + F.RECORD_SIZE);
  if (size < F.RECORD_MIN_BYTES || size > end - pos) return 0;
  return u32(chunk, pos + size - 4) === size ? size : 0;
}

/** Where the records of a chunk end: the free space offset when it is sane, else the chunk's end (clipped to what is present). */
export function recordsEnd(chunk: Uint8Array): number {
  const free = u32(chunk, F.CHUNK_FREE_SPACE_OFFSET);
  const end = free >= F.CHUNK_HEADER_BYTES && free <= F.CHUNK_BYTES ? free : F.CHUNK_BYTES;
  return Math.min(end, chunk.length);
}

/** The header's record count (last - first record number + 1), or -1 when it is not a sane count. */
export function headerRecordCount(chunk: Uint8Array): number {
  const first = u64(chunk, F.CHUNK_FIRST_RECORD_NUMBER);
  const last = u64(chunk, F.CHUNK_LAST_RECORD_NUMBER);
  if (last < first || last - first >= BigInt(F.CHUNK_BYTES)) return -1;
  return Number(last - first) + 1;
}

/**
 * Walk the chunk whose bytes present are `chunk` (CHUNK_BYTES, or fewer when the file ends inside it) at file
 * offset `fileOffset`. Returns false when the slot is unused (all zeros).
 */
export function walkChunk(chunk: Uint8Array, fileOffset: number, visit: ChunkVisitor): boolean {
  const note = (code: EvtxNoteCode, offset: number, detail = 0, detail2 = 0, reason?: string): void =>
    visit.note({ code, offset, detail, detail2, ...(reason !== undefined ? { reason } : {}) });
  if (allZero(chunk)) return false;
  if (!isChunkMagic(chunk)) {
    note('chunk-bad-magic', fileOffset);
    return true;
  }
  if (chunk.length < F.CHUNK_BYTES) note('chunk-truncated', fileOffset, chunk.length);
  if (chunk.length < F.CHUNK_HEADER_BYTES) return true;
  const headerCrc = crc32(chunk, F.CHUNK_CHECKSUMMED_B, F.CHUNK_HEADER_BYTES, crc32(chunk, 0, F.CHUNK_CHECKSUMMED_A));
  if (headerCrc !== u32(chunk, F.CHUNK_CHECKSUM)) note('chunk-header-checksum', fileOffset);
  const end = recordsEnd(chunk);
  const free = u32(chunk, F.CHUNK_FREE_SPACE_OFFSET);
  if (free <= chunk.length && free >= F.CHUNK_HEADER_BYTES && crc32(chunk, F.CHUNK_HEADER_BYTES, free) !== u32(chunk, F.CHUNK_RECORDS_CHECKSUM)) {
    note('chunk-records-checksum', fileOffset);
  }

  const ctx = new ChunkContext(chunk);
  let found = 0;
  let pos = F.CHUNK_HEADER_BYTES;
  while (pos + F.RECORD_HEADER_BYTES <= end) {
    const size = recordSizeAt(chunk, pos, end);
    if (size === 0) {
      // Zeros to the end: unused space (archived files set the free space offset to the chunk's end).
      if (allZero(chunk, pos, end)) break;
      note('record-bad-header', fileOffset + pos);
      pos += F.RECORD_ALIGN;
      while (pos + F.RECORD_HEADER_BYTES <= end && recordSizeAt(chunk, pos, end) === 0) pos += F.RECORD_ALIGN;
      continue;
    }
    found++;
    const at = pos;
    const header: EvtxRecordHeader = {
      offset: fileOffset + at,
      recordId: Number(u64(chunk, at + F.RECORD_ID)),
      time: filetimeText(u64(chunk, at + F.RECORD_WRITTEN)),
    };
    visit.record(header, () => renderEvent(parseRecordXml(ctx, at + F.RECORD_HEADER_BYTES, at + size - 4)));
    pos += size;
  }
  const expected = headerRecordCount(chunk);
  if (expected !== found) note('chunk-record-count', fileOffset, Math.max(expected, 0), found);
  return true;
}

export { EvtxFormatError };
