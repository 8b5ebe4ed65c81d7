/**
 * The host side of the VM: one WebAssembly instance, its memory layout, and the calls into it. The host owns
 * linear memory above the module's heap base and lays it out as
 *
 *   [context][program][slot table][scratch][value table][arena][hits][notes][input]
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
/** Bytes of one value record (assembly/store/values.ts). */
export const VALUE_RECORD_BYTES = 24;
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
}

export const DEFAULT_REGION_SIZES: RegionSizes = {
  input: 1 << 20,
  values: 1 << 16,
  arena: 4 << 20,
  hits: 1 << 16,
  notes: 1 << 12,
};

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
    this.layoutEnd = p;
    this.ensureMemory(p);
    // Regions placed anew may hold old bytes; stamps in the slot table and scratch must read as "never".
    this.u8().fill(0, slots, scratch + this.scratchBytes);
    this.set(C.CTX_SCRATCH_CAP, this.scratchBytes);
    this.set(C.CTX_VALUES_CAP, s.values);
    this.set(C.CTX_ARENA_CAP, s.arena);
    this.set(C.CTX_HITS_CAP, s.hits);
    this.set(C.CTX_NOTES_CAP, s.notes);
  }

  private ensureMemory(end: number): void {
    if (end > WASM32_MAX_BYTES) throw new VmError(`sigmatch needs ${end} bytes of WebAssembly memory, more than wasm32 allows`);
    const have = this.exports.memory.buffer.byteLength;
    if (end > have) this.exports.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
  }

  /** Run the objects path over the records in the input region. */
  runRecords(): void {
    this.exports.vmMatchRecords(this.ctx);
  }

  /** Run the bytes path over the JSON bytes in the input region. */
  runScan(): void {
    this.exports.vmScan(this.ctx);
  }

  /** Bytes of linear memory in use (for diagnostics and the RSS budget). */
  get memoryBytes(): number {
    return Math.max(this.layoutEnd, this.exports.memory.buffer.byteLength);
  }
}
