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

/**
 * The file's bytes in slices of SLICE_BYTES, read into one buffer that is reused (a BYOB reader of the file's stream),
 * so a scan of any size allocates no per-slice garbage; where BYOB is missing, `slice().arrayBuffer()` per slice.
 * Each chunk is valid until the next is asked for (the scanner copies it into the VM before that). `progress(n)` is
 * told how many bytes of the file each step consumed.
 */
export async function* plainChunks(file: Blob, progress: (fileBytes: number) => void): AsyncGenerator<Uint8Array> {
  let reader: ReadableStreamBYOBReader | null = null;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    reader = null;
  }
  if (!reader) {
    for (let offset = 0; offset < file.size; offset += SLICE_BYTES) {
      const chunk = new Uint8Array(await file.slice(offset, offset + SLICE_BYTES).arrayBuffer());
      progress(chunk.length);
      yield chunk;
    }
    return;
  }
  let buffer = new ArrayBuffer(SLICE_BYTES);
  for (let done = false; !done; ) {
    let filled = 0;
    while (filled < SLICE_BYTES) {
      // A BYOB read transfers the buffer: keep the one it hands back.
      const r = await reader.read(new Uint8Array(buffer, filled, SLICE_BYTES - filled));
      if (r.value) buffer = r.value.buffer as ArrayBuffer;
      if (r.done) {
        done = true;
        break;
      }
      filled += r.value!.length;
    }
    if (filled > 0) {
      progress(filled);
      yield new Uint8Array(buffer, 0, filled);
    }
  }
}

/** A gzip file inflated, gathered into chunks of SLICE_BYTES in one reused buffer (valid until the next is asked for). */
export async function* gzipChunks(file: Blob, progress: (fileBytes: number) => void): AsyncGenerator<Uint8Array> {
  const counted = file.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        progress(chunk.length);
        controller.enqueue(chunk);
      },
    }),
  );
  const reader = counted.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const buffer = new Uint8Array(SLICE_BYTES);
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let at = 0; at < value.length; ) {
        const n = Math.min(value.length - at, SLICE_BYTES - filled);
        buffer.set(value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === SLICE_BYTES) {
          yield buffer;
          filled = 0;
        }
      }
    }
    if (filled > 0) yield buffer.subarray(0, filled);
  } finally {
    reader.releaseLock();
  }
}
