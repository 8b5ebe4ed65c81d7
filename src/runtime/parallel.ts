/**
 * Multi-core scanning of NDJSON and .evtx files (Node): the input is cut into pieces at line boundaries (NDJSON) or
 * at 64 KiB chunk boundaries (.evtx: chunks are independent, each with its own names and templates), each piece is
 * scanned by one of N worker threads, each with its own WASM instance loaded from the compiled artifact, and the
 * results come back in input order, with event indices and line numbers (file offsets) as a single-threaded scan
 * would give them. Other formats cannot be cut safely and are scanned on one thread by the caller.
 *
 * Memory stays flat however long the input: input chunks are copied straight into piece buffers, each piece buffer
 * is transferred to its worker and transferred back with the result, and returned buffers are reused (a pool of at
 * most one per piece in flight), so no thread keeps allocating buffers that only a later GC would free.
 */
import { Worker } from 'node:worker_threads';
import { readArtifact } from '../compiler/artifact.js';
import type { CompileStats, CompiledRuleSet } from '../compiler/compile.js';
import type { Hit, InputNote, ScanBatch } from './matcher.js';
import * as F from '../input/evtx/format.js';
import { isFileMagic, readFileHeader } from '../input/evtx/reader.js';
import { EVTX_INFO_NOTES } from '../input/evtx/notes.js';
import { EvtxDamagedError, evtxInputNote } from './evtx-scanner.js';

/** Pieces of about this size keep every worker busy without holding much input in flight. */
export const DEFAULT_PIECE_BYTES = 1 << 20;
/** Pieces in flight per worker: one being scanned, one queued. */
const IN_FLIGHT_PER_WORKER = 2;
const NEWLINE = 0x0a;
const WORKER_YOUNG_GENERATION_MB = 2;

export interface ParallelOptions {
  threads: number;
  /** Keep each hit event's JSON text in Hit.record (for provenance). */
  records?: boolean;
  nullMatchesAbsent?: boolean;
  evtx?: boolean;
  maxRecordBytes?: number;
  pieceBytes?: number;
}

/** What a worker sends back for one piece. */
export interface PieceResult {
  seq: number;
  /** (event, rule, line) triples, event and line relative to the piece. */
  hits: Uint32Array;
  /** With `records`: the JSON text of each hit (aligned with the triples). */
  records?: string[];
  notes: InputNote[];
  events: number;
  lines: number;
  rulesEvaluated: number;
  /** .evtx pieces: the hits whole (with their records' offsets, ids and times; event relative to the piece). */
  evtxHits?: Hit[];
  /** The request's buffer, returned for reuse. */
  buffer?: ArrayBuffer;
  error?: string;
}

/** What a worker is started with: the program and what the Matcher needs besides it. */
export interface WorkerSetup {
  program: Uint8Array;
  ruleCount: number;
  fields: readonly (string | null)[];
  keywordSlot: number | null;
  stats: CompileStats;
  nullMatchesAbsent?: boolean;
  evtx?: boolean;
  maxRecordBytes?: number;
  records?: boolean;
}

export interface PieceRequest {
  seq: number;
  /** The piece is the first `length` bytes of `buffer` (transferred; sent back in PieceResult.buffer). */
  buffer: ArrayBuffer;
  length: number;
  /** A piece of .evtx chunks, the first at this file offset (else NDJSON). */
  evtxAt?: number;
}

interface WorkerSlot {
  worker: Worker;
  inFlight: number;
}

export class ParallelScanner {
  private readonly workers: WorkerSlot[] = [];
  private readonly pending = new Map<number, (r: PieceResult) => void>();
  /** Piece buffers back from the workers, for the next pieces. */
  private readonly pool: ArrayBuffer[] = [];
  private nextSeq = 0;
  private readonly pieceBytes: number;
  private eventBase = 0;
  /** 1-based line number of the next piece's first line. */
  private lineBase = 1;
  /** Rule programs run over the whole input (the prefilter's effect), summed over the workers. */
  rulesEvaluated = 0;
  events = 0;

