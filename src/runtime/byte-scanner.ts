/**
 * The bytes path's host loop: JSON bytes arrive in chunks of any size; they are copied into the VM's input region,
 * the VM frames and scans whole records, and whatever it did not consume (a record cut off by the chunk's end) is
 * copied out and sent again with the next chunk, so a caller may reuse a chunk's memory once push returns. Fallback
 * events (records the VM cannot read exactly as JSON.parse does)
 * are parsed here and evaluated through the objects path, and their hits merged in event order.
 */
import * as C from './context.js';
import type { VmHost } from './host.js';
import type { Hit, InputNote, ScanBatch } from './matcher.js';

/** What each malformed-record reason (NOTE_DETAIL) means, in the words of the reference reader. */
const MALFORMED_MESSAGES: Readonly<Record<number, string>> = {
  [C.MALFORMED_SYNTAX]: 'invalid JSON',
  [C.MALFORMED_JUNK]: 'expected a JSON object (an event)',
  [C.MALFORMED_TRAILING]: 'text after the JSON object on the same line',
  [C.MALFORMED_NEWLINE]: 'the line is not a complete JSON object (unterminated string, object or array)',
  [C.MALFORMED_TRUNCATED]: 'the input ends inside a JSON value (truncated record)',
  [C.MALFORMED_EMPTY_ELEMENT]: 'empty element in the JSON array',
  [C.MALFORMED_ARRAY_JUNK]: 'text where the JSON array needs "," or "]", or after its end',
  [C.MALFORMED_ARRAY_UNCLOSED]: 'the JSON array is not closed with "]"',
};

export interface ScanHost {
  readonly host: VmHost;
  readonly flags: number;
  readonly maxRecordBytes: number;
  /** Evaluate one parsed event through the objects path, as event `index`. */
  matchFallback(event: unknown, index: number, line: number): Hit[];
  growForEvent(needBytes: number): void;
}

const utf8 = new TextDecoder('utf-8');

export class ByteScanner {
  private chunks: Uint8Array[] = [];
  private pendingBytes = 0;
  private eventBase = 0;
  private lineBase = 1;
  private framing = 0;
  private ended = false;
  /** Events read so far. */
  events = 0;
  /** Rule programs run so far (candidates plus always-evaluated rules): the prefilter's effect. */
  rulesEvaluated = 0;

  /**
   * @param format 'auto' lets the input decide (DESIGN.md, framing); 'ndjson' reads it as NDJSON from the first byte,
   * as a piece of an NDJSON input cut at a line boundary must be read.
   */
  constructor(
    private readonly owner: ScanHost,
    format: 'auto' | 'ndjson' = 'auto',
    private readonly keepRecords = false,
  ) {
    this.framing = format === 'ndjson' ? C.FRAMING_NDJSON : 0;
  }

  /** Lines read so far (the input's last line included once its end is seen). */
  get lines(): number {
    return this.lineBase - 1;
  }

  /**
   * Scan a chunk; returns the hits and notes of every record the chunk completed. The scanner keeps no view of the
   * chunk: its caller may overwrite it (a reused read buffer) once push returns.
   */
  push(chunk: Uint8Array): ScanBatch {
    if (this.ended) throw new Error('the scanner has ended; create a new one for a new input');
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const batch = this.run(false);
    this.retainPending(chunk);
    return batch;
  }

  /**
   * Copy what is still pending of `chunk` (a record it cut off) into a buffer of our own. Earlier chunks' pending
   * bytes were copied when they were pushed, so a record spanning many chunks costs one copy of each byte.
   */
  private retainPending(chunk: Uint8Array): void {
    this.chunks = this.chunks.map((c) => (c.buffer === chunk.buffer ? c.slice() : c));
  }

  /** End of input: a record cut off at the end is reported as truncated. */
  end(): ScanBatch {
    if (this.ended) return { hits: [], notes: [], events: 0 };
    const batch = this.run(true);
    this.ended = true;
    return batch;
  }

