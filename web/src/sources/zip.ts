/**
 * A small ZIP reader for rule archives (a repository download, a zipped rules folder): the central directory is read
 * from the end of the file, then each wanted entry's bytes, stored or deflated (inflated by the browser's
 * DecompressionStream('deflate-raw')). The archive stays a Blob: only the directory and the wanted entries are read.
 * Hostile archives are bounded: entry count, total inflated size, and an entry inflating past its declared size is cut
 * off and reported (a zip bomb's lie). Encrypted and ZIP64 archives are reported, not read.
 */

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIZE = 30;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const ZIP64_MARK = 0xffffffff;

/** Most entries an archive may list. */
export const MAX_ZIP_ENTRIES = 200_000;
/** Most bytes the wanted entries may inflate to, together. */
export const MAX_ZIP_BYTES = 512 * 1024 * 1024;

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

export interface ZipProblem {
  /** The entry ('' for the archive itself). */
  name: string;
  message: string;
}

export interface ZipContents {
  entries: ZipEntry[];
  problems: ZipProblem[];
}

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class ZipError extends Error {}

async function read(blob: Blob, start: number, end: number): Promise<DataView> {
  return new DataView(await blob.slice(start, end).arrayBuffer());
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

async function centralDirectory(blob: Blob): Promise<CentralEntry[]> {
  const tailStart = Math.max(0, blob.size - EOCD_SIZE - MAX_COMMENT);
  const tail = await read(blob, tailStart, blob.size);
  let eocd = -1;
  for (let i = tail.byteLength - EOCD_SIZE; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a ZIP archive (no end of central directory record)');
  const count = tail.getUint16(eocd + 10, true);
  const dirSize = tail.getUint32(eocd + 12, true);
  const dirOffset = tail.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === ZIP64_MARK || dirOffset === ZIP64_MARK) throw new ZipError('ZIP64 archives are not supported; zip the rules without ZIP64');
  if (count > MAX_ZIP_ENTRIES) throw new ZipError(`the archive lists ${count} entries; at most ${MAX_ZIP_ENTRIES} are read`);
  if (dirOffset + dirSize > blob.size) throw new ZipError('the central directory lies outside the file (truncated archive?)');
  const dir = await read(blob, dirOffset, dirOffset + dirSize);
  const out: CentralEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + CENTRAL_HEADER_SIZE > dir.byteLength || dir.getUint32(p, true) !== CENTRAL_SIGNATURE) throw new ZipError(`central directory entry ${i + 1} is damaged`);
    const flags = dir.getUint16(p + 8, true);
    const nameLength = dir.getUint16(p + 28, true);
    const extraLength = dir.getUint16(p + 30, true);
    const commentLength = dir.getUint16(p + 32, true);
    if (p + CENTRAL_HEADER_SIZE + nameLength > dir.byteLength) throw new ZipError(`central directory entry ${i + 1} is damaged`);
    const nameBytes = new Uint8Array(dir.buffer, p + CENTRAL_HEADER_SIZE, nameLength);
    out.push({
      name: (flags & FLAG_UTF8 ? utf8 : latin1).decode(nameBytes),
      flags,
      method: dir.getUint16(p + 10, true),
      compressedSize: dir.getUint32(p + 20, true),
      size: dir.getUint32(p + 24, true),
      localOffset: dir.getUint32(p + 42, true),
    });
    p += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
  }
  return out;
}

/** Inflate raw deflate data, stopping with an error past `limit` bytes. */
async function inflate(data: Blob, limit: number): Promise<Uint8Array> {
  const reader = data.stream().pipeThrough(new DecompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw new ZipError(`inflates past its declared size of ${limit} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** The entries whose names `want` accepts (directories are skipped), with a problem for each entry not read. */
export async function readZip(blob: Blob, want: (name: string) => boolean): Promise<ZipContents> {
  const entries: ZipEntry[] = [];
  const problems: ZipProblem[] = [];
  let total = 0;
  for (const e of await centralDirectory(blob)) {
    if (e.name.endsWith('/') || !want(e.name)) continue;
    if (e.flags & FLAG_ENCRYPTED) {
      problems.push({ name: e.name, message: 'encrypted entries are not read' });
      continue;
    }
    if (e.method !== METHOD_STORED && e.method !== METHOD_DEFLATED) {
      problems.push({ name: e.name, message: `compression method ${e.method} is not supported (stored and deflate are)` });
      continue;
    }
    if (total + e.size > MAX_ZIP_BYTES) {
      problems.push({ name: e.name, message: `not read: the archive's entries exceed ${MAX_ZIP_BYTES} bytes together` });
      continue;
    }
    try {
      const local = await read(blob, e.localOffset, e.localOffset + LOCAL_HEADER_SIZE);
      if (local.byteLength < LOCAL_HEADER_SIZE || local.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipError('its local header is damaged');
      const start = e.localOffset + LOCAL_HEADER_SIZE + local.getUint16(26, true) + local.getUint16(28, true);
      if (start + e.compressedSize > blob.size) throw new ZipError('its data lies outside the file (truncated archive?)');
      const data = blob.slice(start, start + e.compressedSize);
      const bytes = e.method === METHOD_STORED ? new Uint8Array(await data.arrayBuffer()) : await inflate(data, e.size);
      if (bytes.length !== e.size) throw new ZipError(`holds ${bytes.length} bytes where the directory says ${e.size}`);
      total += bytes.length;
      entries.push({ name: e.name, bytes });
    } catch (err) {
      problems.push({ name: e.name, message: err instanceof ZipError ? err.message : `cannot be inflated: ${(err as Error).message}` });
    }
  }
  return { entries, problems };
}
