/**
 * An event file as a stream of byte chunks, read in slices so memory stays bounded whatever the file's size: a plain
 * file is read SLICE_BYTES at a time (the next slice is read while the current one is scanned); a gzip file (found by
 * its magic bytes, like the CLI) is inflated by DecompressionStream and its output gathered into chunks of about
 * SLICE_BYTES. `sniff` tells the formats apart; binary .evtx is recognised here so the worker can route it.
 */

/** Bytes read from a file at a time (and the size inflated gzip output is gathered to). */
export const SLICE_BYTES = 4 * 1024 * 1024;

export type EventFormat = 'json' | 'gzip' | 'evtx';

const GZIP_MAGIC = [0x1f, 0x8b];
/** An EVTX file starts with "ElfFile\0". */
const EVTX_MAGIC = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00];
export const SNIFF_BYTES = EVTX_MAGIC.length;

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean => head.length >= magic.length && magic.every((b, i) => head[i] === b);

export function sniff(head: Uint8Array): EventFormat {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, EVTX_MAGIC)) return 'evtx';
  return 'json';
}

/** The file's bytes in slices; `progress(n)` is told how many bytes of the file (not inflated) each step consumed. */
export async function* plainChunks(file: Blob, progress: (fileBytes: number) => void): AsyncGenerator<Uint8Array> {
  let next: Promise<ArrayBuffer> | null = file.size > 0 ? file.slice(0, SLICE_BYTES).arrayBuffer() : null;
  for (let offset = 0; next; ) {
    const chunk = new Uint8Array(await next);
    offset += chunk.length;
    next = offset < file.size ? file.slice(offset, offset + SLICE_BYTES).arrayBuffer() : null;
    progress(chunk.length);
    yield chunk;
  }
}

/** A gzip file inflated, in chunks of about SLICE_BYTES. */
export async function* gzipChunks(file: Blob, progress: (fileBytes: number) => void): AsyncGenerator<Uint8Array> {
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        progress(chunk.length);
        controller.enqueue(chunk);
      },
    }),
  );
  const reader = counted.pipeThrough(new DecompressionStream('gzip')).getReader();
  let parts: Uint8Array[] = [];
  let length = 0;
  const gather = (): Uint8Array => {
    const out = parts.length === 1 ? parts[0] : new Uint8Array(length);
    if (parts.length > 1) {
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
    }
    parts = [];
    length = 0;
    return out;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.length;
      if (length >= SLICE_BYTES) yield gather();
    }
    if (length > 0) yield gather();
  } finally {
    reader.releaseLock();
  }
}
