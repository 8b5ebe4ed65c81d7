/**
 * Multi-core scanning of NDJSON (Node): the input is cut into pieces at line boundaries, each piece is scanned by one
 * of N worker threads, each with its own WASM instance loaded from the compiled artifact, and the results come back
 * in input order, with event indices and line numbers as a single-threaded scan would give them. Only NDJSON can be
 * cut this way (a record never spans lines); other formats are scanned on one thread by the caller.
 */
import { Worker } from 'node:worker_threads';
import { writeArtifact } from '../compiler/artifact.js';
import type { CompiledRuleSet } from '../compiler/compile.js';
import type { Hit, InputNote, ScanBatch } from './matcher.js';

/** Pieces of about this size keep every worker busy without holding much input in flight. */
export const DEFAULT_PIECE_BYTES = 2 << 20;
/** Pieces in flight per worker: one being scanned, one queued. */
const IN_FLIGHT_PER_WORKER = 2;
const NEWLINE = 0x0a;

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
  error?: string;
}

export interface PieceRequest {
  seq: number;
  bytes: Uint8Array;
}

interface WorkerSlot {
  worker: Worker;
  inFlight: number;
}

export class ParallelScanner {
  private readonly workers: WorkerSlot[] = [];
  private readonly pending = new Map<number, (r: PieceResult) => void>();
  private nextSeq = 0;
  private readonly pieceBytes: number;
  private eventBase = 0;
  /** 1-based line number of the next piece's first line. */
  private lineBase = 1;
  /** Rule programs run over the whole input (the prefilter's effect), summed over the workers. */
  rulesEvaluated = 0;
  events = 0;

  private constructor(artifact: Uint8Array, options: ParallelOptions) {
    this.pieceBytes = options.pieceBytes ?? DEFAULT_PIECE_BYTES;
    const workerUrl = new URL('./parallel-worker.js', import.meta.url);
    for (let i = 0; i < options.threads; i++) {
      const worker = new Worker(workerUrl, {
        workerData: { artifact, nullMatchesAbsent: options.nullMatchesAbsent, evtx: options.evtx, maxRecordBytes: options.maxRecordBytes, records: options.records },
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
    const artifact = compiled instanceof Uint8Array ? compiled : writeArtifact(compiled);
    return new ParallelScanner(artifact, options);
  }

  /** Scan an NDJSON byte stream; batches come out in input order. */
  async *scan(input: AsyncIterable<Uint8Array>): AsyncGenerator<ScanBatch> {
    this.eventBase = 0;
    this.lineBase = 1;
    this.events = 0;
    this.rulesEvaluated = 0;
    const queue: Promise<PieceResult>[] = [];
    let carry: Uint8Array = new Uint8Array(0);
    const limit = this.workers.length * IN_FLIGHT_PER_WORKER;
    for await (const chunk of input) {
      let data = carry.length > 0 ? concat(carry, chunk) : chunk;
      while (data.length >= this.pieceBytes) {
        const cut = data.lastIndexOf(NEWLINE, this.pieceBytes - 1);
        // A line longer than a piece: take it whole (up to its end, if in sight).
        const end = cut >= 0 ? cut + 1 : data.indexOf(NEWLINE) >= 0 ? data.indexOf(NEWLINE) + 1 : -1;
        if (end < 0) break;
        queue.push(this.send(data.subarray(0, end)));
        data = data.subarray(end);
        while (queue.length >= limit) yield this.settle(await queue.shift()!);
      }
      carry = data.slice();
    }
    if (carry.length > 0) queue.push(this.send(carry));
    while (queue.length > 0) yield this.settle(await queue.shift()!);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private send(bytes: Uint8Array): Promise<PieceResult> {
    const slot = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const seq = this.nextSeq++;
    slot.inFlight++;
    const copy = bytes.slice(); // the worker takes ownership of its own buffer
    return new Promise<PieceResult>((resolve) => {
      this.pending.set(seq, (r) => {
        slot.inFlight--;
        resolve(r);
      });
      const request: PieceRequest = { seq, bytes: copy };
      slot.worker.postMessage(request, [copy.buffer as ArrayBuffer]);
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
    const notes = r.notes.map((n) => ({ ...n, line: this.lineBase + n.line }));
    this.eventBase += r.events;
    this.lineBase += r.lines;
    this.events += r.events;
    this.rulesEvaluated += r.rulesEvaluated;
    return { hits, notes, events: r.events };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
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
