/**
 * A small .evtx writer for tests: chunks of records whose binary XML is a template instance, with names and template
 * definitions stored in place on first use and referenced by chunk offset afterwards (as Windows writes them),
 * substitution values of any type, binary XML values holding nested template instances, and valid checksums. Tests
 * build the structures the regression samples lack (every value type, arrays, UserData, unnamed Data, ...) and
 * damage them on purpose.
 */
import * as F from '../../src/input/evtx/format.js';
import { crc32 } from '../../src/input/evtx/crc32.js';

export type Content =
  | { text: string }
  | { cdata: string }
  | { sub: number; optional?: boolean; declared?: number }
  | { charref: number }
  | { entref: string }
  | { pi: string; data?: string }
  | Elem;

export interface Elem {
  el: string;
  attrs?: [string, Content[]][];
  children?: Content[];
}

export type Value = { type: number; bytes: Uint8Array } | { type: typeof F.TYPE_BINXML; nested: Instance };

export interface Instance {
  template: Elem;
  values: Value[];
}

export interface RecordSpec extends Instance {
  id?: number;
  /** FILETIME ticks of the record's written time. */
  written?: bigint;
}

class Buf {
  b = new Uint8Array(F.CHUNK_BYTES);
  dv = new DataView(this.b.buffer);
  pos = 0;
  u8(v: number): void {
    if (this.pos >= this.b.length) throw new RangeError('the chunk is full');
    this.b[this.pos++] = v;
  }
  u16(v: number): void {
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  u64(v: bigint): void {
    this.dv.setBigUint64(this.pos, v, true);
    this.pos += 8;
  }
  bytes(x: Uint8Array): void {
    this.b.set(x, this.pos);
    this.pos += x.length;
  }
  utf16(s: string): void {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
  }
}

/** Writes one chunk; names and templates are shared by its records. */
export class ChunkWriter {
  private readonly buf = new Buf();
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<string, number>();
  private records = 0;
  private firstId = 0;
  private lastId = 0;
  private lastRecordOffset = 0;

  constructor(private readonly firstNumber = 1) {
    this.buf.pos = F.CHUNK_HEADER_BYTES;
  }

  /** Records written so far. */
  get count(): number {
    return this.records;
  }

  get free(): number {
    return F.CHUNK_BYTES - this.buf.pos;
  }

  private name(n: string): void {
    const b = this.buf;
    const known = this.names.get(n);
    if (known !== undefined) {
      b.u32(known);
      return;
    }
    const at = b.pos + 4;
    b.u32(at);
    this.names.set(n, at);
    b.u32(0); // next string offset
    b.u16(0); // hash (not checked by readers)
    b.u16(n.length);
    b.utf16(n);
    b.u16(0);
  }

  private text(s: string): void {
    this.buf.u16(s.length);
    this.buf.utf16(s);
  }

  private content(c: Content, inValue: boolean): void {
    const b = this.buf;
    if ('el' in c) this.element(c, inValue);
    else if ('text' in c) {
      b.u8(F.TOKEN_VALUE);
      b.u8(F.TYPE_STRING);
      this.text(c.text);
    } else if ('cdata' in c) {
      b.u8(F.TOKEN_CDATA);
      this.text(c.cdata);
    } else if ('sub' in c) {
      b.u8(c.optional ? F.TOKEN_OPTIONAL_SUBSTITUTION : F.TOKEN_NORMAL_SUBSTITUTION);
      b.u16(c.sub);
      b.u8(c.declared ?? F.TYPE_STRING);
    } else if ('charref' in c) {
      b.u8(F.TOKEN_CHAR_REF);
      b.u16(c.charref);
    } else if ('entref' in c) {
      b.u8(F.TOKEN_ENTITY_REF);
      this.name(c.entref);
    } else {
      b.u8(F.TOKEN_PI_TARGET);
      this.name(c.pi);
      b.u8(F.TOKEN_PI_DATA);
      this.text(c.data ?? '');
    }
  }

  private element(e: Elem, inValue: boolean): void {
    const b = this.buf;
    const attrs = e.attrs ?? [];
    b.u8(attrs.length > 0 ? F.TOKEN_OPEN_START | F.TOKEN_MORE_FLAG : F.TOKEN_OPEN_START);
    if (!inValue) b.u16(0xffff);
    const sizeAt = b.pos;
    b.u32(0);
    this.name(e.el);
    if (attrs.length > 0) {
      const listAt = b.pos;
      b.u32(0);
      attrs.forEach(([name, value], i) => {
        b.u8(i < attrs.length - 1 ? F.TOKEN_ATTRIBUTE | F.TOKEN_MORE_FLAG : F.TOKEN_ATTRIBUTE);
        this.name(name);
        for (const v of value) this.content(v, inValue);
      });
      b.dv.setUint32(listAt, b.pos - listAt - 4, true);
    }
    const children = e.children ?? [];
    if (children.length === 0) b.u8(F.TOKEN_CLOSE_EMPTY);
    else {
      b.u8(F.TOKEN_CLOSE_START);
      for (const c of children) this.content(c, inValue);
      b.u8(F.TOKEN_END_ELEMENT);
    }
    b.dv.setUint32(sizeAt, b.pos - sizeAt - 4, true);
  }