  private run(final: boolean): ScanBatch {
    const { host } = this.owner;
    const hits: Hit[] = [];
    const notes: InputNote[] = [];
    const fallbacks: { index: number; line: number; text: string }[] = [];
    let events = 0;
    for (;;) {
      const available = this.pendingBytes;
      const length = Math.min(available, host.inputCapacity);
      const isFinal = final && length === available;
      if (length === 0 && !isFinal) break;
      this.copyPending(length);
      host.set(C.CTX_INPUT_LEN, length);
      host.set(C.CTX_EVENT_BASE, this.eventBase);
      host.set(C.CTX_LINE_BASE, this.lineBase);
      host.set(C.CTX_FLAGS, this.owner.flags | (isFinal ? C.FLAG_FINAL : 0));
      host.set(C.CTX_FRAMING, this.framing);
      host.runScan();
      this.framing = host.get(C.CTX_FRAMING);
      this.drain(hits, notes, fallbacks);
      this.rulesEvaluated += host.get(C.CTX_RULES_EVALUATED);
      const consumed = host.get(C.CTX_CONSUMED);
      const completed = host.get(C.CTX_EVENT_COUNT);
      events += completed;
      this.eventBase += completed;
      this.lineBase += host.get(C.CTX_LINE_COUNT);
      this.drop(consumed);
      const status = host.get(C.CTX_STATUS);
      if (status === C.STATUS_HITS_FULL || status === C.STATUS_NOTES_FULL) continue;
      if (status === C.STATUS_ARENA_FULL) {
        this.owner.growForEvent(host.get(C.CTX_STATUS_DETAIL));
        continue;
      }
      if (status !== C.STATUS_OK) throw new Error(`the sigmatch VM stopped with status ${status}`);
      if (isFinal) break;
      if (consumed === 0) {
        // Nothing whole in the region: either more input is needed, or one record is larger than the region.
        if (length < host.inputCapacity) break;
        if (host.inputCapacity >= this.owner.maxRecordBytes + 1) break; // the scanner reports it as too large
        host.grow('input', Math.min(host.inputCapacity * 2, this.owner.maxRecordBytes + 1));
      }
    }
    for (const f of fallbacks) {
      let event: unknown;
      try {
        event = JSON.parse(f.text);
      } catch {
        event = undefined; // the scanner judged it valid JSON; a disagreement would be a bug, so do not hide it
        throw new Error(`internal: the VM marked event ${f.index} for fallback but JSON.parse rejects it`);
      }
      for (const h of this.owner.matchFallback(event, f.index, f.line)) hits.push(this.keepRecords ? { ...h, record: f.text } : h);
    }
    if (fallbacks.length > 0) hits.sort((a, b) => a.event - b.event || a.rule - b.rule);
    this.events += events;
    return { hits, notes, events };
  }

  private drain(hits: Hit[], notes: InputNote[], fallbacks: { index: number; line: number; text: string }[]): void {
    const { host } = this.owner;
    const u32 = host.u32();
    const hitBase = host.get(C.CTX_HITS_PTR) >>> 2;
    const hitCount = host.get(C.CTX_HIT_COUNT);
    const words = C.HIT_BYTES / 4;
    const input = host.inputPtr;
    const u8 = host.u8();
    let lastEvent = -1;
    let lastRecord: string | undefined;
    for (let i = 0; i < hitCount; i++) {
      const at = hitBase + words * i;
      const hit: Hit = { event: u32[at + C.HIT_EVENT / 4], rule: u32[at + C.HIT_RULE / 4], line: u32[at + C.HIT_LINE / 4] };
      if (this.keepRecords) {
        if (hit.event !== lastEvent) {
          lastEvent = hit.event;
          lastRecord = utf8.decode(u8.subarray(input + u32[at + C.HIT_RECORD_START / 4], input + u32[at + C.HIT_RECORD_END / 4]));
        }
        hit.record = lastRecord;
      }
      hits.push(hit);
    }
    const noteBase = host.get(C.CTX_NOTES_PTR);
    for (let i = 0; i < host.get(C.CTX_NOTE_COUNT); i++) {
      const at = (noteBase + i * C.NOTE_BYTES) >>> 2;
      const kind = u32[at + C.NOTE_KIND / 4];
      const line = u32[at + C.NOTE_LINE / 4];
      const detail = u32[at + C.NOTE_DETAIL / 4];
      if (kind === C.NOTE_FALLBACK) {
        const start = input + u32[at + C.NOTE_START / 4];
        const end = input + u32[at + C.NOTE_END / 4];
        fallbacks.push({ index: detail, line, text: utf8.decode(u8.subarray(start, end)) });
      } else if (kind === C.NOTE_NOT_OBJECT) {
        notes.push({ kind: 'not-object', line, message: 'expected a JSON object (an event)' });
      } else if (kind === C.NOTE_TOO_LARGE) {
        notes.push({ kind: 'too-large', line, message: `the record is larger than ${this.owner.maxRecordBytes} bytes; skipped` });
      } else {
        notes.push({ kind: 'malformed', line, message: MALFORMED_MESSAGES[detail] ?? 'invalid JSON' });
      }
    }
  }

  /** Copy the first `length` pending bytes into the input region. */
  private copyPending(length: number): void {
    const { host } = this.owner;
    const u8 = host.u8();
    let at = host.inputPtr;
    let left = length;
    for (const c of this.chunks) {
      if (left === 0) break;
      const n = Math.min(c.length, left);
      u8.set(n === c.length ? c : c.subarray(0, n), at);
      at += n;
      left -= n;
    }
  }

  /** Forget the first `n` pending bytes. */
  private drop(n: number): void {
    this.pendingBytes -= n;
    while (n > 0) {
      const c = this.chunks[0];
      if (c.length <= n) {
        n -= c.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }
}
