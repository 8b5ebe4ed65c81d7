/**
 * The .evtx path's host loop: bytes of a .evtx file arrive in pieces of any size; the file header is read here (by
 * the reference: it is read once), and each 64 KiB chunk, once whole, is copied into the VM's input region and
 * walked by the VM (assembly/evtx/), one call per chunk (more when a region fills). Memory stays flat: one chunk is
 * held at a time. Records the VM leaves to the host are decoded by the reference decoder and evaluated through the
 * objects path; records that cannot be decoded, and damaged chunks, become notes with their file offsets.
 *
 * Hits carry the record's file offset, its EventRecordID and its time (System/TimeCreated/@SystemTime, else the
 * record's written time): the VM hands the two values over with the hits (context.ts HIT_EVTX_RECORD_ID) where the
 * record's template holds them as the usual System template does; else the hit's record is read by the reference
 * (hits are rare; once per record).
 */
import * as C from './context.js';
import * as F from '../input/evtx/format.js';
import { ChunkContext, parseRecordXml, recordSystemValues } from '../input/evtx/binxml.js';
import { EvtxFormatError, filetimeText, jsonScalar, scalarBytes, valueText, type EvtxValue } from '../input/evtx/values.js';
import { renderEvent, type JsonObject } from '../input/evtx/render.js';
import { isChunkMagic } from '../input/evtx/chunk.js';
import { readFileHeader, isFileMagic } from '../input/evtx/reader.js';
import { EVTX_INFO_NOTES, EVTX_NOTE_CODES, evtxNoteMessage, type EvtxNote } from '../input/evtx/notes.js';
import type { VmHost } from './host.js';
import type { Hit, InputNote } from './matcher.js';

export interface EvtxScanHost {
  readonly host: VmHost;
  readonly flags: number;
  /** Evaluate one evtx_dump-shaped event (as the .evtx reference decoder renders it) through the objects path. */
  matchEvtxEvent(event: JsonObject, index: number): Hit[];
  growForEvent(needBytes: number): void;
}

export interface EvtxScanOptions {
  /** Keep each hit's event in `Hit.record` as the JSON text evtx_dump writes for it (for provenance). */
  events?: boolean;
  /** Refuse a damaged file: the first damage note throws EvtxDamagedError. */
  strict?: boolean;
  /** The input is whole chunks of a file (no file header), the first at this file offset: a piece of a file that
   * another thread's reader cut at chunk boundaries (ParallelScanner). */
  chunksAt?: number;
}

export interface EvtxBatch {
  hits: Hit[];
  notes: InputNote[];
  events: number;
}

/** A damaged .evtx file under `strict`. */
export class EvtxDamagedError extends Error {
  constructor(readonly note: InputNote) {
    super(`damaged EVTX file: ${note.message}`);
    this.name = 'EvtxDamagedError';
  }
}

/** Bytes to see before telling a file header from a chunk. */
const MAGIC_BYTES = 8;

export function evtxInputNote(n: EvtxNote): InputNote {
  return { kind: 'evtx', line: 0, endLine: 0, code: n.code, offset: n.offset, message: evtxNoteMessage(n) };
}

/** What a hit reports of its record: EventRecordID and time from the event when it has them (else the header's). */
export function recordIdentity(event: JsonObject | undefined, headerId: number, headerTime: string): { recordId: number; time: string } {
  const system = (event?.Event as { System?: Record<string, unknown> } | undefined)?.System;
  const id = system?.EventRecordID;
  const created = (system?.TimeCreated as { '#attributes'?: { SystemTime?: unknown } } | undefined)?.['#attributes']?.SystemTime;
  return { recordId: typeof id === 'number' ? id : headerId, time: typeof created === 'string' ? created : headerTime };
}

