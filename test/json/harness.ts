/**
 * Drives the VM's JSON scanner (test build, assembly/test/json.ts) as the host would: input in chunks, the
 * unconsumed tail carried into the next call, notes and the dump drained and regions grown when the scanner asks,
 * and reads back events (slots and keyword leaves), errors and fallbacks in the reference's terms.
 */
import * as C from '../../src/runtime/context.js';
import { buildFieldTrie } from '../../src/compiler/field-trie.js';
import { DEFAULT_MAX_RECORD_BYTES, JsonEventReader, type EventRecord, type InputError, type InputErrorKind } from '../../src/input/json-events.js';
import { readEvtxJson } from '../../src/input/evtx-json.js';
import { keywordLeaves, lookupField, stringForm } from '../../src/eval/event.js';
import { loadTestVm, type TestVm } from '../support/wasm.js';

export const KIND_STRING = 1;
export const KIND_NUMBER = 2;
export const KIND_TRUE = 3;
export const KIND_FALSE = 4;
export const KIND_NULL = 5;
export const KIND_OBJECT = 6;
export const BANK_FLAT = 0;
export const BANK_EVTX_JSON = 1;
export const STATUS_EVENT_FALLBACK = 16;
/** The scanner's frame stack (assembly/json/constants.ts MAX_DEPTH). */
export const MAX_DEPTH = 512;
const NONE = 0xffffffff;
/** A scan needing more calls than this is stuck (every call must make progress or grow a region). */
const MAX_CALLS = 100_000;
const VALUE_RECORD_BYTES = 24;

export interface SlotValue {
  kind: number;
  text: string;
}

export interface SlotDump {
  present: boolean;
  values: SlotValue[];
}

export interface ScannedEvent {
  index: number;
  line: number;
  bank: number;
  /** The record's bytes. */
  bytes: Uint8Array;
  slots: SlotDump[];
  /** collectLeaves' status and the leaves (when keywords were asked for and it succeeded). */
  leavesStatus?: number;
  leaves?: SlotValue[];
}

export interface ScanError {
  endLine: number;
  line: number;
  kind: InputErrorKind;
  detail: number;
}

export interface Fallback {
  index: number;
  line: number;
  bytes: Uint8Array;
}

export interface ScanResult {
  events: ScannedEvent[];
  errors: ScanError[];
  fallbacks: Fallback[];
  /** Calls made (chunks times restarts). */
  calls: number;
}

export interface ScanOptions {
  evtx?: boolean;
  /** Split the input before these byte offsets (ascending); the last chunk is final. */
  splits?: number[];
  maxRecordBytes?: number;
  /** Collect keyword leaves for each event (into an extra slot). */
  keywords?: boolean;
  /** Small buffers force the stop/resume paths. */
  notesCap?: number;
  dumpBytes?: number;
  arenaBytes?: number;
  valueCap?: number;
}

