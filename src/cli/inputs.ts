/**
 * Event inputs of `sigmatch scan`: files, directories (recursive), globs, `-` for stdin, gzip-compressed files.
 * Every input named must exist; a directory or glob that yields no event file is an error, not a silent no-op.
 */
import { readdirSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { CliError } from './common.js';

export interface EventInput {
  /** As shown in output: the path as the user gave it (or found under a directory), `<stdin>` for `-`. */
  name: string;
  path: string | null;
  /** Bytes on disk (compressed size for .gz), for progress; null for stdin. */
  size: number | null;
}

/** Files a directory walk picks up as events. */
const EVENT_FILE = /\.(json|jsonl|ndjson|log|txt|evtx)(\.gz)?$/i;
const GLOB_CHARS = /[*?[]/;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const CHUNK_BYTES = 1 << 20;

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && EVENT_FILE.test(e.name)) out.push(p);
  }
}

/** A glob (`*`, `**`, `?`, `[...]`) as a regular expression over whole paths. */
function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += pattern.slice(i, end + 1);
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function expandGlob(pattern: string): string[] {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const p of parts) {
    if (GLOB_CHARS.test(p)) break;
    fixed.push(p);
  }
  const base = fixed.join('/') || '.';
  let st;
  try {
    st = statSync(base);
  } catch {
    return [];
  }
  if (!st.isDirectory()) return [];
  const all: string[] = [];
  const walkAll = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walkAll(p);
      else if (e.isFile()) all.push(p);
    }
  };
  walkAll(base);
  const re = globRegex(pattern.replace(/^\.\//, ''));
  return all
    .map((p) => p.split(sep).join('/'))
    .filter((p) => re.test(p.replace(/^\.\//, '')))
    .sort();
}

/** `command`: the command named in error messages. */
export function expandInputs(args: readonly string[], command = 'scan'): EventInput[] {
  const out: EventInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ name: '<stdin>', path: null, size: null });
      continue;
    }
    let st;
    try {
      st = statSync(arg);
    } catch {
      st = null;
    }
    if (st?.isFile()) {
      out.push({ name: arg, path: resolve(arg), size: st.size });
      continue;
    }
    let files: string[];
    if (st?.isDirectory()) {
      files = [];
      walk(arg, files);
      if (files.length === 0) throw new CliError(`${command}: no event files (*.json, *.jsonl, *.ndjson, *.log, *.evtx, optionally .gz) under ${arg}`);
    } else if (GLOB_CHARS.test(arg)) {
      files = expandGlob(arg);
      if (files.length === 0) throw new CliError(`${command}: the pattern ${arg} matches no file`);
    } else {
      throw new CliError(`${command}: no such events file: ${arg}`);
    }
    for (const f of files) out.push({ name: f, path: resolve(f), size: statSync(f).size });
  }
  return out;
}

/**
 * The input's bytes as a stream of chunks, gunzipped when the input starts with the gzip magic bytes. A plain file is
 * read into one buffer, reused: a chunk is valid until the next one is asked for, and every consumer copies what it
 * keeps (the byte scanner, the parallel scanner's pieces, text decoding). A fresh buffer per chunk made a 100 MB
 * scan's peak memory grow by about 25 MiB of garbage.
 */
export async function* readInput(input: EventInput): AsyncGenerator<Uint8Array> {
  if (input.path === null) {
    yield* gunzipIfCompressed((process.stdin as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]());
    return;
  }
  const file = await open(input.path, 'r');
  try {
    const head = await readChunk(file, new Uint8Array(CHUNK_BYTES));
    if (head === null) return;
    if (isGzip(head)) {
      // zlib holds on to what it is given: fresh buffers.
      yield* gunzipIfCompressed(fileChunks(file, head, false));
      return;
    }
    yield* fileChunks(file, head, true);
  } finally {
    await file.close();
  }
}

/** The next chunk of the file read into `buffer`, or null at its end. */
async function readChunk(file: FileHandle, buffer: Uint8Array): Promise<Uint8Array | null> {
  const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
  return bytesRead === 0 ? null : buffer.subarray(0, bytesRead);
}

/** `head`, then the rest of the file: into one reused buffer, or a fresh one per chunk. */
async function* fileChunks(file: FileHandle, head: Uint8Array, reuse: boolean): AsyncGenerator<Uint8Array> {
  yield head;
  const buffer = reuse ? new Uint8Array(CHUNK_BYTES) : null;
  for (;;) {
    const chunk = await readChunk(file, buffer ?? new Uint8Array(CHUNK_BYTES));
    if (chunk === null) return;
    yield chunk;
  }
}

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
}

/** The chunks as they are, or gunzipped when the first starts with the gzip magic bytes. */
async function* gunzipIfCompressed(iterator: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest = (async function* () {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  if (isGzip(head)) {
    const gunzip = createGunzip();
    (async () => {
      try {
        for await (const chunk of rest) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (e) {
        gunzip.destroy(e as Error);
      }
    })();
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } else {
    yield* rest;
  }
}

/** The input's chunks (see `readInput`); a read error becomes a usage error naming the input. */
export async function* chunksOf(input: EventInput, command = 'scan'): AsyncGenerator<Uint8Array> {
  try {
    yield* readInput(input);
  } catch (e) {
    throw new CliError(`${command}: cannot read ${input.name}: ${(e as Error).message}`);
  }
}

/** An async iterator whose first item can be looked at before iterating. */
export function peekable<T>(source: AsyncGenerator<T>): AsyncIterable<T> & { peek(): Promise<T | undefined> } {
  let first: IteratorResult<T> | null = null;
  return {
    async peek() {
      first ??= await source.next();
      return first.done ? undefined : first.value;
    },
    async *[Symbol.asyncIterator]() {
      if (first) {
        if (first.done) return;
        yield first.value;
      }
      yield* source;
    },
  };
}
