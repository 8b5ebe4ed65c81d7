/**
 * The bytes path's host loop: JSON bytes arrive in chunks of any size; they are copied into the VM's input region,
 * the VM frames and scans whole records, and whatever it did not consume (a record cut off by the chunk's end) is
 * copied out and sent again with the next chunk, so a caller may reuse a chunk's memory once push returns. Fallback
 * events (records the VM cannot read exactly as JSON.parse does)
 * are parsed here and evaluated through the objects path, and their hits merged in event order.
 */
import * as C from './context.js';
import type { InputHolder, VmHost } from './host.js';
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
  [C.MALFORMED_CUT]: 'the record does not close before the next record starts',
  [C.MALFORMED_STRING_NEWLINE]: 'a line ends inside a JSON string',
  [C.MALFORMED_MISSING_COMMA]: 'expected "," between array elements',
  [C.MALFORMED_ARRAY_REOPENED]: 'an object after the end of the JSON array: read as another element',
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

export class ByteScanner implements InputHolder {
  /** The framing block (C.FRAMING_WORDS words from C.CTX_FRAMING) between calls: this input's, not the VM's. */
  private readonly framing = new Uint32Array(C.FRAMING_WORDS);
  /** Unconsumed input bytes, at the start of the VM's input region (or in `evicted` while another user has it). */
  private held = 0;
  private evicted: Uint8Array | null = null;
  private eventBase = 0;
  private lineBase = 1;
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
    this.framing[0] = format === 'ndjson' ? C.FRAMING_NDJSON : 0;
  }

  /** Lines read so far (the input's last line included once its end is seen). */
  get lines(): number {
    return this.lineBase - 1;
  }

  /**
   * Scan a chunk; returns the hits and notes of every record the chunk completed. The chunk is copied into the VM's
   * input region behind what is still unconsumed, so a record spanning many chunks is copied once and framed once
   * (the VM resumes where it stopped); the caller may overwrite the chunk once push returns.
   */
  push(chunk: Uint8Array): ScanBatch {
    if (this.ended) throw new Error('the scanner has ended; create a new one for a new input');
    const out: ScanBatch = { hits: [], notes: [], events: 0 };
    this.claim();
    let offset = 0;
    while (offset < chunk.length) {
      const { host } = this.owner;
      if (this.held === host.inputCapacity) this.growInput();
      const n = Math.min(host.inputCapacity - this.held, chunk.length - offset);
      host.u8().set(chunk.subarray(offset, offset + n), host.inputPtr + this.held);
      this.held += n;
      host.holdInput(this.held);
      offset += n;
      this.run(false, out);
    }
    return out;
  }

  /** End of input: a record cut off at the end is reported as truncated. */
  end(): ScanBatch {
    const out: ScanBatch = { hits: [], notes: [], events: 0 };
    if (this.ended) return out;
    this.claim();
    this.run(true, out);
    this.ended = true;
    this.owner.host.claimInput(null);
    return out;
  }

  /** Another user needs the input region: keep the unconsumed bytes here until the next push. */
  evict(): void {
    const { host } = this.owner;
    this.evicted = host.u8().slice(host.inputPtr, host.inputPtr + this.held);
  }

  /** Take the input region back, with the bytes it held for this input. */
  private claim(): void {
    const { host } = this.owner;
    if (host.holdsInput(this)) return;
    host.claimInput(this);
    const bytes = this.evicted ?? new Uint8Array(0);
    this.evicted = null;
    if (bytes.length > host.inputCapacity) host.grow('input', bytes.length);
    host.u8().set(bytes, host.inputPtr);
    this.held = bytes.length;
    host.holdInput(this.held);
  }

  /** The region is full of one unfinished unit: make it larger (the VM reports a unit past the size limit itself). */
  private growInput(): void {
    const { host, maxRecordBytes } = this.owner;
    const limit = maxRecordBytes + 1;
    if (host.inputCapacity >= limit) throw new Error(`internal: the scanner holds ${this.held} bytes without consuming any`);
    host.grow('input', Math.min(host.inputCapacity * 2, limit));
  }

  /** Call the VM over the held bytes until it needs more input (or, when final, has consumed everything). */
  private run(final: boolean, out: ScanBatch): void {
    const { host } = this.owner;
    const fallbacks: { index: number; line: number; text: string }[] = [];
    const firstHit = out.hits.length;
    for (;;) {
      host.set(C.CTX_INPUT_PTR, host.inputPtr);
      host.set(C.CTX_INPUT_LEN, this.held);
      host.set(C.CTX_EVENT_BASE, this.eventBase);
      host.set(C.CTX_LINE_BASE, this.lineBase);
      host.set(C.CTX_FLAGS, this.owner.flags | (final ? C.FLAG_FINAL : 0));
      host.u32().set(this.framing, (host.ctx + C.CTX_FRAMING) >>> 2);
      host.runScan();
      this.framing.set(host.u32().subarray((host.ctx + C.CTX_FRAMING) >>> 2, ((host.ctx + C.CTX_FRAMING) >>> 2) + C.FRAMING_WORDS));
      this.drain(out.hits, out.notes, fallbacks);
      this.rulesEvaluated += host.get(C.CTX_RULES_EVALUATED);
      const consumed = host.get(C.CTX_CONSUMED);
      const completed = host.get(C.CTX_EVENT_COUNT);
      out.events += completed;
      this.events += completed;
      this.eventBase += completed;
      this.lineBase += host.get(C.CTX_LINE_COUNT);
      if (consumed > 0) {
        // What stays is at most the unit the VM stopped in; it moves to the front once, and stays put while the unit
        // grows (calls that consume nothing move nothing).
        const base = host.inputPtr;
        host.u8().copyWithin(base, base + consumed, base + this.held);
        this.held -= consumed;
        host.holdInput(this.held);
      }
      const status = host.get(C.CTX_STATUS);
      if (status === C.STATUS_HITS_FULL || status === C.STATUS_NOTES_FULL) continue;
      if (status === C.STATUS_ARENA_FULL) {
        this.owner.growForEvent(host.get(C.CTX_STATUS_DETAIL));
        continue;
      }
      if (status !== C.STATUS_OK) throw new Error(`the sigmatch VM stopped with status ${status}`);
      break;
    }
    if (final && this.held > 0) throw new Error(`internal: the final scan left ${this.held} bytes unconsumed`);
    if (fallbacks.length > 0) {
      // The objects path writes its records into the input region: the held bytes step out meanwhile.
      host.claimInput(null);
      for (const f of fallbacks) {
        let event: unknown;
        try {
          event = JSON.parse(f.text);
        } catch {
          throw new Error(`internal: the VM marked event ${f.index} for fallback but JSON.parse rejects it`);
        }
        for (const h of this.owner.matchFallback(event, f.index, f.line)) out.hits.push(this.keepRecords ? { ...h, record: f.text } : h);
      }
      this.claim();
      const fresh = out.hits.splice(firstHit);
      fresh.sort((a, b) => a.event - b.event || a.rule - b.rule);
      out.hits.push(...fresh);
    }
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
      const endLine = u32[at + C.NOTE_END_LINE / 4];
      const detail = u32[at + C.NOTE_DETAIL / 4];
      if (kind === C.NOTE_FALLBACK) {
        const start = input + u32[at + C.NOTE_START / 4];
        const end = input + u32[at + C.NOTE_END / 4];
        fallbacks.push({ index: detail, line, text: utf8.decode(u8.subarray(start, end)) });
      } else if (kind === C.NOTE_NOT_OBJECT) {
        notes.push({ kind: 'not-object', line, endLine, message: 'expected a JSON object (an event)' });
      } else if (kind === C.NOTE_TOO_LARGE) {
        notes.push({ kind: 'too-large', line, endLine, message: `the record is larger than ${this.owner.maxRecordBytes} bytes; skipped` });
      } else {
        notes.push({ kind: 'malformed', line, endLine, message: MALFORMED_MESSAGES[detail] ?? 'invalid JSON' });
      }
    }
  }
}
