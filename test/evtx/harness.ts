/**
 * Drives the VM's .evtx chunk walk (test build, assembly/test/evtx.ts) as a host would: the file header read by the
 * reference, each 64 KiB chunk copied into the input region and walked, notes and the dump drained, regions grown
 * when asked, records the VM leaves to the host decoded by the reference. Reads back every record's slots (and
 * keyword leaves) so tests can compare the VM's flat view with the reference decoder's.
 */
import * as C from '../../src/runtime/context.js';
import * as F from '../../src/input/evtx/format.js';
import { buildFieldTrie } from '../../src/compiler/field-trie.js';
import { expect } from 'vitest';
import {
  ChunkContext, EVTX_NOTE_CODES, EvtxFormatError, parseRecordXml, readEvtxFile, readFileHeader, renderEvent, type EvtxFile,
  type EvtxNote, type JsonObject,
} from '../../src/input/evtx/index.js';
import { readEvtxJson } from '../../src/input/evtx-json.js';
import { loadTestVm, type TestVm } from '../support/wasm.js';
import { expectedLeaves, expectedSlot, readDumpRecords, type SlotDump, type SlotValue } from '../json/harness.js';

const NONE = 0xffffffff;
let chunkSerial = 0;
const VALUE_RECORD_BYTES = 24;
/** A chunk needing more calls than this is stuck. */
const MAX_CALLS = 100_000;

export interface VmRecord {
  index: number;
  /** File offset of the record. */
  offset: number;
  slots: SlotDump[];
  leavesStatus?: number;
  leaves?: SlotValue[];
  /** The leaves the fill wrote in passing (scan option `passing`): each followed by a `"`. */
  passing?: string;
}

export interface HostRecord {
  index: number | null;
  offset: number;
  /** Why the VM left it (1 instance, 2 shape, 3 evaluation). */
  reason: number;
  event?: JsonObject;
  error?: string;
}

export interface EvtxScanResult {
  /** Records the VM decoded. */
  records: VmRecord[];
  /** Records the VM left to the host (decoded here by the reference: an event, or an error note). */
  host: HostRecord[];
  notes: EvtxNote[];
  calls: number;
  emptyChunks: number;
}

export interface EvtxScanOptions {
  keywords?: boolean;
  /** Write the leaves in passing, as for a program whose keyword scan runs on every event. */
  passing?: boolean;
  /** ... leaving out formatted values (numbers, GUIDs, SIDs, times, hex) no field reads. */
  skipFormatted?: boolean;
  notesCap?: number;
  dumpBytes?: number;
  arenaBytes?: number;
  valueCap?: number;
}

export class EvtxHarness {
  private readonly trieBytes: Uint8Array;
  private readonly slots: number;

  private constructor(
    private readonly vm: TestVm,
    readonly fields: readonly string[],
  ) {
    this.slots = fields.length;
    this.trieBytes = buildFieldTrie(fields).bytes;
  }

  static async create(fields: readonly string[]): Promise<EvtxHarness> {
    return new EvtxHarness(await loadTestVm(), fields);
  }