// ignoreBOM: a value may begin with U+FEFF, which TextDecoder would otherwise drop as a byte order mark.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export class ScannerHarness {
  private readonly vm: TestVm;
  private readonly trieBytes: Uint8Array;
  readonly fields: readonly string[];
  private readonly slots: number;

  private constructor(vm: TestVm, fields: readonly string[]) {
    this.vm = vm;
    this.fields = fields;
    this.slots = fields.length;
    this.trieBytes = buildFieldTrie(fields).bytes;
  }

  static async create(fields: readonly string[]): Promise<ScannerHarness> {
    return new ScannerHarness(await loadTestVm(), fields);
  }

  scan(input: Uint8Array | string, options: ScanOptions = {}): ScanResult {
    const vm = this.vm;
    const ex = vm.exports;
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    // Each scan lays memory out afresh (the test allocator only grows).
    vm.reset();
    const trie = vm.put(this.trieBytes).ptr;
    const scratch = vm.alloc(Number(ex.jsonScannerScratchBytes(trie)));
    if (!ex.jsonScannerAttach(trie, scratch)) throw new Error('the trie was refused');
    ex.jsonSetMaxRecordBytes(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    const keywordSlot = options.keywords ? this.slots : NONE;
    const nSlots = this.slots + 1;
    let valueCap = options.valueCap ?? 4096;
    let arenaBytes = options.arenaBytes ?? 1 << 16;
    const notesCap = options.notesCap ?? 256;
    let dumpBytes = options.dumpBytes ?? 1 << 20;
    const slotTable = vm.alloc(Number(ex.jsonSlotTableBytes(nSlots)));
    let values = vm.alloc(valueCap * VALUE_RECORD_BYTES);
    let arena = vm.alloc(arenaBytes);
    ex.jsonStoreAttach(slotTable, nSlots, values, valueCap, arena, arenaBytes);
    const ctx = vm.alloc(C.CTX_BYTES);
    vm.bytes().fill(0, ctx, ctx + C.CTX_BYTES); // a new input: the framing block starts zeroed
    const notes = vm.alloc(notesCap * C.NOTE_BYTES);
    let dump = vm.alloc(dumpBytes);
    ex.jsonDumpAttach(dump, dumpBytes, this.slots, keywordSlot);
    let inputPtr = 0;
    let inputCap = 0;

    const result: ScanResult = { events: [], errors: [], fallbacks: [], calls: 0 };
    const splits = [...(options.splits ?? []), bytes.length];
    let framing = 0;
    let eventBase = 0;
    let lineBase = 1;
    let carry = new Uint8Array(0);
    let from = 0;
    for (let s = 0; s < splits.length; s++) {
      const final = s === splits.length - 1;
      const chunk = bytes.subarray(from, splits[s]);
      from = splits[s];
      const buf = new Uint8Array(carry.length + chunk.length);
      buf.set(carry);
      buf.set(chunk, carry.length);
      let offset = 0;
      for (;;) {
        const len = buf.length - offset;
        if (len > inputCap) {
          inputCap = Math.max(len, 256);
          inputPtr = vm.alloc(inputCap);
        }
        vm.bytes().set(buf.subarray(offset), inputPtr);
        // Fill the padding with bytes the scanner must never take for input (quotes, newlines).
        vm.bytes().fill(0x22, inputPtr + len, inputPtr + len + 8);
        vm.bytes().fill(0x0a, inputPtr + len + 8, inputPtr + len + 16);
        const set = (field: number, value: number): void => {
          vm.u32()[(ctx + field) >>> 2] = value >>> 0;
        };
        const get = (field: number): number => vm.u32()[(ctx + field) >>> 2];
        set(C.CTX_INPUT_PTR, inputPtr);
        set(C.CTX_INPUT_LEN, len);
        set(C.CTX_EVENT_BASE, eventBase);
        set(C.CTX_LINE_BASE, lineBase);
        set(C.CTX_FLAGS, (final ? C.FLAG_FINAL : 0) | ((options.evtx ?? true) ? C.FLAG_EVTX_JSON : 0));
        set(C.CTX_FRAMING, framing);
        set(C.CTX_NOTES_PTR, notes);
        set(C.CTX_NOTES_CAP, notesCap);
        ex.jsonDumpReset();
        ex.jsonScan(ctx);
        if (++result.calls > MAX_CALLS) throw new Error(`no progress after ${MAX_CALLS} calls (status ${get(C.CTX_STATUS)}, consumed ${get(C.CTX_CONSUMED)} of ${len})`);
        const status = get(C.CTX_STATUS);
        const consumed = get(C.CTX_CONSUMED);
        const dumped = Number(ex.jsonDumpLength());
        this.readDump(result, dumped, dump, keywordSlot !== NONE);
        this.readNotes(result, notes, get(C.CTX_NOTE_COUNT), buf, offset);
        if (consumed > len) throw new Error(`consumed ${consumed} of ${len}`);
        offset += consumed;
        eventBase += get(C.CTX_EVENT_COUNT);
        lineBase += get(C.CTX_LINE_COUNT);
        framing = get(C.CTX_FRAMING);
        if (status === C.STATUS_OK) break;
        if (status === C.STATUS_HITS_FULL && dumped === 0) {
          // Not even one event fits the dump: make it larger (as a host grows a region that cannot take one event).
          dumpBytes *= 4;
          dump = vm.alloc(dumpBytes);
          ex.jsonDumpAttach(dump, dumpBytes, this.slots, keywordSlot);
          continue;
        }
        if (status === C.STATUS_HITS_FULL || status === C.STATUS_NOTES_FULL) continue;
        if (status === C.STATUS_ARENA_FULL) {
          const need = get(C.CTX_STATUS_DETAIL);
          arenaBytes = Math.max(arenaBytes * 2, need + 64);
          valueCap *= 2;
          values = vm.alloc(valueCap * VALUE_RECORD_BYTES);
          arena = vm.alloc(arenaBytes);
          ex.jsonStoreAttach(slotTable, nSlots, values, valueCap, arena, arenaBytes);
          continue;
        }
        throw new Error(`scanner status ${status}`);
      }
      carry = buf.slice(offset);
      if (final && carry.length > 0) throw new Error(`the final call left ${carry.length} bytes`);
    }
    return result;
  }

  private readDump(result: ScanResult, length: number, dump: number, keywords: boolean): void {
    for (const r of readDumpRecords(this.vm, dump, length, this.slots, keywords)) {
      const event: ScannedEvent = { index: r.index, line: r.line, bank: r.bank, bytes: this.vm.read(r.start, r.stop - r.start), slots: r.slots };
      if (keywords) {
        event.leavesStatus = r.leavesStatus;
        if (r.leaves) event.leaves = r.leaves;
      }
      result.events.push(event);
    }
  }

  private readNotes(result: ScanResult, notes: number, count: number, buf: Uint8Array, offset: number): void {
    const u32 = this.vm.u32();
    for (let i = 0; i < count; i++) {
      const n = (notes + i * C.NOTE_BYTES) >>> 2;
      const kind = u32[n + C.NOTE_KIND / 4];
      const line = u32[n + C.NOTE_LINE / 4];
      const endLine = u32[n + C.NOTE_END_LINE / 4];
      const start = u32[n + C.NOTE_START / 4];
      const end = u32[n + C.NOTE_END / 4];
      const detail = u32[n + C.NOTE_DETAIL / 4];
      if (kind === C.NOTE_FALLBACK) {
        result.fallbacks.push({ index: detail, line, bytes: buf.slice(offset + start, offset + end) });
        continue;
      }
      const k: InputErrorKind = kind === C.NOTE_NOT_OBJECT ? 'not-object' : kind === C.NOTE_TOO_LARGE ? 'too-large' : 'malformed';
      result.errors.push({ line, endLine, kind: k, detail });
    }
  }
}

