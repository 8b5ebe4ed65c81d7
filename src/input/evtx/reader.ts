/**
 * The reference .evtx reader: a whole file to its events (the JSON objects evtx_dump writes, render.ts) and the notes
 * of anything damaged or unusual (notes.ts). Chunks are read in file order, every 64 KiB slot after the file header
 * (not only the header's chunk count: dirty files undercount); a file that starts with a chunk (carved) is read from
 * its first byte. Records get event indices 0, 1, ... in file order; a record that cannot be decoded takes none.
 */
import * as F from './format.js';
import { walkChunk, isChunkMagic, type EvtxRecordHeader } from './chunk.js';
import { crc32 } from './crc32.js';
import type { JsonObject } from './render.js';
import { EvtxFormatError } from './values.js';
import type { EvtxNote } from './notes.js';

export interface EvtxRecord extends EvtxRecordHeader {
  /** 0-based index among the file's decoded records. */
  index: number;
  event: JsonObject;
}

export interface EvtxFile {
  records: EvtxRecord[];
  notes: EvtxNote[];
  /** Chunk slots read (in use), and unused (zero) ones. */
  chunks: number;
  emptyChunks: number;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

export function isFileMagic(b: Uint8Array): boolean {
  return b.length >= 8 && u32(b, 0) === F.FILE_MAGIC_LO && u32(b, 4) === F.FILE_MAGIC_HI;
}

/** Does the input look like an .evtx file (file header or, carved, a chunk)? */
export function isEvtx(b: Uint8Array): boolean {
  return isFileMagic(b) || isChunkMagic(b);
}

/**
 * Where a file's chunks start, after noting what its header says: FILE_HEADER_BYTES, 0 for carved chunks, or -1
 * when the input is not EVTX (or ends inside its header).
 */
export function readFileHeader(b: Uint8Array, note: (n: EvtxNote) => void): number {
  const n = (code: EvtxNote['code'], detail = 0): void => note({ code, offset: 0, detail, detail2: 0 });
  if (isFileMagic(b)) {
    if (b.length < F.FILE_HEADER_BYTES) {
      n('file-truncated', b.length);
      return -1;
    }
    if (crc32(b, 0, F.FILE_CHECKSUMMED) !== u32(b, F.FILE_CHECKSUM)) n('file-header-checksum');
    if (u32(b, F.FILE_FLAGS) & F.FILE_FLAG_DIRTY) n('dirty');
    return F.FILE_HEADER_BYTES;
  }
  if (isChunkMagic(b)) {
    n('no-file-header');
    return 0;
  }
  n('not-evtx');
  return -1;
}

/**
 * The reference decoder over a stream: bytes in as they come (any piece sizes), records out as each 64 KiB chunk is
 * complete. Holds at most one chunk (or the file header) of bytes; the pieces pushed are copied, never kept.
 */
export class EvtxReader {
  readonly notes: EvtxNote[] = [];
  chunks = 0;
  emptyChunks = 0;
  private pending = new Uint8Array(0);
  /** File offset of pending[0]. */
  private offset = 0;
  /** Reading the file header, then chunks; or the input is not EVTX (nothing more is read). */
  private state: 'header' | 'chunks' | 'not-evtx' = 'header';
  private index = 0;

  push(bytes: Uint8Array): EvtxRecord[] {
    if (this.state === 'not-evtx') return [];
    const joined = new Uint8Array(this.pending.length + bytes.length);
    joined.set(this.pending);
    joined.set(bytes, this.pending.length);
    this.pending = joined;
    return this.drain(false);
  }

  end(): EvtxRecord[] {
    return this.state === 'not-evtx' ? [] : this.drain(true);
  }

  private drain(final: boolean): EvtxRecord[] {
    const out: EvtxRecord[] = [];
    const note = (n: EvtxNote): void => {
      this.notes.push(n);
    };
    if (this.state === 'header') {
      if (!final && this.pending.length < F.FILE_HEADER_BYTES) return out;
      const start = readFileHeader(this.pending, note);
      if (start < 0) {
        this.state = 'not-evtx';
        this.pending = new Uint8Array(0);
        return out;
      }
      this.state = 'chunks';
      this.pending = this.pending.subarray(start);
      this.offset = start;
    }
    while (this.pending.length >= F.CHUNK_BYTES || (final && this.pending.length > 0)) {
      const chunk = this.pending.subarray(0, Math.min(F.CHUNK_BYTES, this.pending.length));
      const used = walkChunk(chunk, this.offset, {
        note,
        record: (header, decode) => {
          try {
            out.push({ ...header, index: this.index, event: decode() });
            this.index++;
          } catch (e) {
            if (!(e instanceof EvtxFormatError)) throw e;
            note({ code: 'record-bad-xml', offset: header.offset, detail: 0, detail2: 0, reason: e.message });
          }
        },
      });
      if (used) this.chunks++;
      else this.emptyChunks++;
      this.offset += chunk.length;
      this.pending = this.pending.subarray(chunk.length);
    }
    return out;
  }
}

/** Read a whole .evtx file with the reference decoder. */
export function readEvtxFile(bytes: Uint8Array): EvtxFile {
  const reader = new EvtxReader();
  const records = [...reader.push(bytes), ...reader.end()];
  return { records, notes: reader.notes, chunks: reader.chunks, emptyChunks: reader.emptyChunks };
}