  scan(file: Uint8Array, options: EvtxScanOptions = {}): EvtxScanResult {
    const vm = this.vm;
    const ex = vm.exports;
    vm.reset();
    const trie = vm.put(this.trieBytes).ptr;
    const scratch = vm.alloc(Number(ex.jsonScannerScratchBytes(trie)));
    if (!ex.jsonScannerAttach(trie, scratch)) throw new Error('the trie was refused');
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
    const regionBytes = Number(ex.evtxTestRegionBytes());
    const region = vm.alloc(regionBytes);
    const ctx = vm.alloc(C.CTX_BYTES);
    const notes = vm.alloc(notesCap * C.NOTE_BYTES);
    let dump = vm.alloc(dumpBytes);
    ex.jsonDumpAttach(dump, dumpBytes, this.slots, keywordSlot);
    const passing = options.passing === true;
    ex.evtxTestLeavesInPassing(passing ? 1 : 0, options.skipFormatted === true ? 1 : 0);
    const input = vm.alloc(F.CHUNK_BYTES);
    const set = (field: number, value: number): void => {
      vm.u32()[(ctx + field) >>> 2] = value >>> 0;
    };
    const get = (field: number): number => vm.u32()[(ctx + field) >>> 2];

    const result: EvtxScanResult = { records: [], host: [], notes: [], calls: 0, emptyChunks: 0 };
    const start = readFileHeader(file, (n) => result.notes.push(n));
    if (start < 0) return result;
    let eventBase = 0;
    for (let at = start; at < file.length; at += F.CHUNK_BYTES) {
      const chunk = file.subarray(at, Math.min(at + F.CHUNK_BYTES, file.length));
      // A number no other chunk had (the VM keeps its caches while the number stays), as the host gives them.
      const chunkNumber = ++chunkSerial;
      let framing = 0;
      let reference: ChunkContext | null = null;
      for (;;) {
        vm.bytes().set(chunk, input);
        set(C.CTX_INPUT_PTR, input);
        set(C.CTX_INPUT_LEN, chunk.length);
        set(C.CTX_EVENT_BASE, eventBase);
        set(C.CTX_FRAMING, framing);
        set(C.CTX_NOTES_PTR, notes);
        set(C.CTX_NOTES_CAP, notesCap);
        set(C.CTX_EVTX_PTR, region);
        set(C.CTX_EVTX_CAP, regionBytes);
        set(C.CTX_EVTX_CHUNK, chunkNumber);
        ex.jsonDumpReset();
        ex.evtxScanChunk(ctx);
        if (++result.calls > MAX_CALLS) throw new Error(`no progress after ${MAX_CALLS} calls`);
        const status = get(C.CTX_STATUS);
        const dumped = Number(ex.jsonDumpLength());
        this.readDump(result, dumped, dump, keywordSlot !== NONE, passing, input, at);
        this.readNotes(result, notes, get(C.CTX_NOTE_COUNT), at);
        eventBase += get(C.CTX_EVENT_COUNT);
        framing = get(C.CTX_FRAMING);
        if (get(C.CTX_EVTX_STATE) & C.EVTX_STATE_UNUSED) result.emptyChunks++;
        if (status === C.STATUS_OK) break;
        if (status === C.STATUS_EVTX_RECORD) {
          const pos = get(C.CTX_CONSUMED);
          const size = get(C.CTX_STATUS_DETAIL);
          reference ??= new ChunkContext(chunk);
          const rec: HostRecord = { index: null, offset: at + pos, reason: Number(ex.evtxHostReason()) };
          try {
            rec.event = renderEvent(parseRecordXml(reference, pos + F.RECORD_HEADER_BYTES, pos + size - 4));
            rec.index = eventBase++;
          } catch (e) {
            if (!(e instanceof EvtxFormatError)) throw e;
            rec.error = e.message;
            result.notes.push({ code: 'record-bad-xml', offset: at + pos, detail: 0, detail2: 0, reason: e.message });
          }
          result.host.push(rec);
          const found = (framing >>> C.EVTX_FOUND_SHIFT) + 1;
          framing = ((pos + size) & C.EVTX_POSITION_MASK) | (found << C.EVTX_FOUND_SHIFT);
          continue;
        }
        if (status === C.STATUS_HITS_FULL && dumped === 0) {
          dumpBytes *= 4;
          dump = vm.alloc(dumpBytes);
          ex.jsonDumpAttach(dump, dumpBytes, this.slots, keywordSlot);
          continue;
        }
        if (status === C.STATUS_HITS_FULL || status === C.STATUS_NOTES_FULL) continue;
        if (status === C.STATUS_ARENA_FULL) {
          arenaBytes = Math.max(arenaBytes * 2, get(C.CTX_STATUS_DETAIL) + 64);
          valueCap *= 2;
          values = vm.alloc(valueCap * VALUE_RECORD_BYTES);
          arena = vm.alloc(arenaBytes);
          ex.jsonStoreAttach(slotTable, nSlots, values, valueCap, arena, arenaBytes);
          continue;
        }
        throw new Error(`evtx walk status ${status}`);
      }
    }
    return result;
  }

  private readDump(result: EvtxScanResult, length: number, dump: number, keywords: boolean, passing: boolean, input: number, fileOffset: number): void {
    for (const r of readDumpRecords(this.vm, dump, length, this.slots, keywords, passing)) {
      const rec: VmRecord = { index: r.index, offset: fileOffset + r.start - input, slots: r.slots };
      if (passing) rec.passing = r.passing;
      if (keywords) {
        rec.leavesStatus = r.leavesStatus;
        if (r.leaves) rec.leaves = r.leaves;
      }
      result.records.push(rec);
    }
  }

  private readNotes(result: EvtxScanResult, notes: number, count: number, fileOffset: number): void {
    const u32 = this.vm.u32();
    for (let i = 0; i < count; i++) {
      const n = (notes + i * C.NOTE_BYTES) >>> 2;
      if (u32[n + C.NOTE_KIND / 4] !== C.NOTE_EVTX) throw new Error(`unexpected note kind ${u32[n + C.NOTE_KIND / 4]}`);
      result.notes.push({
        code: EVTX_NOTE_CODES[u32[n + C.NOTE_DETAIL / 4]],
        offset: fileOffset + u32[n + C.NOTE_START / 4],
        detail: u32[n + C.NOTE_END / 4],
        detail2: u32[n + C.NOTE_LINE / 4],
      });
    }
  }
}

/** Every key of the flat views of a file's records (for a harness that reads them all). */
export function flatKeys(reference: EvtxFile): string[] {
  const keys = new Set<string>();
  for (const r of reference.records) {
    const flat = readEvtxJson(r.event);
    if (flat) for (const k of Object.keys(flat.event)) keys.add(k);
  }
  return [...keys].sort();
}

/**
 * The VM against the reference on one file: the same notes, the same records in the same order (each decoded by
 * the VM or left to the host), and for each VM record every field and the keyword leaves as the reference reads them;
 * then the same with the leaves written in passing (the same fields, and the leaves' text).
 * Returns how many records the VM decoded itself.
 */