  /** A template instance at the write position: definition in place on first use, then the values. */
  private instance(inst: Instance): void {
    const b = this.buf;
    const key = JSON.stringify(inst.template);
    b.u8(F.TOKEN_TEMPLATE_INSTANCE);
    b.u8(1);
    b.u32(0x1234);
    const known = this.templates.get(key);
    if (known !== undefined) b.u32(known);
    else {
      const at = b.pos + 4;
      b.u32(at);
      this.templates.set(key, at);
      b.u32(0); // next definition
      b.bytes(new Uint8Array(16)); // GUID
      const sizeAt = b.pos;
      b.u32(0);
      const start = b.pos;
      b.bytes(new Uint8Array([F.TOKEN_FRAGMENT_HEADER, 1, 1, 0]));
      this.element(inst.template, false);
      b.u8(F.TOKEN_EOF);
      b.dv.setUint32(sizeAt, b.pos - start, true);
    }
    b.u32(inst.values.length);
    const descriptors = b.pos;
    b.pos += inst.values.length * F.DESCRIPTOR_BYTES;
    inst.values.forEach((v, i) => {
      const start = b.pos;
      if ('nested' in v) {
        b.bytes(new Uint8Array([F.TOKEN_FRAGMENT_HEADER, 1, 1, 0]));
        this.instance(v.nested);
        b.u8(F.TOKEN_EOF);
      } else b.bytes(v.bytes);
      const d = descriptors + i * F.DESCRIPTOR_BYTES;
      b.dv.setUint16(d, b.pos - start, true);
      b.b[d + 2] = v.type;
      b.b[d + 3] = 0;
    });
  }

  /** Append a record; false (nothing written) when it does not fit. */
  add(r: RecordSpec): boolean {
    const b = this.buf;
    const saved = { pos: b.pos, names: new Map(this.names), templates: new Map(this.templates) };
    try {
      const start = b.pos;
      const id = r.id ?? this.firstNumber + this.records;
      b.u32(F.RECORD_MAGIC);
      b.u32(0);
      b.u64(BigInt(id));
      b.u64(r.written ?? 133_000_000_000_000_000n);
      b.bytes(new Uint8Array([F.TOKEN_FRAGMENT_HEADER, 1, 1, 0]));
      this.instance(r);
      b.u8(F.TOKEN_EOF);
      while ((b.pos + 4 - start) % F.RECORD_ALIGN !== 0) b.u8(0);
      const size = b.pos + 4 - start;
      b.u32(size);
      b.dv.setUint32(start + F.RECORD_SIZE, size, true);
      if (this.records === 0) this.firstId = id;
      this.lastId = id;
      this.lastRecordOffset = start;
      this.records++;
      return true;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      b.b.fill(0, saved.pos);
      b.pos = saved.pos;
      this.names.clear();
      for (const [k, v] of saved.names) this.names.set(k, v);
      this.templates.clear();
      for (const [k, v] of saved.templates) this.templates.set(k, v);
      return false;
    }
  }

  /** The chunk's bytes, header and checksums filled in. */
  finish(): Uint8Array {
    const b = this.buf;
    const h = new DataView(b.b.buffer);
    b.b.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]);
    h.setBigUint64(F.CHUNK_FIRST_RECORD_NUMBER, BigInt(this.firstNumber), true);
    h.setBigUint64(F.CHUNK_LAST_RECORD_NUMBER, BigInt(this.firstNumber + this.records - 1), true);
    h.setBigUint64(F.CHUNK_FIRST_RECORD_ID, BigInt(this.firstId), true);
    h.setBigUint64(F.CHUNK_LAST_RECORD_ID, BigInt(this.lastId), true);
    h.setUint32(F.CHUNK_HEADER_SIZE, 128, true);
    h.setUint32(F.CHUNK_LAST_RECORD_OFFSET, this.lastRecordOffset, true);
    h.setUint32(F.CHUNK_FREE_SPACE_OFFSET, b.pos, true);
    fixChunkChecksums(b.b);
    return b.b;
  }
}

/** Recompute a chunk's records and header checksums (after building or editing it). */
export function fixChunkChecksums(chunk: Uint8Array): void {
  const h = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const free = h.getUint32(F.CHUNK_FREE_SPACE_OFFSET, true);
  h.setUint32(F.CHUNK_RECORDS_CHECKSUM, crc32(chunk, F.CHUNK_HEADER_BYTES, free), true);
  h.setUint32(F.CHUNK_CHECKSUM, crc32(chunk, F.CHUNK_CHECKSUMMED_B, F.CHUNK_HEADER_BYTES, crc32(chunk, 0, F.CHUNK_CHECKSUMMED_A)), true);
}

