/**
 * Support for the matching-primitive tests: the test VM with typed wrappers over its exports, and a check that
 * constants the AssemblyScript side mirrors (as `@inline const`, which cannot be exported) equal their TypeScript
 * twins, by reading the AssemblyScript source.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTestVm, type TestVm } from '../support/wasm.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b);

/** The test VM plus one-call helpers; each helper resets the VM's allocations first, so calls never accumulate. */
export interface MatchVm {
  readonly vm: TestVm;
  readonly x: Record<string, any>;
  /** Copy each argument in (fresh allocations after a reset) and return their pointers and lengths. */
  load(...data: (Uint8Array | string)[]): { ptr: number; len: number }[];
  /**
   * Copy `data` so that it ends at the last byte of linear memory (allocate everything else first): a primitive
   * reading even one byte past its input then traps instead of reading padding.
   */
  atMemoryEnd(data: Uint8Array | string): { ptr: number; len: number };
  fold(s: string | Uint8Array): Uint8Array;
  indexOf(hay: Uint8Array | string, needle: Uint8Array | string, from?: number): number;
  glob(program: Uint8Array, value: Uint8Array | string): boolean;
  cidr(network: Uint8Array, value: string): boolean;
  parseIPv4(text: string): Uint8Array | null;
  parseIPv6(text: string, allowZone: boolean): Uint8Array | null;
  parseDecimal(text: string): number;
  timePart(text: string, part: number): number;
  regex(program: Int32Array, input: string | Uint8Array): boolean;
}

export async function loadMatchVm(): Promise<MatchVm> {
  const vm = await loadTestVm();
  const x = vm.exports;
  const load = (...data: (Uint8Array | string)[]): { ptr: number; len: number }[] => {
    vm.reset();
    return data.map((d) => vm.put(d));
  };
  const out = (n: number): number => vm.alloc(n);
  const IPV6_BYTES = 16;
  const IPV4_BYTES = 4;
  return {
    vm,
    x,
    load,
    atMemoryEnd(data) {
      const bytes = typeof data === 'string' ? utf8(data) : data;
      vm.alloc(bytes.length);
      const ptr = vm.memory.buffer.byteLength - bytes.length;
      vm.bytes().set(bytes, ptr);
      return { ptr, len: bytes.length };
    },
    fold(s) {
      const [src] = load(s);
      const dst = out(x.foldedCapacity(src.len));
      const n = x.foldUtf8(src.ptr, src.len, dst);
      return vm.read(dst, n);
    },
    indexOf(hay, needle, from = 0) {
      const [h, n] = load(hay, needle);
      return x.indexOf(h.ptr, h.len, n.ptr, n.len, from);
    },
    glob(program, value) {
      const [p, v] = load(program, value);
      return x.globMatch(p.ptr, v.ptr, v.len) !== 0;
    },
    cidr(network, value) {
      const [n, v] = load(network, value);
      return x.cidrContains(n.ptr, v.ptr, v.len) !== 0;
    },
    parseIPv4(text) {
      const [t] = load(text);
      const o = out(IPV4_BYTES);
      return x.parseIPv4(t.ptr, t.len, o) ? vm.read(o, IPV4_BYTES) : null;
    },
    parseIPv6(text, allowZone) {
      const [t] = load(text);
      const o = out(IPV6_BYTES);
      return x.parseIPv6(t.ptr, t.len, allowZone ? 1 : 0, o) ? vm.read(o, IPV6_BYTES) : null;
    },
    parseDecimal(text) {
      const [t] = load(text);
      return x.parseDecimal(t.ptr, t.len);
    },
    timePart(text, part) {
      const [t] = load(text);
      return x.timePart(t.ptr, t.len, part);
    },
    regex(program, input) {
      const [p, i] = load(new Uint8Array(program.buffer, program.byteOffset, program.byteLength), input);
      const scratch = out(x.regexScratchBytes(p.ptr));
      return x.regexSearch(p.ptr, i.ptr, i.len, scratch) !== 0;
    },
  };
}

/**
 * A fixed region reused call after call, for loops of millions of calls where even a reset per call costs: the
 * input is encoded straight into WASM memory. Grows (re-allocating) when an input does not fit.
 */
export class InputSlot {
  private ptr = 0;
  private capacity = 0;

  constructor(private readonly vm: TestVm, private readonly reserveBefore = 0) {}

  /** Encode `s` into the slot; returns [ptr, len]. */
  put(s: string): [number, number] {
    const need = s.length * 3;
    if (need > this.capacity) {
      this.vm.reset();
      if (this.reserveBefore > 0) this.vm.alloc(this.reserveBefore);
      this.capacity = Math.max(need, 1024);
      this.ptr = this.vm.alloc(this.capacity);
    }
    const { written } = encoder.encodeInto(s, new Uint8Array(this.vm.memory.buffer, this.ptr, this.capacity));
    return [this.ptr, written];
  }
}

const ASSEMBLY_CONST = /@inline\s+(?:export\s+)?const\s+([A-Z0-9_]+)\s*:\s*\w+\s*=\s*(-?(?:0x[0-9a-fA-F]+|\d+))\s*;/g;

/** The literal `@inline const` values of an AssemblyScript file (relative to the repository root). */
export function assemblyConstants(path: string): Map<string, number> {
  const text = readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(ASSEMBLY_CONST)) out.set(m[1], Number(m[2]));
  return out;
}

/** Deterministic PRNG (mulberry32), for generators that must be fast and reproducible. */
export class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  string(alphabet: readonly string[], maxLength: number): string {
    let s = '';
    const n = this.int(maxLength + 1);
    for (let k = 0; k < n; k++) s += this.pick(alphabet);
    return s;
  }
}

/** Characters that exercise UTF-8 widths and folding: ASCII, 2-byte (incl. U+023A, which grows), 3-byte, emoji. */
export const MIXED_ALPHABET: readonly string[] = [
  ...'aAbBzZ09 _-./\\:*?',
  'é',
  'É',
  'ß',
  'Ⱥ', // U+023A: folds to U+2C65, 2 -> 3 bytes
  'Ⱦ', // U+023E: folds to U+2C66
  'ⱥ',
  'Σ',
  'σ',
  'ς',
  'İ', // U+0130: no one-to-one lowercase, unchanged
  'K', // U+212A Kelvin sign: folds to ASCII k, 3 -> 1 byte
  'Ω',
  '–',
  '中',
  '😀',
  '𐐀', // U+10400 Deseret capital: folds to U+10428 (4 bytes both)
];