export class EvtxScanner {
  /** Where chunks start: -1 until the header is read; FILE_HEADER_BYTES, or 0 for carved chunks. */
  private start = -1;
  private readonly head = new Uint8Array(F.FILE_HEADER_BYTES);
  private headLength = 0;
  private readonly chunk = new Uint8Array(F.CHUNK_BYTES);
  private chunkLength = 0;
  /** File offset of the chunk being assembled. */
  private chunkOffset = 0;
  private notEvtx = false;
  private ended = false;
  private eventBase = 0;
  /** Records that could not be read, records the VM left to the reference decoder, and chunk slots unused. */
  unreadable = 0;
  hostRecords = 0;
  emptyChunks = 0;
  /** Rule programs run so far. */
  rulesEvaluated = 0;
  /** Records of hits whose EventRecordID and time the reference read (the VM hands over the usual template's). */
  identitiesRead = 0;

  constructor(
    private readonly owner: EvtxScanHost,
    private readonly options: EvtxScanOptions = {},
  ) {
    owner.host.enableEvtx();
    if (options.chunksAt !== undefined) {
      this.start = 0;
      this.chunkOffset = options.chunksAt;
    }
  }

  /** Scan a piece of the file; returns the hits and notes of every chunk it completed. */
  push(bytes: Uint8Array): EvtxBatch {
    if (this.ended) throw new Error('the scanner has ended; create a new one for a new file');
    const batch: EvtxBatch = { hits: [], notes: [], events: 0 };
    let at = 0;
    while (at < bytes.length && !this.notEvtx) {
      if (this.start < 0) {
        at += this.takeHeader(bytes.subarray(at), batch, false);
        continue;
      }
      if (this.chunkLength === 0 && bytes.length - at >= F.CHUNK_BYTES) {
        // A whole chunk in the piece (a file scanned at once): scanned where it is, not gathered first.
        this.scanChunk(bytes.subarray(at, at + F.CHUNK_BYTES), this.chunkOffset, batch);
        this.chunkOffset += F.CHUNK_BYTES;
        at += F.CHUNK_BYTES;
        continue;
      }
      const n = Math.min(F.CHUNK_BYTES - this.chunkLength, bytes.length - at);
      this.chunk.set(bytes.subarray(at, at + n), this.chunkLength);
      this.chunkLength += n;
      at += n;
      if (this.chunkLength === F.CHUNK_BYTES) this.flushChunk(batch);
    }
    return batch;
  }

  /** End of the file: a chunk cut off by it is read as far as it goes. */
  end(): EvtxBatch {
    const batch: EvtxBatch = { hits: [], notes: [], events: 0 };
    if (this.ended) return batch;
    if (this.start < 0 && !this.notEvtx) this.takeHeader(new Uint8Array(0), batch, true);
    if (this.start >= 0 && this.chunkLength > 0) this.flushChunk(batch);
    this.ended = true;
    return batch;
  }

  private note(batch: EvtxBatch, n: EvtxNote): void {
    const note = evtxInputNote(n);
    if (this.options.strict && !EVTX_INFO_NOTES.has(n.code)) throw new EvtxDamagedError(note);
    if (n.code === 'record-bad-xml') this.unreadable++;
    batch.notes.push(note);
  }

  /** Gather the file header (or tell carved chunks, or not EVTX); returns the bytes used. */
  private takeHeader(bytes: Uint8Array, batch: EvtxBatch, final: boolean): number {
    const want = this.headLength < MAGIC_BYTES ? MAGIC_BYTES : F.FILE_HEADER_BYTES;
    const n = Math.min(want - this.headLength, bytes.length);
    this.head.set(bytes.subarray(0, n), this.headLength);
    this.headLength += n;
    const head = this.head.subarray(0, this.headLength);
    if (this.headLength < want && !final) return n;
    if (isChunkMagic(head) || (!isFileMagic(head) && this.headLength >= MAGIC_BYTES) || final || this.headLength === F.FILE_HEADER_BYTES) {
      this.start = readFileHeader(head, (note) => this.note(batch, note));
      if (this.start < 0) {
        this.notEvtx = true;
        return n;
      }
      if (this.start === 0) {
        // Carved chunks: what was read is the chunk's start.
        this.chunk.set(head);
        this.chunkLength = head.length;
      }
      this.chunkOffset = this.start;
    }
    return n;
  }

