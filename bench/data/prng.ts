/**
 * A small seeded PRNG for the event generator: xoshiro128** (Blackman and Vigna), seeded through splitmix32.
 *
 * Everything that shapes the output goes through integer arithmetic only (no Math.random, no Math.log/exp), so the
 * same seed gives the same bytes on every Node version and platform.
 */

/** splitmix32 step: a good way to spread a small seed over the 128-bit xoshiro state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const st = { s: (seed >>> 0) ^ Math.imul(stream + 1, 0x632be5ab) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n) (n <= 2^32; the tiny modulo bias is irrelevant here). */
  int(n: number): number {
    return n <= 1 ? 0 : Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks with a skew towards the head of the list (roughly Zipf-like): popular items first. */
  pickSkewed<T>(items: readonly T[]): T {
    const u = this.float();
    return items[Math.floor(u * u * items.length)];
  }

  /** `n` uppercase (or lowercase) hex digits. */
  hex(n: number, lower = false): string {
    let s = '';
    while (s.length < n) s += this.next().toString(16).padStart(8, '0');
    s = s.slice(0, n);
    return lower ? s : s.toUpperCase();
  }

  /** A GUID without braces, uppercase as evtx_dump prints Sysmon GUIDs. */
  guid(lower = false): string {
    const h = this.hex(32, lower);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A string of `n` characters drawn from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Weighted choice over a fixed table, precomputed as integer thresholds. */
export class Weighted<T> {
  private readonly thresholds: number[] = [];
  private readonly values: T[] = [];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let acc = 0;
    for (const [value, weight] of entries) {
      if (weight <= 0) continue;
      acc += weight;
      this.thresholds.push(acc);
      this.values.push(value);
    }
    this.total = acc;
  }

  pick(rng: Rng): T {
    const x = rng.float() * this.total;
    const t = this.thresholds;
    let lo = 0;
    let hi = t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < t[mid]) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }
}

/** A 32-bit FNV-1a hash of a string: stable per-name values (hashes, addresses) that do not consume the PRNG. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `n` uppercase hex digits derived from a name only (the same binary always has the same hash). */
export function stableHex(name: string, n: number): string {
  let s = '';
  let h = fnv1a(name);
  let i = 0;
  while (s.length < n) {
    h = fnv1a(`${i++}:${name}`, h);
    s += h.toString(16).padStart(8, '0');
  }
  return s.slice(0, n).toUpperCase();
}
