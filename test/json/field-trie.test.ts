/** The field trie's binary layout (src/compiler/field-trie.ts), read back by an independent decoder. */
import { describe, expect, test } from 'vitest';
import { NO_CHILD, NO_SLOT, TRIE_MAGIC, buildFieldTrie, fnv1a } from '../../src/compiler/field-trie.js';

const enc = new TextEncoder();

class TrieReader {
  private readonly v: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u32(at: number): number {
    return this.v.getUint32(at, true);
  }
  get nodeCount(): number {
    return this.u32(4);
  }
  slot(node: number): number {
    return this.u32(16 + node * 12);
  }
  /** Children of a node as key -> node. */
  children(node: number): Map<string, number> {
    const table = this.u32(16 + node * 12 + 4);
    const out = new Map<string, number>();
    if (table === 0) return out;
    const capacity = this.u32(16 + node * 12 + 8) + 1;
    for (let i = 0; i < capacity; i++) {
      const e = table + i * 16;
      const child = this.u32(e + 12);
      if (child === NO_CHILD) continue;
      const key = this.bytes.subarray(this.u32(e + 4), this.u32(e + 4) + this.u32(e + 8));
      expect(this.u32(e)).toBe(fnv1a(key));
      out.set(new TextDecoder().decode(key), child);
    }
    return out;
  }
  /** Lookup by probing, as the scanner does. */
  lookup(node: number, key: string): number {
    const k = enc.encode(key);
    const table = this.u32(16 + node * 12 + 4);
    if (table === 0) return NO_CHILD;
    const mask = this.u32(16 + node * 12 + 8);
    const h = fnv1a(k);
    for (let i = h & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
      const e = table + i * 16;
      if (this.u32(e + 12) === NO_CHILD) return NO_CHILD;
      const key = this.bytes.subarray(this.u32(e + 4), this.u32(e + 4) + this.u32(e + 8));
      if (this.u32(e) === h && Buffer.from(key).equals(Buffer.from(k))) return this.u32(e + 12);
    }
    return NO_CHILD;
  }
  path(...keys: string[]): number {
    let n = 0;
    for (const k of keys) {
      n = this.lookup(n, k);
      if (n === NO_CHILD) return n;
    }
    return n;
  }
}

describe('field trie', () => {
  test('header, literal names at the root, nested paths below', () => {
    const fields = ['Image', 'a.b.c', 'a.b', 'x_y_z', 'é.ü', null, ''];
    const { bytes, slotOf } = buildFieldTrie(fields);
    const t = new TrieReader(bytes);
    expect(t.u32(0)).toBe(TRIE_MAGIC);
    expect(t.u32(8)).toBe(fields.length);
    expect(t.u32(12)).toBeLessThanOrEqual(bytes.length);
    expect(bytes.length % 4).toBe(0);
    expect([...slotOf]).toEqual([['Image', 0], ['a.b.c', 1], ['a.b', 2], ['x_y_z', 3], ['é.ü', 4], ['', 6]]);
    // Literal names: root children, tier 0.
    expect(t.slot(t.path('Image'))).toBe(0);
    expect(t.slot(t.path('a.b.c'))).toBe(1);
    expect(t.slot(t.path('a.b'))).toBe(2);
    expect(t.slot(t.path(''))).toBe(6);
    // Nested paths: terminals below the root, tier 1.
    expect(t.slot(t.path('a', 'b', 'c'))).toBe(1);
    expect(t.slot(t.path('a', 'b'))).toBe(2);
    expect(t.slot(t.path('a'))).toBe(NO_SLOT);
    expect(t.slot(t.path('é', 'ü'))).toBe(4);
    // Attribute owners: x and x_y own x_y_z (evtx K_Y); they have neither slot nor children.
    for (const owner of ['x', 'x_y']) {
      const n = t.path(owner);
      expect(n).not.toBe(NO_CHILD);
      expect(t.slot(n)).toBe(NO_SLOT);
      expect(t.children(n).size).toBe(0);
    }
    expect(t.path('Image', 'x')).toBe(NO_CHILD);
    // Every node but the root is reachable exactly once.
    const seen = new Set<number>();
    const walk = (n: number): void => {
      for (const c of t.children(n).values()) {
        expect(seen.has(c)).toBe(false);
        seen.add(c);
        walk(c);
      }
    };
    walk(0);
    expect(seen.size).toBe(t.nodeCount - 1);
  });

  test('tables are powers of two at least twice the children', () => {
    const fields = Array.from({ length: 300 }, (_, i) => `f${i}`);
    const t = new TrieReader(buildFieldTrie(fields).bytes);
    const capacity = t.u32(16 + 8) + 1;
    expect(capacity & (capacity - 1)).toBe(0);
    expect(capacity).toBeGreaterThanOrEqual(600);
    fields.forEach((f, i) => expect(t.slot(t.path(f))).toBe(i));
  });

  test('no fields: a root without children', () => {
    const t = new TrieReader(buildFieldTrie([]).bytes);
    expect(t.nodeCount).toBe(1);
    expect(t.children(0).size).toBe(0);
  });

  test('ill-formed and repeated names are refused', () => {
    expect(() => buildFieldTrie(['a\ud800'])).toThrow(RangeError);
    expect(() => buildFieldTrie(['a', 'a'])).toThrow();
  });

  test('FNV-1a streams: hash(K_Y) continues hash(K)', () => {
    const k = enc.encode('Provider');
    const y = enc.encode('Name');
    expect(fnv1a(enc.encode('Provider_Name'))).toBe(fnv1a(y, fnv1a(enc.encode('_'), fnv1a(k))));
    expect(fnv1a(enc.encode(''))).toBe(2166136261);
    expect(fnv1a(enc.encode('a'))).toBe(0xe40c292c);
  });
});