export function expectVmMatchesReference(harness: EvtxHarness, file: Uint8Array, reference = readEvtxFile(file)): number {
  const decoded = expectVmMatchesReferenceOnce(harness, file, reference, false);
  expect(expectVmMatchesReferenceOnce(harness, file, reference, true)).toBe(decoded);
  return decoded;
}

/** The leaves written in passing: every non-empty keyword leaf, in the walk's order, each followed by a `"`. */
export function expectedPassing(leaves: readonly SlotValue[]): string {
  return leaves.filter((v) => v.text.length > 0).map((v) => `${v.text}"`).join('');
}

/** Text a formatted value may have (assembly/evtx/values.ts formattedAlphabet, before folding). */
const FORMATTED_TEXT = /^[0-9a-fA-FxST:.Z?-]+$/;

/**
 * The leaves written in passing with skipFormatted: the keyword leaves in the walk's order, each followed by a `"`,
 * where a leaf may be missing only if it is the text of a formatted value that no field reads (of each text, at most
 * as many left out as there are leaves with it beyond the values the fields read). Returns the leaves left out.
 */
export function expectPassingSkips(passing: string, leaves: readonly SlotValue[], fields: ReadonlySet<string>, event: JsonObject, label: string): string[] {
  const flat = readEvtxJson(event)?.event ?? {};
  const spare = new Map<string, number>();
  for (const leaf of leaves) spare.set(leaf.text, (spare.get(leaf.text) ?? 0) + 1);
  for (const f of fields) {
    const v = flat[f];
    for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined && x !== null) spare.set(String(x), (spare.get(String(x)) ?? 0) - 1);
  }
  let at = 0;
  const skipped: string[] = [];
  for (const leaf of leaves) {
    if (leaf.text.length === 0) continue;
    if (passing.startsWith(`${leaf.text}"`, at)) {
      at += leaf.text.length + 1;
      continue;
    }
    expect(FORMATTED_TEXT.test(leaf.text), `${label}: leaf ${JSON.stringify(leaf.text)} left out`).toBe(true);
    skipped.push(leaf.text);
  }
  expect(at, `${label}: the text written in passing is the leaves'`).toBe(passing.length);
  for (const text of skipped) {
    const left = (spare.get(text) ?? 0) - 1;
    expect(left, `${label}: leaf ${JSON.stringify(text)} left out, but a field reads it`).toBeGreaterThanOrEqual(0);
    spare.set(text, left);
  }
  return skipped;
}

/** The fill with the leaves written in passing, formatted values no field reads left out: the same fields as the
 * reference's, and the leaves (expectPassingSkips). Returns how many leaves were left out. */
export function expectPassingSkipsMatchReference(harness: EvtxHarness, file: Uint8Array, reference = readEvtxFile(file)): number {
  const vm = harness.scan(file, { keywords: true, passing: true, skipFormatted: true });
  const fields = new Set(harness.fields);
  let skipped = 0;
  for (const r of vm.records) {
    const event = reference.records[r.index].event;
    harness.fields.forEach((field, s) => {
      expect(r.slots[s], `record ${r.index} field ${field}`).toEqual(expectedSlot(event, field, true));
    });
    if (r.leavesStatus !== C.STATUS_OK) continue;
    expect(r.leaves!.map((v) => v.text).sort(), `record ${r.index} keyword leaves`).toEqual(expectedLeaves(event, true));
    skipped += expectPassingSkips(r.passing!, r.leaves!, fields, event, `record ${r.index}`).length;
  }
  return skipped;
}

function expectVmMatchesReferenceOnce(harness: EvtxHarness, file: Uint8Array, reference: EvtxFile, passing: boolean): number {
  const vm = harness.scan(file, { keywords: true, passing });
  expect(vm.notes.map(noteKey)).toEqual(reference.notes.map(noteKey));
  const hostEvents = vm.host.filter((h) => h.index !== null);
  const order = [...vm.records.map((r) => [r.index, r.offset]), ...hostEvents.map((h) => [h.index!, h.offset])].sort((a, b) => a[0] - b[0]);
  expect(order).toEqual(reference.records.map((r) => [r.index, r.offset]));
  for (const r of vm.records) {
    const event = reference.records[r.index].event;
    harness.fields.forEach((field, s) => {
      expect(r.slots[s], `record ${r.index} field ${field}`).toEqual(expectedSlot(event, field, true));
    });
    if (r.leavesStatus === C.STATUS_OK) {
      expect(r.leaves!.map((v) => v.text).sort(), `record ${r.index} keyword leaves`).toEqual(expectedLeaves(event, true));
      if (passing) expect(r.passing, `record ${r.index} leaves in passing`).toBe(expectedPassing(r.leaves!));
    } else expect(r.leavesStatus, `record ${r.index} leaves: only a fallback may stop them`).toBe(16);
  }
  for (const h of hostEvents) expect(h.event).toEqual(reference.records[h.index!].event);
  return vm.records.length;
}

const noteKey = (n: EvtxNote): string => `${n.code}@${n.offset}:${n.detail}:${n.detail2}`;