  private constructor(compiled: CompiledRuleSet, options: ParallelOptions) {
    this.pieceBytes = options.pieceBytes ?? DEFAULT_PIECE_BYTES;
    const workerUrl = new URL('./parallel-worker.js', import.meta.url);
    // One copy of the program, shared by every worker (workerData would give each its own); the rules' metadata
    // stays here: a worker reports rule indices only.
    const program = new Uint8Array(new SharedArrayBuffer(compiled.program.length));
    program.set(compiled.program);
    const setup: WorkerSetup = {
      program,
      ruleCount: compiled.rules.length,
      fields: compiled.fields,
      keywordSlot: compiled.keywordSlot,
      stats: compiled.stats,
      nullMatchesAbsent: options.nullMatchesAbsent,
      evtx: options.evtx,
      maxRecordBytes: options.maxRecordBytes,
      records: options.records,
    };
    for (let i = 0; i < options.threads; i++) {
      const worker = new Worker(workerUrl, {
        workerData: setup,
        // A worker's garbage is small and short-lived (a piece's hits): a small young generation is collected often
        // instead of growing to V8's default.
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      worker.on('message', (r: PieceResult) => {
        const done = this.pending.get(r.seq);
        this.pending.delete(r.seq);
        done?.(r);
      });
      worker.on('error', (e) => {
        for (const done of this.pending.values()) done({ seq: -1, hits: new Uint32Array(), notes: [], events: 0, lines: 0, rulesEvaluated: 0, error: String(e) });
        this.pending.clear();
      });
      this.workers.push({ worker, inFlight: 0 });
    }
  }

  static async create(compiled: CompiledRuleSet | Uint8Array, options: ParallelOptions): Promise<ParallelScanner> {
    return new ParallelScanner(compiled instanceof Uint8Array ? readArtifact(compiled) : compiled, options);
  }

  /** Scan an NDJSON byte stream; batches come out in input order. */
  async *scan(input: AsyncIterable<Uint8Array>): AsyncGenerator<ScanBatch> {
    this.eventBase = 0;
    this.lineBase = 1;
    this.events = 0;
    this.rulesEvaluated = 0;
    const queue: Promise<PieceResult>[] = [];
    const limit = this.workers.length * IN_FLIGHT_PER_WORKER;
    // The piece being filled: its first `filled` bytes.
    let piece = new Uint8Array(this.takeBuffer(this.pieceBytes));
    let filled = 0;
    for await (const chunk of input) {
      let at = 0;
      while (at < chunk.length) {
        if (filled === piece.length) piece = grow(piece, filled);
        const n = Math.min(chunk.length - at, piece.length - filled);
        piece.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled < this.pieceBytes) continue;
        // Send up to the last line end; a line longer than a piece grows the buffer until its end comes.
        const end = piece.lastIndexOf(NEWLINE, filled - 1) + 1;
        if (end === 0) continue;
        const next = new Uint8Array(this.takeBuffer(Math.max(this.pieceBytes, filled - end)));
        next.set(piece.subarray(end, filled));
        queue.push(this.send(piece, end));
        piece = next;
        filled -= end;
        while (queue.length >= limit) yield this.settle(await queue.shift()!);
      }
    }
    if (filled > 0) queue.push(this.send(piece, filled));
    while (queue.length > 0) yield this.settle(await queue.shift()!);
  }

  /**
   * Scan a .evtx byte stream: the file header here, then pieces of whole chunks (pieceBytes rounded down to chunks)
   * to the workers; batches come out in file order. `strict` throws EvtxDamagedError at the first damage note.
   */
  async *scanEvtx(input: AsyncIterable<Uint8Array>, strict = false): AsyncGenerator<ScanBatch> {
    this.eventBase = 0;
    this.events = 0;
    this.rulesEvaluated = 0;
    const queue: Promise<PieceResult>[] = [];
    const limit = this.workers.length * IN_FLIGHT_PER_WORKER;
    const pieceBytes = Math.max(F.CHUNK_BYTES, this.pieceBytes - (this.pieceBytes % F.CHUNK_BYTES));
    const head = new Uint8Array(F.FILE_HEADER_BYTES);
    let headLength = 0;
    /** Where the chunks start: -1 until the header is read, -2 when the input is not .evtx (the rest is ignored). */
    let start = -1;
    let piece = new Uint8Array(this.takeBuffer(pieceBytes));
    let filled = 0;
    let offset = 0;
    const headerNotes: InputNote[] = [];
    const check = (notes: readonly InputNote[]): void => {
      if (!strict) return;
      const damage = notes.find((n) => n.code !== undefined && !EVTX_INFO_NOTES.has(n.code));
      if (damage) throw new EvtxDamagedError(damage);
    };
    const sendPiece = (): void => {
      queue.push(this.send(piece, filled, offset));
      offset += filled;
      piece = new Uint8Array(this.takeBuffer(pieceBytes));
      filled = 0;
    };
    /** Read the header gathered so far (all of it, or at the input's end). */
    const readHeader = (): void => {
      const found = readFileHeader(head.subarray(0, headLength), (n) => headerNotes.push(evtxInputNote(n)));
      check(headerNotes);
      start = found < 0 ? -2 : found;
      if (start === 0) {
        // Carved chunks: what was read is the first chunk's start.
        piece.set(head.subarray(0, headLength));
        filled = headLength;
      }
      offset = Math.max(start, 0);
    };
    let headerSent = false;
    for await (const chunk of input) {
      let at = 0;
      while (at < chunk.length && start !== -2) {
        if (start === -1) {
          // The first 8 bytes tell a file header (then read all 4096) from carved chunks or anything else.
          const want = headLength < 8 || !isFileMagic(head) ? 8 : F.FILE_HEADER_BYTES;
          const n = Math.min(want - headLength, chunk.length - at);
          head.set(chunk.subarray(at, at + n), headLength);
          headLength += n;
          at += n;
          if (headLength === F.FILE_HEADER_BYTES || (headLength === 8 && !isFileMagic(head))) readHeader();
          if (start !== -1 && headerNotes.length > 0) {
            headerSent = true;
            yield { hits: [], notes: headerNotes, events: 0 };
          }
          continue;
        }
        const n = Math.min(chunk.length - at, pieceBytes - filled);
        piece.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === pieceBytes) sendPiece();
        while (queue.length >= limit) yield this.settleEvtx(await queue.shift()!, check);
      }
    }
    if (start === -1) readHeader();
    if (!headerSent && headerNotes.length > 0) yield { hits: [], notes: headerNotes, events: 0 };
    if (start >= 0 && filled > 0) sendPiece();
    while (queue.length > 0) yield this.settleEvtx(await queue.shift()!, check);
  }

