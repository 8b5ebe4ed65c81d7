/**
 * The field trie: which JSON keys and key paths feed which field slot, as the bytes the VM's JSON scanner walks
 * (assembly/json/trie.ts reads this layout; DESIGN.md section 4 "The field trie" describes it with the scanner).
 *
 * Shape. Node 0 is the root. For slot i (field name fields[i]):
 * - the root has a child keyed by the whole name: the **literal** key (tier 0; a root child is always tier 0);
 * - a name with dots also gets its **nested** path: root -> seg0 -> seg1 -> ... -> segN (split on every dot, empty
 *   segments included, exactly as `lookupField` splits); the terminal node holds slot i at tier 1 (a terminal
 *   deeper than the root is always tier 1).
 * - **Attribute owners** (evtx): for every root key containing `_`, each prefix K before an `_` is a root child too
 *   (created with no slot and no children when no field already put it there). The evtx mapping turns
 *   `Event.System.K.#attributes.Y` into the flat key `K_Y`; finding K in the root tells the scanner that K's
 *   attributes may be referenced (and gives it K's bytes to continue the hash with `_` and Y). A root child with
 *   neither slot nor children is such an owner only: flat lookups treat it as absent.
 *
 * Binary layout (little-endian u32 words; every offset is relative to the first byte of the trie):
 * ```
 * header    [0]  magic/version TRIE_MAGIC ("SFT1")
 *           [4]  node count
 *           [8]  slot count (fields.length)
 *           [12] key bytes offset
 * nodes     at 16, 12 bytes each: slot (or NO_SLOT), child table offset (0 = no children), child table mask
 * tables    one per node with children, capacity = mask + 1 = a power of two >= 2x the children; 16-byte entries:
 *           FNV-1a 32-bit hash of the key's UTF-8 bytes, key offset, key length, child node (NO_CHILD = empty).
 *           Open addressing, linear probing from hash & mask.
 * key bytes at the key bytes offset: every key's UTF-8 bytes, back to back (keys are compared as bytes)
 * ```
 * Keys are the UTF-8 bytes of the field's segments; the scanner decodes JSON keys (escapes, invalid UTF-8 as
 * U+FFFD) before hashing. FNV-1a is a streaming hash, so the scanner hashes evtx attribute keys `K_Y` piecewise
 * (K, then `_`, then Y) and compares them in pieces without joining them in memory.
 */

export const TRIE_MAGIC = 0x31544653; // "SFT1" read as a little-endian u32
export const TRIE_HEADER_BYTES = 16;
export const TRIE_NODE_BYTES = 12;
export const TRIE_ENTRY_BYTES = 16;
export const NO_SLOT = 0xffffffff;
export const NO_CHILD = 0xffffffff;
export const FNV_OFFSET = 2166136261;
export const FNV_PRIME = 16777619;
/** Child tables are at least twice as large as their child count, keeping linear probes short. */
const TABLE_LOAD_FACTOR = 2;
const ROOT = 0;
const UNDERSCORE = 0x5f;

/** FNV-1a 32-bit over bytes, continuing from `hash` (streaming: hash(a + b) = fnv1a(b, fnv1a(a))). */
export function fnv1a(bytes: Uint8Array, hash: number = FNV_OFFSET): number {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME) >>> 0;
  return h;
}

export interface FieldTrie {
  bytes: Uint8Array;
  /** Field name -> slot. */
  slotOf: Map<string, number>;
}

interface BuildNode {
  slot: number;
  children: Map<string, number>; // key bytes as latin1 string (exact bytes) -> node index
}

const latin1 = (b: Uint8Array): string => Array.from(b, (c) => String.fromCharCode(c)).join('');
const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * Build the trie for the slots' field names. `fields[i]` is slot i's name; `null` marks a slot no JSON key feeds
 * (the keyword slot). Names must be well-formed Unicode (a lone surrogate cannot survive UTF-8, so such a name
 * could never match in the bytes path) and unique.
 */