/** A file: header (checksum filled in) and the chunks. */
export function evtxFile(chunks: Uint8Array[], flags = 0): Uint8Array {
  const out = new Uint8Array(F.FILE_HEADER_BYTES + chunks.length * F.CHUNK_BYTES);
  const h = new DataView(out.buffer);
  out.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]);
  h.setBigUint64(F.FILE_LAST_CHUNK, BigInt(Math.max(chunks.length - 1, 0)), true);
  h.setUint32(F.FILE_HEADER_SIZE, 128, true);
  h.setUint16(F.FILE_MINOR_VERSION, 1, true);
  h.setUint16(F.FILE_MAJOR_VERSION, 3, true);
  h.setUint16(40, F.FILE_HEADER_BYTES, true);
  h.setUint16(F.FILE_CHUNK_COUNT, chunks.length, true);
  h.setUint32(F.FILE_FLAGS, flags, true);
  h.setUint32(F.FILE_CHECKSUM, crc32(out, 0, F.FILE_CHECKSUMMED), true);
  chunks.forEach((c, i) => out.set(c, F.FILE_HEADER_BYTES + i * F.CHUNK_BYTES));
  return out;
}

/** Records into as many chunks as they need, as a file. */
export function evtxFromRecords(records: RecordSpec[], flags = 0): Uint8Array {
  const chunks: Uint8Array[] = [];
  let w = new ChunkWriter(1);
  let number = 1;
  for (const r of records) {
    if (!w.add(r)) {
      chunks.push(w.finish());
      w = new ChunkWriter(number);
      if (!w.add(r)) throw new Error('a record larger than a chunk');
    }
    number++;
  }
  chunks.push(w.finish());
  return evtxFile(chunks, flags);
}

// ---- values ----

export const str = (s: string, nul = true): Value => {
  const b = new Uint8Array((s.length + (nul ? 1 : 0)) * 2);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < s.length; i++) dv.setUint16(i * 2, s.charCodeAt(i), true);
  return { type: F.TYPE_STRING, bytes: b };
};

export function num(type: number, v: number | bigint): Value {
  const sizes: Record<number, number> = {
    [F.TYPE_INT8]: 1, [F.TYPE_UINT8]: 1, [F.TYPE_INT16]: 2, [F.TYPE_UINT16]: 2, [F.TYPE_INT32]: 4, [F.TYPE_UINT32]: 4,
    [F.TYPE_INT64]: 8, [F.TYPE_UINT64]: 8, [F.TYPE_HEX32]: 4, [F.TYPE_HEX64]: 8, [F.TYPE_BOOL]: 4, [F.TYPE_FILETIME]: 8,
    [F.TYPE_REAL32]: 4, [F.TYPE_REAL64]: 8,
  };
  const b = new Uint8Array(sizes[type]);
  const dv = new DataView(b.buffer);
  switch (type) {
    case F.TYPE_INT8: dv.setInt8(0, Number(v)); break;
    case F.TYPE_UINT8: dv.setUint8(0, Number(v)); break;
    case F.TYPE_INT16: dv.setInt16(0, Number(v), true); break;
    case F.TYPE_UINT16: dv.setUint16(0, Number(v), true); break;
    case F.TYPE_INT32: case F.TYPE_BOOL: dv.setInt32(0, Number(v), true); break;
    case F.TYPE_UINT32: case F.TYPE_HEX32: dv.setUint32(0, Number(v), true); break;
    case F.TYPE_INT64: dv.setBigInt64(0, BigInt(v), true); break;
    case F.TYPE_REAL32: dv.setFloat32(0, Number(v), true); break;
    case F.TYPE_REAL64: dv.setFloat64(0, Number(v), true); break;
    default: dv.setBigUint64(0, BigInt(v), true);
  }
  return { type, bytes: b };
}

export const raw = (type: number, bytes: number[] | Uint8Array): Value => ({ type, bytes: Uint8Array.from(bytes) });

/** The usual record shape: Event / System (Provider, EventID, TimeCreated, EventRecordID, Channel) / EventData. */
export function eventTemplate(data: Elem): Elem {
  return {
    el: 'Event',
    attrs: [['xmlns', [{ text: 'http://schemas.microsoft.com/win/2004/08/events/event' }]]],
    children: [
      {
        el: 'System',
        children: [
          { el: 'Provider', attrs: [['Name', [{ sub: 0, optional: true }]]] },
          { el: 'EventID', children: [{ sub: 1, optional: true }] },
          { el: 'TimeCreated', attrs: [['SystemTime', [{ sub: 2, optional: true }]]] },
          { el: 'EventRecordID', children: [{ sub: 3, optional: true }] },
          { el: 'Channel', children: [{ sub: 4, optional: true }] },
        ],
      },
      data,
    ],
  };
}

/** Values 0-4 of eventTemplate. */
export function systemValues(eventId: number, recordId: number): Value[] {
  return [str('Test-Provider'), num(F.TYPE_UINT16, eventId), num(F.TYPE_FILETIME, 133_000_000_000_000_000n), num(F.TYPE_UINT64, recordId), str('Test')];
}
