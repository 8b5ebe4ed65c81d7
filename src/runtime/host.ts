/**
 * The host side of the VM: one WebAssembly instance, its memory layout, and the calls into it. The host owns
 * linear memory above the module's heap base and lays it out as
 *
 *   [context][program][slot table][scratch][value table][arena][hits][notes][input][evtx][capture][provenance]
 *
 * (the .evtx decoder's region only once a chunk of a .evtx file is scanned).
 * When a region must grow, the whole layout after the program is recomputed and memory grown; every typed-array
 * view is taken fresh from `memory.buffer` after a call or a growth (growth detaches old views: a prototype lost
 * 20% of its matches to a stale view). Only the context block, the program and the input a byte scanner holds
 * (InputHolder) survive a relayout; everything else is per-call state or generation-stamped (zeroed on relayout).
 */
import * as C from './context.js';

const PAGE_BYTES = 65536;
const ALIGN = 16;
/** SIMD loads read up to 16 bytes past a value: every region is followed by this much slack. */
const PAD = 64;
/** Bytes of one value record (assembly/store/values.ts). */
export const VALUE_RECORD_BYTES = 24;
const SLOT_RECORD_BYTES_BOTH_BANKS = 40;
const WASM32_MAX_BYTES = 4 * 1024 * 1024 * 1024 - PAGE_BYTES;
/** Notes a .evtx chunk's own checks may write in one go (assembly/evtx/chunk.ts CHUNK_NOTES). */
const EVTX_CHUNK_NOTES = 3;

export interface VmExports {
  memory: WebAssembly.Memory;
  vmVersion(): number;
  vmPrepare(ctx: number): number;
  vmScan(ctx: number): void;
  vmMatchRecords(ctx: number): void;
  vmScanEvtx(ctx: number): void;
  evtxRegionBytes(): number;
  vmHeapBase(): number;
}

export interface RegionSizes {
  input: number;
  values: number;
  arena: number;
  hits: number;
  notes: number;
  /** Bytes of capture output (assembly/vm/capture.ts); used only with a capture plan. */
  capture: number;
  /** Bytes of provenance output (assembly/vm/provenance.ts); laid out once provenance is first asked for. */
  provenance: number;
}

export const DEFAULT_REGION_SIZES: RegionSizes = {
  input: 1 << 20,
  values: 1 << 16,
  arena: 4 << 20,
  hits: 1 << 16,
  notes: 1 << 12,
  capture: 1 << 18,
  provenance: 1 << 16,
};

// The provenance block's header (assembly/vm/provenance.ts), in words.
const PROVENANCE_CAPACITY = 0;
const PROVENANCE_LENGTH = 1;
const PROVENANCE_NEEDED = 2;
const PROVENANCE_HEADER_WORDS = 3;

/** Which hit events the VM copies field values out of, and which slots (assembly/vm/capture.ts). */
export interface CapturePlan {
  /** Bit r set: events that rule r matches are captured. */
  ruleBitmap: Uint32Array;
  slots: Uint32Array;
}

// The capture block's header (assembly/vm/capture.ts), in words.
const CAPTURE_RULE_WORDS = 0;
const CAPTURE_SLOT_COUNT = 1;
const CAPTURE_OUT_CAPACITY = 2;
const CAPTURE_OUT_LENGTH = 3;
const CAPTURE_NEEDED = 4;
const CAPTURE_HEADER_WORDS = 5;

const align = (n: number): number => (n + ALIGN - 1) & ~(ALIGN - 1);

/** A user of the input region that keeps bytes there between calls. */
export interface InputHolder {
  /** Another user needs the region: copy the held bytes out (they are put back before the holder's next call). */
  evict(): void;
}

export class VmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VmError';
  }
}