  private settleEvtx(r: PieceResult, check: (notes: readonly InputNote[]) => void): ScanBatch {
    if (r.error) throw new Error(`a scanning thread failed: ${r.error}`);
    check(r.notes);
    const hits = (r.evtxHits ?? []).map((h) => ({ ...h, event: this.eventBase + h.event }));
    this.eventBase += r.events;
    this.events += r.events;
    this.rulesEvaluated += r.rulesEvaluated;
    return { hits, notes: r.notes, events: r.events };
  }

  /** A buffer of at least `bytes` bytes: a returned one when it fits. */
  private takeBuffer(bytes: number): ArrayBuffer {
    const i = this.pool.findIndex((b) => b.byteLength >= bytes);
    return i >= 0 ? this.pool.splice(i, 1)[0] : new ArrayBuffer(bytes);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /** Send the first `length` bytes of `piece` (its buffer is transferred: the caller lets go of it). */
  private send(piece: Uint8Array, length: number, evtxAt?: number): Promise<PieceResult> {
    const slot = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const seq = this.nextSeq++;
    slot.inFlight++;
    return new Promise<PieceResult>((resolve) => {
      this.pending.set(seq, (r) => {
        slot.inFlight--;
        if (r.buffer && this.pool.length < this.workers.length * IN_FLIGHT_PER_WORKER) this.pool.push(r.buffer);
        resolve(r);
      });
      const request: PieceRequest = { seq, buffer: piece.buffer as ArrayBuffer, length, ...(evtxAt !== undefined ? { evtxAt } : {}) };
      slot.worker.postMessage(request, [request.buffer]);
    });
  }

  /** Re-base a piece's results onto the whole input. */
  private settle(r: PieceResult): ScanBatch {
    if (r.error) throw new Error(`a scanning thread failed: ${r.error}`);
    const hits: Hit[] = [];
    for (let i = 0; i < r.hits.length; i += 3) {
      const hit: Hit = { event: this.eventBase + r.hits[i], rule: r.hits[i + 1], line: this.lineBase + r.hits[i + 2] };
      if (r.records) hit.record = r.records[i / 3];
      hits.push(hit);
    }
    const notes = r.notes.map((n) => ({ ...n, line: this.lineBase + n.line, endLine: this.lineBase + n.endLine }));
    this.eventBase += r.events;
    this.lineBase += r.lines;
    this.events += r.events;
    this.rulesEvaluated += r.rulesEvaluated;
    return { hits, notes, events: r.events };
  }
}

/** A buffer twice the size holding the first `filled` bytes (a line longer than a piece). */
function grow(piece: Uint8Array, filled: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(piece.length * 2);
  out.set(piece.subarray(0, filled));
  return out;
}

/** Does the input start like NDJSON (its first record ends on its first line)? Decides whether it can be cut. */
export function looksLikeNdjson(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0d || head[i] === NEWLINE)) i++;
  if (i < head.length - 2 && head[i] === 0xef && head[i + 1] === 0xbb && head[i + 2] === 0xbf) i += 3;
  if (head[i] !== 0x7b) return false; // '{'
  const end = head.indexOf(NEWLINE, i);
  if (end < 0) return false;
  try {
    const v = JSON.parse(new TextDecoder().decode(head.subarray(i, end)));
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
