/**
 * Large .evtx logs made of real chunks, at bench (and test) time, never committed: the chunks of the SigmaHQ
 * regression samples (each file holds one 64 KiB chunk of real Sysmon / Security records), repeated behind a fresh
 * file header until the log is as large as asked. Each copy's record numbers continue the previous one's and its
 * header checksum is recomputed, so the log is a valid file that readers walk chunk by chunk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as F from '../../src/input/evtx/format.js';
import { crc32 } from '../../src/input/evtx/crc32.js';

/** The chunks of every .evtx file under `root` (in path order), each a copy. */
export function realChunks(root: string): Uint8Array[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.evtx')) files.push(p);
    }
  };
  walk(root);
  const chunks: Uint8Array[] = [];
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    for (let at = F.FILE_HEADER_BYTES; at + F.CHUNK_BYTES <= bytes.length; at += F.CHUNK_BYTES) chunks.push(bytes.slice(at, at + F.CHUNK_BYTES));
  }
  return chunks;
}

/** Records a chunk's header lists. */
export function chunkRecordCount(chunk: Uint8Array): number {
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Number(dv.getBigUint64(F.CHUNK_LAST_RECORD_NUMBER, true) - dv.getBigUint64(F.CHUNK_FIRST_RECORD_NUMBER, true)) + 1;
}

/** A file header for `chunks` chunks (checksum filled in). */
export function fileHeader(chunks: number, flags = 0): Uint8Array {
  const h = new Uint8Array(F.FILE_HEADER_BYTES);
  const dv = new DataView(h.buffer);
  h.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]);
  dv.setBigUint64(F.FILE_LAST_CHUNK, BigInt(Math.max(chunks - 1, 0)), true);
  dv.setUint32(F.FILE_HEADER_SIZE, 128, true);
  dv.setUint16(F.FILE_MINOR_VERSION, 1, true);
  dv.setUint16(F.FILE_MAJOR_VERSION, 3, true);
  dv.setUint16(40, F.FILE_HEADER_BYTES, true);
  dv.setUint16(F.FILE_CHUNK_COUNT, Math.min(chunks, 0xffff), true);
  dv.setUint32(F.FILE_FLAGS, flags, true);
  dv.setUint32(F.FILE_CHECKSUM, crc32(h, 0, F.FILE_CHECKSUMMED), true);
  return h;
}

/** Renumber a chunk's records to start at `first` (its header checksum recomputed). */
export function renumberChunk(chunk: Uint8Array, first: number): void {
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const count = chunkRecordCount(chunk);
  dv.setBigUint64(F.CHUNK_FIRST_RECORD_NUMBER, BigInt(first), true);
  dv.setBigUint64(F.CHUNK_LAST_RECORD_NUMBER, BigInt(first + count - 1), true);
  dv.setUint32(F.CHUNK_CHECKSUM, crc32(chunk, F.CHUNK_CHECKSUMMED_B, F.CHUNK_HEADER_BYTES, crc32(chunk, 0, F.CHUNK_CHECKSUMMED_A)), true);
}

/** A log of at least `minBytes` (and `minChunks`) made of the chunks repeated in order. */
export function evtxLog(chunks: readonly Uint8Array[], minBytes: number, minChunks = 1): { bytes: Uint8Array; records: number } {
  const n = Math.max(minChunks, Math.ceil((minBytes - F.FILE_HEADER_BYTES) / F.CHUNK_BYTES));
  const bytes = new Uint8Array(F.FILE_HEADER_BYTES + n * F.CHUNK_BYTES);
  bytes.set(fileHeader(n));
  let records = 0;
  for (let i = 0; i < n; i++) {
    const chunk = chunks[i % chunks.length].slice();
    renumberChunk(chunk, records + 1);
    records += chunkRecordCount(chunk);
    bytes.set(chunk, F.FILE_HEADER_BYTES + i * F.CHUNK_BYTES);
  }
  return { bytes, records };
}