  private flushChunk(batch: EvtxBatch): void {
    this.scanChunk(this.chunk.subarray(0, this.chunkLength), this.chunkOffset, batch);
    this.chunkOffset += this.chunkLength;
    this.chunkLength = 0;
  }

  /** One chunk through the VM (more calls when a region fills or a record is the host's). */
  private scanChunk(chunk: Uint8Array, fileOffset: number, batch: EvtxBatch): void {
    const { host } = this.owner;
    if (host.inputCapacity < F.CHUNK_BYTES) host.grow('input', F.CHUNK_BYTES);
    const serial = host.nextEvtxChunk();
    let framing = 0;
    let reference: ChunkContext | null = null;
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const decode = (pos: number, size: number): JsonObject => {
      reference ??= new ChunkContext(chunk);
      return renderEvent(parseRecordXml(reference, pos + F.RECORD_HEADER_BYTES, pos + size - 4));
    };
    /** What a hit reports of its record (once per record): the event when kept, EventRecordID and time. */
    const records = new Map<number, { offset: number; recordId: number; time: string; record?: string }>();
    /** The record id and time the VM handed over with a hit (context.ts HIT_EVTX_VALUES), or undefined. */
    const handedOver = ([values, time]: readonly [number, number]): { recordId: EvtxValue; time: EvtxValue } | undefined => {
      const idType = (values >>> C.EVTX_HIT_ID_TYPE_SHIFT) & C.EVTX_HIT_TYPE_MASK;
      const timeType = (values >>> C.EVTX_HIT_TIME_TYPE_SHIFT) & C.EVTX_HIT_TYPE_MASK;
      if (idType === 0 || timeType === 0) return undefined;
      const idAt = values & C.EVTX_HIT_OFFSET_MASK;
      const timeAt = time & C.EVTX_HIT_OFFSET_MASK;
      return {
        recordId: { type: idType, bytes: chunk.subarray(idAt, idAt + scalarBytes(idType)), offset: idAt },
        time: { type: timeType, bytes: chunk.subarray(timeAt, timeAt + (time >>> C.EVTX_HIT_SIZE_SHIFT)), offset: timeAt },
      };
    };
    const recordOf = (pos: number, event?: JsonObject, handles?: readonly [number, number]): { offset: number; recordId: number; time: string; record?: string } => {
      const known = records.get(pos);
      if (known) return known;
      const size = dv.getUint32(pos + F.RECORD_SIZE, true);
      const headerId = Number(dv.getBigUint64(pos + F.RECORD_ID, true));
      const headerTime = (): string => filetimeText(dv.getBigUint64(pos + F.RECORD_WRITTEN, true));
      let ev = event;
      let id: { recordId: number; time: string } | null = null;
      if (ev === undefined && !this.options.events) {
        // Without the event: the two System values straight from the record's substitutions (the usual template),
        // as the VM handed them over, else as the reference reads them.
        try {
          let sys: { recordId?: EvtxValue; time?: EvtxValue } | undefined = handles && handedOver(handles);
          if (!sys) {
            this.identitiesRead++;
            reference ??= new ChunkContext(chunk);
            sys = recordSystemValues(reference, pos + F.RECORD_HEADER_BYTES, pos + size - 4);
          }
          const n = sys.recordId ? jsonScalar(sys.recordId) : undefined;
          if (typeof n === 'number' && sys.time) id = { recordId: n, time: valueText(sys.time) };
        } catch (e) {
          if (!(e instanceof EvtxFormatError)) throw e;
        }
      }
      if (id === null && ev === undefined) {
        try {
          ev = decode(pos, size);
        } catch (e) {
          if (!(e instanceof EvtxFormatError)) throw e;
        }
      }
      id ??= recordIdentity(ev, headerId, headerTime());
      const r = { offset: fileOffset + pos, ...id, ...(this.options.events && ev ? { record: JSON.stringify(ev) } : {}) };
      records.set(pos, r);
      return r;
    };
    const enrich = (hit: Hit, pos: number, event?: JsonObject, handles?: readonly [number, number]): Hit => ({ ...hit, ...recordOf(pos, event, handles) });
    for (;;) {
      host.u8().set(chunk, host.inputPtr);
      host.set(C.CTX_INPUT_LEN, chunk.length);
      host.set(C.CTX_EVENT_BASE, this.eventBase);
      host.set(C.CTX_FLAGS, this.owner.flags);
      host.set(C.CTX_FRAMING, framing);
      host.set(C.CTX_EVTX_CHUNK, serial);
      host.runEvtx();
      const u32 = host.u32();
      const hitBase = host.get(C.CTX_HITS_PTR) >>> 2;
      const words = C.HIT_BYTES / 4;
      for (let i = 0; i < host.get(C.CTX_HIT_COUNT); i++) {
        const at = hitBase + words * i;
        const hit: Hit = { event: u32[at + C.HIT_EVENT / 4], rule: u32[at + C.HIT_RULE / 4] };
        batch.hits.push(enrich(hit, u32[at + C.HIT_RECORD_START / 4], undefined, [u32[at + C.HIT_EVTX_VALUES / 4], u32[at + C.HIT_EVTX_TIME / 4]]));
      }
      const noteBase = host.get(C.CTX_NOTES_PTR) >>> 2;
      const noteWords = C.NOTE_BYTES / 4;
      for (let i = 0; i < host.get(C.CTX_NOTE_COUNT); i++) {
        const at = noteBase + noteWords * i;
        this.note(batch, {
          code: EVTX_NOTE_CODES[u32[at + C.NOTE_DETAIL / 4]],
          offset: fileOffset + u32[at + C.NOTE_START / 4],
          detail: u32[at + C.NOTE_END / 4],
          detail2: u32[at + C.NOTE_LINE / 4],
        });
      }
      if (host.get(C.CTX_EVTX_STATE) & C.EVTX_STATE_UNUSED) this.emptyChunks++;
      this.rulesEvaluated += host.get(C.CTX_RULES_EVALUATED);
      const completed = host.get(C.CTX_EVENT_COUNT);
      this.eventBase += completed;
      batch.events += completed;
      framing = host.get(C.CTX_FRAMING);
      const status = host.get(C.CTX_STATUS);
      if (status === C.STATUS_OK) break;
      if (status === C.STATUS_HITS_FULL || status === C.STATUS_NOTES_FULL) continue;
      if (status === C.STATUS_ARENA_FULL) {
        this.owner.growForEvent(host.get(C.CTX_STATUS_DETAIL));
        continue;
      }
      if (status !== C.STATUS_EVTX_RECORD) throw new Error(`the sigmatch VM stopped with status ${status}`);
      // A record the VM leaves to us: the reference decodes it (or says why it cannot), the objects path evaluates it.
      const pos = host.get(C.CTX_CONSUMED);
      const size = host.get(C.CTX_STATUS_DETAIL);
      this.hostRecords++;
      let event: JsonObject | null = null;
      try {
        event = decode(pos, size);
      } catch (e) {
        if (!(e instanceof EvtxFormatError)) throw e;
        this.note(batch, { code: 'record-bad-xml', offset: fileOffset + pos, detail: 0, detail2: 0, reason: e.message });
      }
      if (event) {
        for (const h of this.owner.matchEvtxEvent(event, this.eventBase)) batch.hits.push(enrich(h, pos, event));
        this.eventBase++;
        batch.events++;
      }
      const found = (framing >>> C.EVTX_FOUND_SHIFT) + 1;
      framing = ((pos + size) & C.EVTX_POSITION_MASK) | (found << C.EVTX_FOUND_SHIFT);
    }
  }

  /** Events read so far. */
  get events(): number {
    return this.eventBase;
  }
}
