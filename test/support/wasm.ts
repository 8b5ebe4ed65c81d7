/**
 * Loads the test build of the VM (build/sigmatch-test.wasm, `npm run build:wasm-test`) for tests of single
 * mechanisms. Memory above the module's heap base belongs to the test: `alloc` hands out 16-byte aligned blocks
 * (with 16 bytes of padding after each, since SIMD loads may over-read) and grows memory as needed; views must be
 * taken after allocating (growth detaches old views), which `bytes()` and `u32()` do each time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WASM_PATH = fileURLToPath(new URL('../../build/sigmatch-test.wasm', import.meta.url));
const PAGE = 65536;
const ALIGN = 16;
const PAD = 16;

export interface TestVm {
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  /** Allocate `size` bytes (zeroed), returning the pointer. */
  alloc(size: number): number;
  /** Forget every allocation (pointers become invalid). */
  reset(): void;
  bytes(): Uint8Array;
  u32(): Uint32Array;
  /** Copy bytes in; returns the pointer. */
  put(data: Uint8Array | string): { ptr: number; len: number };
  read(ptr: number, len: number): Uint8Array;
  readString(ptr: number, len: number): string;
}

let cached: WebAssembly.Module | null = null;

export async function loadTestVm(): Promise<TestVm> {
  cached ??= await WebAssembly.compile(readFileSync(WASM_PATH));
  const instance = await WebAssembly.instantiate(cached, { env: { abort: abortHandler } });
  const exports = instance.exports as Record<string, any>;
  const memory = exports.memory as WebAssembly.Memory;
  const base = (Number(exports.testHeapBase()) + ALIGN - 1) & ~(ALIGN - 1);
  let top = base;
  const vm: TestVm = {
    exports,
    memory,
    alloc(size: number): number {
      const ptr = top;
      top = (ptr + size + PAD + ALIGN - 1) & ~(ALIGN - 1);
      const need = top - memory.buffer.byteLength;
      if (need > 0) memory.grow(Math.ceil(need / PAGE));
      new Uint8Array(memory.buffer, ptr, size + PAD).fill(0);
      return ptr;
    },
    reset(): void {
      top = base;
    },
    bytes: () => new Uint8Array(memory.buffer),
    u32: () => new Uint32Array(memory.buffer),
    put(data: Uint8Array | string) {
      const b = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const ptr = vm.alloc(b.length);
      vm.bytes().set(b, ptr);
      return { ptr, len: b.length };
    },
    read: (ptr: number, len: number) => new Uint8Array(memory.buffer).slice(ptr, ptr + len),
    // ignoreBOM: a string may begin with U+FEFF, which TextDecoder would otherwise drop as a byte order mark.
    readString: (ptr: number, len: number) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(memory.buffer, ptr, len)),
  };
  return vm;

  function abortHandler(msg: number, file: number, line: number, col: number): never {
    throw new Error(`wasm abort at ${line}:${col} (message ptr ${msg}, file ptr ${file})`);
  }
}