export class VmHost {
  readonly exports: VmExports;
  private readonly base: number;
  /** The context block's address. */
  readonly ctx: number;
  private programPtr = 0;
  private programLen = 0;
  private slotCount = 0;
  private scratchBytes = 0;
  /** Capacities (bytes for byte regions, records for tables). */
  sizes: RegionSizes;
  private layoutEnd = 0;
  /**
   * Who holds bytes in the input region between calls (a byte scanner's unconsumed input), and how many: a relayout
   * moves them with the region, and another user of the region first asks the holder to take them out.
   */
  private inputHolder: InputHolder | null = null;
  private inputHeld = 0;
  private evtxBytes = 0;
  private evtxChunk = 0;
  private capturePlan: CapturePlan | null = null;
  private capturePtr = 0;
  private captureOn = false;
  /** The provenance block's address (0: not laid out yet). */
  private provenancePtr = 0;
  private provenanceLaidOut = false;
  /** Called after every bytes-path call while set (the capture output must be taken before the next call). */
  afterScan: (() => void) | null = null;

  constructor(instance: WebAssembly.Instance, sizes: Partial<RegionSizes> = {}) {
    this.exports = instance.exports as unknown as VmExports;
    this.sizes = { ...DEFAULT_REGION_SIZES, ...sizes };
    this.sizes.notes = Math.max(this.sizes.notes, C.NOTES_MIN_CAP);
    this.base = align(this.exports.vmHeapBase());
    this.ctx = this.base;
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /** Fresh views (never cache them across calls or growth). */
  u8(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer);
  }