/** One record of the VM's debug dump: where it came from, its slots' values and (when asked for) its leaves. */
export interface DumpedRecord {
  index: number;
  line: number;
  start: number;
  stop: number;
  bank: number;
  slots: SlotDump[];
  /** The .evtx walk's leaves written in passing by the field fill, when asked for. */
  passing?: string;
  leavesStatus?: number;
  leaves?: SlotValue[];
}

/** The records of a dump the VM wrote at `dump` (`length` bytes): the layout the JSON and .evtx walks share. */
export function readDumpRecords(vm: TestVm, dump: number, length: number, slots: number, keywords: boolean, passing = false): DumpedRecord[] {
  const u32 = vm.u32();
  let at = dump >>> 2;
  const end = (dump + length) >>> 2;
  const readSlot = (): SlotDump => {
    const present = u32[at++] === 1;
    const count = u32[at++];
    const values: SlotValue[] = [];
    for (let i = 0; i < count; i++) {
      const kind = u32[at++];
      const len = u32[at++];
      values.push({ kind, text: vm.readString(at * 4, len) });
      at += (len + 3) >>> 2;
    }
    return { present, values };
  };
  const records: DumpedRecord[] = [];
  while (at < end) {
    const r: DumpedRecord = { index: u32[at++], line: u32[at++], start: u32[at++], stop: u32[at++], bank: u32[at++], slots: [] };
    for (let s = 0; s < slots; s++) r.slots.push(readSlot());
    if (passing) {
      const len = u32[at++];
      r.passing = vm.readString(at * 4, len);
      at += (len + 3) >>> 2;
    }
    if (keywords) {
      r.leavesStatus = u32[at++];
      if (r.leavesStatus === C.STATUS_OK) r.leaves = readSlot().values;
    }
    records.push(r);
  }
  return records;
}

/** Every event index the scanner accounted for (events and fallbacks), in order, with lines. */
export function scannedIndexLines(r: ScanResult): [number, number][] {
  const all: [number, number][] = [...r.events.map((e) => [e.index, e.line] as [number, number]), ...r.fallbacks.map((f) => [f.index, f.line] as [number, number])];
  return all.sort((a, b) => a[0] - b[0]);
}

/** The reference reader over the same bytes, decoded as TextDecoder does (optionally in the same chunks). */
export function referenceRead(bytes: Uint8Array, options: { maxRecordBytes?: number; splits?: number[] } = {}): { events: EventRecord[]; errors: InputError[] } {
  const reader = new JsonEventReader({ maxRecordBytes: options.maxRecordBytes });
  const dec = new TextDecoder();
  const events: EventRecord[] = [];
  let from = 0;
  for (const s of options.splits ?? []) {
    events.push(...reader.push(dec.decode(bytes.subarray(from, s), { stream: true })));
    from = s;
  }
  events.push(...reader.push(dec.decode(bytes.subarray(from))));
  events.push(...reader.end());
  return { events, errors: reader.errors };
}

/** What the scanner must put in a slot: lookupField on the event as the engines see it. */
export function expectedSlot(event: unknown, field: string, evtx: boolean): SlotDump {
  const flat = evtx ? (readEvtxJson(event)?.event ?? event) : event;
  const found = lookupField(flat, field);
  return { present: found.present, values: found.values.map(valueOf) };
}

export function valueOf(v: unknown): SlotValue {
  if (typeof v === 'string') return { kind: KIND_STRING, text: stringForm(v)! };
  if (typeof v === 'number') return { kind: KIND_NUMBER, text: String(v) };
  if (v === true) return { kind: KIND_TRUE, text: 'true' };
  if (v === false) return { kind: KIND_FALSE, text: 'false' };
  if (v === null) return { kind: KIND_NULL, text: '' };
  return { kind: KIND_OBJECT, text: '' };
}

/** The keyword leaves the reference sees, sorted (order is not part of keyword semantics). */
export function expectedLeaves(event: unknown, evtx: boolean): string[] {
  const flat = evtx ? readEvtxJson(event) : null;
  return (flat ? keywordLeaves(flat.values) : keywordLeaves(event)).sort();
}

export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
