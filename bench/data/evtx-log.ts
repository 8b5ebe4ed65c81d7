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
import { ChunkContext, readRawInstance, type TemplateElement, type TemplateNode } from '../../src/input/evtx/binxml.js';
import { ChunkWriter, evtxFile, num, str, type Content, type Elem, type Instance, type RecordSpec, type Value } from '../../test/evtx/writer.js';

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

// ---- dense logs: the real records re-written, as many per chunk as fit ----

/** A template (with placeholders) as the test writer's element description. */
function elementSpec(el: TemplateElement): Elem {
  const content = (nodes: readonly TemplateNode[]): Content[] =>
    nodes.flatMap((n): Content[] => {
      switch (n.kind) {
        case 'element':
          return [elementSpec(n)];
        case 'text':
          return [{ text: n.text }];
        case 'placeholder':
          return [{ sub: n.index, optional: n.optional }];
        case 'charref':
          return [{ charref: n.code }];
        case 'entityref':
          return [{ entref: n.name }];
        default:
          return [];
      }
    });
  return { el: el.name, attrs: el.attrs.map((a) => [a.name, content(a.value)]), children: content(el.children) };
}

function instanceSpec(ctx: ChunkContext, start: number, end: number): Instance {
  const raw = readRawInstance(ctx, start, end);
  return {
    template: elementSpec(raw.template),
    values: raw.values.map((v): Value => {
      if (v.type !== F.TYPE_BINXML || v.bytes.length === 0) return { type: v.type, bytes: v.bytes.slice() };
      return { type: F.TYPE_BINXML, nested: instanceSpec(ctx, v.offset, v.offset + v.bytes.length) };
    }),
  };
}

/** Every record of the .evtx files under `root`, as the test writer's record descriptions. */
export function realRecords(root: string): Instance[] {
  const out: Instance[] = [];
  for (const chunk of realChunks(root)) {
    const ctx = new ChunkContext(chunk);
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = Math.min(dv.getUint32(F.CHUNK_FREE_SPACE_OFFSET, true), F.CHUNK_BYTES);
    for (let at = F.CHUNK_HEADER_BYTES; at + F.RECORD_HEADER_BYTES <= end; ) {
      const size = dv.getUint32(at + F.RECORD_SIZE, true);
      if (dv.getUint32(at, true) !== F.RECORD_MAGIC || size < F.RECORD_MIN_BYTES) break;
      out.push(instanceSpec(ctx, at + F.RECORD_HEADER_BYTES, at + size - 4));
      at += size;
    }
  }
  return out;
}

/** A log of at least `minBytes`: the records written in turn, each chunk as full as they fit (as Windows fills them). */
export function denseEvtxLog(records: readonly Instance[], minBytes: number): { bytes: Uint8Array; records: number } {
  const chunks: Uint8Array[] = [];
  let written = 0;
  let w = new ChunkWriter(1);
  while (F.FILE_HEADER_BYTES + chunks.length * F.CHUNK_BYTES < minBytes || written === 0) {
    const r = records[written % records.length];
    if (!w.add({ ...r, id: written + 1 })) {
      chunks.push(w.finish());
      w = new ChunkWriter(written + 1);
      continue;
    }
    written++;
  }
  if (w.count > 0) chunks.push(w.finish());
  return { bytes: evtxFile(chunks), records: written };
}

// ---- the generator's events as a .evtx log ----

type JsonValue = null | string | number | boolean | JsonValue[] | { [k: string]: JsonValue };

/** A JSON scalar as a substitution value of the type Windows would use for it. */
function valueOf(v: JsonValue): Value {
  if (v === null) return { type: F.TYPE_NULL, bytes: new Uint8Array(0) };
  if (typeof v === 'boolean') return num(F.TYPE_BOOL, v ? 1 : 0);
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (v >= 0 && v <= 0xffff) return num(F.TYPE_UINT16, v);
    if (v >= 0 && v <= 0xffffffff) return num(F.TYPE_UINT32, v);
    return num(v < 0 ? F.TYPE_INT64 : F.TYPE_UINT64, BigInt(v));
  }
  return str(String(v));
}

/**
 * An event in evtx_dump's JSON shape as a record the way Sysmon writes one: a System template whose last value is
 * the EventData as binary XML (a template instance of its own, one `Data Name=` per field).
 */
export function recordFromEvtxJson(event: { Event: { System: Record<string, JsonValue>; EventData?: Record<string, JsonValue> } }): RecordSpec {
  const values: Value[] = [];
  const sub = (v: JsonValue): Content => {
    values.push(valueOf(v));
    return { sub: values.length - 1, optional: true };
  };
  const system: Elem[] = Object.entries(event.Event.System).map(([k, v]) => {
    if (v === null) return { el: k };
    if (typeof v === 'object' && !Array.isArray(v)) {
      const attrs = Object.entries((v['#attributes'] ?? {}) as Record<string, JsonValue>).map(([a, av]): [string, Content[]] => [a, [sub(av)]]);
      return { el: k, attrs, children: '#text' in v ? [sub(v['#text'])] : [] };
    }
    return { el: k, children: [sub(v)] };
  });
  const dataValues: Value[] = [];
  const data: Elem[] = Object.entries(event.Event.EventData ?? {}).map(([k, v]) => {
    dataValues.push(valueOf(v));
    return { el: 'Data', attrs: [['Name', [{ text: k }]]], children: [{ sub: dataValues.length - 1, optional: true }] };
  });
  values.push({ type: F.TYPE_BINXML, nested: { template: { el: 'EventData', children: data }, values: dataValues } });
  return {
    template: {
      el: 'Event',
      attrs: [['xmlns', [{ text: 'http://schemas.microsoft.com/win/2004/08/events/event' }]]],
      children: [{ el: 'System', children: system }, { sub: values.length - 1 }],
    },
    values,
  };
}

/** Records into chunks, as full as they fit, and a file. */
export function evtxFromRecordSpecs(records: Iterable<RecordSpec>): { bytes: Uint8Array; records: number } {
  const chunks: Uint8Array[] = [];
  let written = 0;
  let w = new ChunkWriter(1);
  for (const r of records) {
    if (!w.add({ ...r, id: written + 1 })) {
      chunks.push(w.finish());
      w = new ChunkWriter(written + 1);
      if (!w.add({ ...r, id: written + 1 })) throw new Error('a record larger than a chunk');
    }
    written++;
  }
  if (w.count > 0) chunks.push(w.finish());
  return { bytes: evtxFile(chunks), records: written };
}