  u32(): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer);
  }

  get(field: number): number {
    return this.u32()[(this.ctx + field) >>> 2];
  }

  set(field: number, value: number): void {
    this.u32()[(this.ctx + field) >>> 2] = value >>> 0;
  }

  /** Load a program: copy it in, validate it in the VM, size the slot table and scratch, lay out the rest. */
  loadProgram(program: Uint8Array, slotCount: number): void {
    this.programPtr = align(this.ctx + C.CTX_BYTES);
    this.programLen = program.length;
    this.slotCount = slotCount;
    this.ensureMemory(this.programPtr + program.length + PAD);
    this.u8().set(program, this.programPtr);
    this.u8().fill(0, this.ctx, this.ctx + C.CTX_BYTES);
    this.set(C.CTX_PROGRAM_PTR, this.programPtr);
    this.set(C.CTX_PROGRAM_LEN, this.programLen);
    const scratch = this.exports.vmPrepare(this.ctx) >>> 0;
    if (scratch === 0xffffffff) throw new VmError('the program is not a valid sigmatch program for this VM version');
    this.scratchBytes = scratch;
    this.relayout();
  }

  /** Grow one region to at least `capacity` and recompute the layout. */
  grow(region: keyof RegionSizes, capacity: number): void {
    if (this.sizes[region] >= capacity) return;
    let next = this.sizes[region];
    while (next < capacity) next *= 2;
    this.sizes = { ...this.sizes, [region]: next };
    this.relayout();
  }

  get inputPtr(): number {
    return this.get(C.CTX_INPUT_PTR);
  }

  /**
   * Take the input region for `holder` (null: a user that keeps nothing there between calls). A different holder's
   * bytes are evicted first.
   */
  claimInput(holder: InputHolder | null): void {
    if (this.inputHolder !== holder && this.inputHolder !== null) {
      const previous = this.inputHolder;
      this.inputHolder = null;
      this.inputHeld = 0;
      previous.evict();
    }
    this.inputHolder = holder;
    if (holder === null) this.inputHeld = 0;
  }

  /** Is `holder` the region's holder (its bytes are still there)? */
  holdsInput(holder: InputHolder): boolean {
    return this.inputHolder === holder;
  }

  /** The holder keeps the region's first `bytes` bytes between calls (moved with the region on relayout). */
  holdInput(bytes: number): void {
    this.inputHeld = bytes;
  }

  get inputCapacity(): number {
    return this.sizes.input;
  }

  private relayout(): void {
    const s = this.sizes;
    const heldFrom = this.inputHeld > 0 ? this.get(C.CTX_INPUT_PTR) : 0;
    let p = align(this.programPtr + this.programLen + PAD);
    const place = (field: number, bytes: number): number => {
      const at = p;
      this.set(field, at);
      p = align(p + bytes + PAD);
      return at;
    };
    const slots = place(C.CTX_SLOTS_PTR, this.slotCount * SLOT_RECORD_BYTES_BOTH_BANKS);
    const scratch = place(C.CTX_SCRATCH_PTR, this.scratchBytes);
    place(C.CTX_VALUES_PTR, s.values * VALUE_RECORD_BYTES);
    place(C.CTX_ARENA_PTR, s.arena);
    place(C.CTX_HITS_PTR, s.hits * C.HIT_BYTES);
    place(C.CTX_NOTES_PTR, s.notes * C.NOTE_BYTES);
    const input = place(C.CTX_INPUT_PTR, s.input);
    // The decoder's caches live as long as a chunk's calls: the host scans each chunk from its start after a relayout.
    place(C.CTX_EVTX_PTR, this.evtxBytes);
    if (this.capturePlan) {
      const plan = this.capturePlan;
      const headerBytes = (CAPTURE_HEADER_WORDS + plan.ruleBitmap.length + plan.slots.length) * 4;
      this.capturePtr = p;
      p = align(p + headerBytes + s.capture + PAD);
    }
    if (this.provenanceLaidOut) {
      this.provenancePtr = p;
      p = align(p + PROVENANCE_HEADER_WORDS * 4 + s.provenance + PAD);
    }
    this.layoutEnd = p;
    this.ensureMemory(p);
    // Regions only grow, so the input region only moves up; copyWithin handles the overlap.
    if (this.inputHeld > 0 && heldFrom !== input) this.u8().copyWithin(input, heldFrom, heldFrom + this.inputHeld);
    // Regions placed anew may hold old bytes; stamps in the slot table and scratch must read as "never".
    this.u8().fill(0, slots, scratch + this.scratchBytes);
    this.set(C.CTX_SCRATCH_CAP, this.scratchBytes);
    this.set(C.CTX_VALUES_CAP, s.values);
    this.set(C.CTX_ARENA_CAP, s.arena);
    this.set(C.CTX_HITS_CAP, s.hits);
    this.set(C.CTX_NOTES_CAP, s.notes);
    this.set(C.CTX_EVTX_CAP, this.evtxBytes);
    if (this.capturePlan) this.writeCaptureBlock();
    if (this.provenanceLaidOut) this.writeProvenanceBlock();
  }

  /**
   * Record the provenance of every hit of the calls that follow (assembly/vm/provenance.ts), or stop. Turned on for
   * a call and off after it: the block is laid out on first use.
   */
  provenanceEnabled(on: boolean): void {
    if (on && !this.provenanceLaidOut) {
      this.provenanceLaidOut = true;
      this.relayout();
    }
    this.set(C.CTX_PROVENANCE_PTR, on ? this.provenancePtr : 0);
  }

  /** The provenance records written since the last take (a view, valid until the next call or growth); emptied. */
  takeProvenance(): { records: Uint8Array; needed: number } {
    if (!this.provenanceLaidOut) return { records: new Uint8Array(0), needed: 0 };
    const words = this.u32();
    const at = this.provenancePtr >>> 2;
    const length = words[at + PROVENANCE_LENGTH];
    const needed = words[at + PROVENANCE_NEEDED];
    const out = this.provenancePtr + PROVENANCE_HEADER_WORDS * 4;
    const records = this.u8().slice(out, out + length);
    words[at + PROVENANCE_LENGTH] = 0;
    words[at + PROVENANCE_NEEDED] = 0;
    if (needed > 0) this.grow('provenance', Math.max(this.sizes.provenance * 2, needed));
    return { records, needed };
  }

  private writeProvenanceBlock(): void {
    const words = this.u32();
    const at = this.provenancePtr >>> 2;
    words[at + PROVENANCE_CAPACITY] = this.sizes.provenance;
    words[at + PROVENANCE_LENGTH] = 0;
    words[at + PROVENANCE_NEEDED] = 0;
    if (this.get(C.CTX_PROVENANCE_PTR) !== 0) this.set(C.CTX_PROVENANCE_PTR, this.provenancePtr);
  }

  /** Capture field values of the events that rules of the plan match (null: none). Takes effect with captureEnabled. */
  setCapturePlan(plan: CapturePlan | null): void {
    this.capturePlan = plan;
    this.captureOn = false;
    this.relayout();
  }

  /** Turn capturing on for the calls that follow (bytes path), or off. */
  captureEnabled(on: boolean): void {
    this.captureOn = on && this.capturePlan !== null;
    this.set(C.CTX_CAPTURE_PTR, this.captureOn ? this.capturePtr : 0);
  }

  /**
   * The capture records written since the last take (a copy), and the bytes an event needed that did not fit; the
   * output is emptied, and grown when an event did not fit.
   */
  takeCaptures(): { records: Uint8Array; needed: number } {
    const plan = this.capturePlan;
    if (!plan) return { records: new Uint8Array(0), needed: 0 };
    const words = this.u32();
    const at = this.capturePtr >>> 2;
    const length = words[at + CAPTURE_OUT_LENGTH];
    const needed = words[at + CAPTURE_NEEDED];
    const out = this.capturePtr + (CAPTURE_HEADER_WORDS + plan.ruleBitmap.length + plan.slots.length) * 4;
    const records = this.u8().slice(out, out + length);
    words[at + CAPTURE_OUT_LENGTH] = 0;
    words[at + CAPTURE_NEEDED] = 0;
    if (needed > 0) this.grow('capture', needed);
    return { records, needed };
  }

  private writeCaptureBlock(): void {
    const plan = this.capturePlan!;
    const words = this.u32();
    const at = this.capturePtr >>> 2;
    words[at + CAPTURE_RULE_WORDS] = plan.ruleBitmap.length;
    words[at + CAPTURE_SLOT_COUNT] = plan.slots.length;
    words[at + CAPTURE_OUT_CAPACITY] = this.sizes.capture;
    words[at + CAPTURE_OUT_LENGTH] = 0;
    words[at + CAPTURE_NEEDED] = 0;
    words.set(plan.ruleBitmap, at + CAPTURE_HEADER_WORDS);
    words.set(plan.slots, at + CAPTURE_HEADER_WORDS + plan.ruleBitmap.length);
    this.set(C.CTX_CAPTURE_PTR, this.captureOn ? this.capturePtr : 0);
  }

  /** A number for the next .evtx chunk (never 0, never the last one's): the VM keeps a chunk's caches while it stays. */
  nextEvtxChunk(): number {
    this.evtxChunk = (this.evtxChunk % 0x7fffffff) + 1;
    return this.evtxChunk;
  }

  /** Lay out the .evtx decoder's region (once). */
  enableEvtx(): void {
    if (this.evtxBytes > 0) return;
    this.evtxBytes = this.exports.evtxRegionBytes() >>> 0;
    // A chunk's own checks note up to EVTX_CHUNK_NOTES things at once (assembly/evtx/chunk.ts).
    if (this.sizes.notes < EVTX_CHUNK_NOTES) this.sizes = { ...this.sizes, notes: EVTX_CHUNK_NOTES };
    this.relayout();
  }

  private ensureMemory(end: number): void {
    if (end > WASM32_MAX_BYTES) throw new VmError(`sigmatch needs ${end} bytes of WebAssembly memory, more than wasm32 allows`);
    const have = this.exports.memory.buffer.byteLength;
    if (end > have) this.exports.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
  }

  /** Run the objects path over the records in the input region (never captured: its events are objects already). */
  runRecords(): void {
    const capture = this.get(C.CTX_CAPTURE_PTR);
    this.set(C.CTX_CAPTURE_PTR, 0);
    this.exports.vmMatchRecords(this.ctx);
    this.set(C.CTX_CAPTURE_PTR, capture);
  }

  /** Run the bytes path over the JSON bytes in the input region. */
  runScan(): void {
    this.exports.vmScan(this.ctx);
    this.afterScan?.();
  }

  /** Read the .evtx chunk in the input region. */
  runEvtx(): void {
    this.exports.vmScanEvtx(this.ctx);
  }

  /** Bytes of linear memory in use (for diagnostics and the RSS budget). */
  get memoryBytes(): number {
    return Math.max(this.layoutEnd, this.exports.memory.buffer.byteLength);
  }
}
