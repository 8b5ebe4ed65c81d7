/**
 * The host side of the VM: one WebAssembly instance, its memory layout, and the calls into it. The host owns
 * linear memory above the module's heap base and lays it out as
 *
 *   [context][program][slot table][scratch][value table][arena][hits][notes][input][capture]
 *
 * When a region must grow, the whole layout after the program is recomputed and memory grown; every typed-array
 * view is taken fresh from `memory.buffer` after a call or a growth (growth detaches old views: a prototype lost
 * 20% of its matches to a stale view). Only the context block, the program and the pending input survive a
 * relayout; everything else is per-call state or generation-stamped (zeroed on relayout).
 */
import * as C from './context.js';

const PAGE_BYTES = 65536;
const ALIGN = 16;
/** SIMD loads read up to 16 bytes past a value: every region is followed by this much slack. */
const PAD = 64;
const VALUE_RECORD_BYTES = 24;
const SLOT_RECORD_BYTES_BOTH_BANKS = 40;
const WASM32_MAX_BYTES = 4 * 1024 * 1024 * 1024 - PAGE_BYTES;

export interface VmExports {
  memory: WebAssembly.Memory;
  vmVersion(): number;
  vmPrepare(ctx: number): number;
  vmScan(ctx: number): void;
  vmMatchRecords(ctx: number): void;
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
}

export const DEFAULT_REGION_SIZES: RegionSizes = {
  input: 1 << 20,
  values: 1 << 16,
  arena: 4 << 20,
  hits: 1 << 16,
  notes: 1 << 12,
  capture: 1 << 18,
};

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
  private capturePlan: CapturePlan | null = null;
  private capturePtr = 0;
  private captureOn = false;
  /** Called after every bytes-path call while set (the capture output must be taken before the next call). */
  afterScan: (() => void) | null = null;

  constructor(instance: WebAssembly.Instance, sizes: Partial<RegionSizes> = {}) {
    this.exports = instance.exports as unknown as VmExports;
    this.sizes = { ...DEFAULT_REGION_SIZES, ...sizes };
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

  get inputCapacity(): number {
    return this.sizes.input;
  }

  private relayout(): void {
    const s = this.sizes;
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
    place(C.CTX_INPUT_PTR, s.input);
    if (this.capturePlan) {
      const plan = this.capturePlan;
      const headerBytes = (CAPTURE_HEADER_WORDS + plan.ruleBitmap.length + plan.slots.length) * 4;
      this.capturePtr = p;
      p = align(p + headerBytes + s.capture + PAD);
    }
    this.layoutEnd = p;
    this.ensureMemory(p);
    // Regions placed anew may hold old bytes; stamps in the slot table and scratch must read as "never".
    this.u8().fill(0, slots, scratch + this.scratchBytes);
    this.set(C.CTX_SCRATCH_CAP, this.scratchBytes);
    this.set(C.CTX_VALUES_CAP, s.values);
    this.set(C.CTX_ARENA_CAP, s.arena);
    this.set(C.CTX_HITS_CAP, s.hits);
    this.set(C.CTX_NOTES_CAP, s.notes);
    if (this.capturePlan) this.writeCaptureBlock();
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

  /** Bytes of linear memory in use (for diagnostics and the RSS budget). */
  get memoryBytes(): number {
    return Math.max(this.layoutEnd, this.exports.memory.buffer.byteLength);
  }
}