export function buildFieldTrie(fields: readonly (string | null)[]): FieldTrie {
  const encoder = new TextEncoder();
  const nodes: BuildNode[] = [{ slot: NO_SLOT, children: new Map() }];
  const child = (parent: number, key: Uint8Array): number => {
    const k = latin1(key);
    let c = nodes[parent].children.get(k);
    if (c === undefined) {
      c = nodes.length;
      nodes.push({ slot: NO_SLOT, children: new Map() });
      nodes[parent].children.set(k, c);
    }
    return c;
  };
  const slotOf = new Map<string, number>();
  fields.forEach((name, slot) => {
    if (name === null) return;
    if (!name.isWellFormed()) throw new RangeError(`field name ${JSON.stringify(name)} is not well-formed Unicode`);
    if (slotOf.has(name)) throw new Error(`field name ${JSON.stringify(name)} has two slots`);
    slotOf.set(name, slot);
    nodes[child(ROOT, encoder.encode(name))].slot = slot;
    if (name.includes('.')) {
      let n = ROOT;
      for (const segment of name.split('.')) n = child(n, encoder.encode(segment));
      nodes[n].slot = slot;
    }
  });
  // Attribute owners: every K such that some root key is K_Y.
  for (const key of [...nodes[ROOT].children.keys()]) {
    const bytes = fromLatin1(key);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === UNDERSCORE) child(ROOT, bytes.subarray(0, i));
  }
  return { bytes: serialise(nodes, fields.length), slotOf };
}

function tableCapacity(children: number): number {
  let capacity = 1;
  while (capacity < children * TABLE_LOAD_FACTOR) capacity *= 2;
  return capacity;
}

function serialise(nodes: BuildNode[], slotCount: number): Uint8Array {
  const nodesBytes = nodes.length * TRIE_NODE_BYTES;
  let tablesBytes = 0;
  let keyBytes = 0;
  for (const n of nodes) {
    if (n.children.size === 0) continue;
    tablesBytes += tableCapacity(n.children.size) * TRIE_ENTRY_BYTES;
    for (const k of n.children.keys()) keyBytes += k.length;
  }
  const keysOffset = TRIE_HEADER_BYTES + nodesBytes + tablesBytes;
  const total = (keysOffset + keyBytes + 3) & ~3;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const u32 = (offset: number, value: number): void => view.setUint32(offset, value >>> 0, true);
  u32(0, TRIE_MAGIC);
  u32(4, nodes.length);
  u32(8, slotCount);
  u32(12, keysOffset);
  let tableAt = TRIE_HEADER_BYTES + nodesBytes;
  let keyAt = keysOffset;
  nodes.forEach((n, index) => {
    const node = TRIE_HEADER_BYTES + index * TRIE_NODE_BYTES;
    u32(node, n.slot);
    if (n.children.size === 0) {
      u32(node + 4, 0);
      u32(node + 8, 0);
      return;
    }
    const capacity = tableCapacity(n.children.size);
    const mask = capacity - 1;
    u32(node + 4, tableAt);
    u32(node + 8, mask);
    for (let i = 0; i < capacity; i++) u32(tableAt + i * TRIE_ENTRY_BYTES + 12, NO_CHILD);
    for (const [k, c] of n.children) {
      const key = fromLatin1(k);
      const hash = fnv1a(key);
      let i = hash & mask;
      while (view.getUint32(tableAt + i * TRIE_ENTRY_BYTES + 12, true) !== NO_CHILD) i = (i + 1) & mask;
      const entry = tableAt + i * TRIE_ENTRY_BYTES;
      u32(entry, hash);
      u32(entry + 4, keyAt);
      u32(entry + 8, key.length);
      u32(entry + 12, c);
      out.set(key, keyAt);
      keyAt += key.length;
    }
    tableAt += capacity * TRIE_ENTRY_BYTES;
  });
  return out;
}
