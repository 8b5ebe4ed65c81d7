// Reader of the field trie built by src/compiler/field-trie.ts (the layout is documented there and in DESIGN.md
// section 4). All offsets inside the trie are relative to its first byte; every word is a little-endian u32.
import { CH_UNDERSCORE } from './constants';
import { bytesEqual } from './lexer';

@inline export const TRIE_MAGIC: u32 = 0x31544653; // "SFT1"
@inline const HEADER_MAGIC: usize = 0;
@inline const HEADER_NODES: usize = 4;
@inline const HEADER_SLOTS: usize = 8;
@inline const HEADER_BYTES: usize = 16;
@inline const NODE_SLOT: usize = 0;
@inline const NODE_TABLE: usize = 4;
@inline const NODE_MASK: usize = 8;
@inline const NODE_BYTES: usize = 12;
@inline const ENTRY_HASH: usize = 0;
@inline const ENTRY_KEY: usize = 4;
@inline const ENTRY_LENGTH: usize = 8;
@inline const ENTRY_CHILD: usize = 12;
@inline const ENTRY_BYTES: usize = 16;

/** Slot word of a node no field ends at. */
@inline export const NO_SLOT: u32 = 0xffffffff;
/** "No node" (also the child word of an empty table entry). */
@inline export const NO_NODE: u32 = 0xffffffff;
@inline export const ROOT: u32 = 0;

@inline export const FNV_OFFSET: u32 = 2166136261;
@inline export const FNV_PRIME: u32 = 16777619;

let trie: usize = 0;
let nodes: usize = 0;

/** The table entry of the last successful lookup: its hash and key bytes let evtx `K_Y` lookups continue from K. */
export let foundEntry: usize = 0;

export function trieIsValid(ptr: usize): bool {
  return load<u32>(ptr, HEADER_MAGIC) == TRIE_MAGIC;
}

export function trieNodeCount(ptr: usize): u32 {
  return load<u32>(ptr, HEADER_NODES);
}

export function trieSlotCount(ptr: usize): u32 {
  return load<u32>(ptr, HEADER_SLOTS);
}

export function trieAttach(ptr: usize): void {
  trie = ptr;
  nodes = ptr + HEADER_BYTES;
}

@inline export function nodeSlot(node: u32): u32 {
  return load<u32>(nodes + <usize>node * NODE_BYTES, NODE_SLOT);
}

@inline export function nodeHasChildren(node: u32): bool {
  return load<u32>(nodes + <usize>node * NODE_BYTES, NODE_TABLE) != 0;
}

/** A node some field ends at or some nested path passes through (not an attribute owner only). */
@inline export function nodeIsReal(node: u32): bool {
  let n = nodes + <usize>node * NODE_BYTES;
  return load<u32>(n, NODE_SLOT) != NO_SLOT || load<u32>(n, NODE_TABLE) != 0;
}

/** FNV-1a 32-bit over bytes, continuing from `hash` (streaming). */
@inline export function fnv(hash: u32, p: usize, len: usize): u32 {
  let h = hash;
  let end = p + len;
  while (p < end) {
    h = (h ^ <u32>load<u8>(p)) * FNV_PRIME;
    p++;
  }
  return h;
}

@inline export function entryHash(entry: usize): u32 {
  return load<u32>(entry, ENTRY_HASH);
}

@inline export function entryKey(entry: usize): usize {
  return trie + <usize>load<u32>(entry, ENTRY_KEY);
}

@inline export function entryLength(entry: usize): u32 {
  return load<u32>(entry, ENTRY_LENGTH);
}

/** Child of `node` keyed by the bytes [key, key + len) whose FNV-1a hash is `hash`, or NO_NODE. */
export function lookupChild(node: u32, hash: u32, key: usize, len: u32): u32 {
  let n = nodes + <usize>node * NODE_BYTES;
  let table = load<u32>(n, NODE_TABLE);
  if (table == 0) return NO_NODE;
  let mask = load<u32>(n, NODE_MASK);
  let base = trie + <usize>table;
  let i = hash & mask;
  // At most one full cycle: a corrupted table without an empty entry cannot loop forever.
  for (let probes: u32 = 0; probes <= mask; probes++) {
    let e = base + <usize>i * ENTRY_BYTES;
    let child = load<u32>(e, ENTRY_CHILD);
    if (child == NO_NODE) return NO_NODE;
    if (load<u32>(e, ENTRY_HASH) == hash && load<u32>(e, ENTRY_LENGTH) == len &&
        bytesEqual(trie + <usize>load<u32>(e, ENTRY_KEY), key, <usize>len)) {
      foundEntry = e;
      return child;
    }
    i = (i + 1) & mask;
  }
  return NO_NODE;
}

/**
 * Root child keyed by `K_Y`, where K is the key of the table entry `owner` (found earlier) and Y the bytes
 * [y, y + yLen). The hash continues from K's (FNV-1a streams), the comparison goes piece by piece: nothing is joined.
 */
export function lookupJoined(owner: usize, y: usize, yLen: u32): u32 {
  let kLen = entryLength(owner);
  let k = entryKey(owner);
  let hash = fnv((entryHash(owner) ^ CH_UNDERSCORE) * FNV_PRIME, y, yLen);
  let len = kLen + 1 + yLen;
  let n = nodes + <usize>ROOT * NODE_BYTES;
  let table = load<u32>(n, NODE_TABLE);
  if (table == 0) return NO_NODE;
  let mask = load<u32>(n, NODE_MASK);
  let base = trie + <usize>table;
  let i = hash & mask;
  for (let probes: u32 = 0; probes <= mask; probes++) {
    let e = base + <usize>i * ENTRY_BYTES;
    let child = load<u32>(e, ENTRY_CHILD);
    if (child == NO_NODE) return NO_NODE;
    if (load<u32>(e, ENTRY_HASH) == hash && load<u32>(e, ENTRY_LENGTH) == len) {
      let key = trie + <usize>load<u32>(e, ENTRY_KEY);
      if (bytesEqual(key, k, <usize>kLen) && <u32>load<u8>(key + <usize>kLen) == CH_UNDERSCORE &&
          bytesEqual(key + <usize>kLen + 1, y, <usize>yLen)) {
        foundEntry = e;
        return child;
      }
    }
    i = (i + 1) & mask;
  }
  return NO_NODE;
}

/** Entries in `node`'s child table (0 when it has no children). */
export function tableCapacity(node: u32): u32 {
  let n = nodes + <usize>node * NODE_BYTES;
  return load<u32>(n, NODE_TABLE) == 0 ? 0 : load<u32>(n, NODE_MASK) + 1;
}

/** Entry i of `node`'s child table, or 0 when it is empty. */
export function tableEntry(node: u32, i: u32): usize {
  let n = nodes + <usize>node * NODE_BYTES;
  let e = trie + <usize>load<u32>(n, NODE_TABLE) + <usize>i * ENTRY_BYTES;
  return load<u32>(e, ENTRY_CHILD) == NO_NODE ? 0 : e;
}

// ---- the key index ----
// The trie's own tables hash keys with FNV-1a: the format fixes it for every reader, and it streams (evtx K_Y
// keys are hashed piece by piece). But FNV-1a costs one dependent multiply per byte, and the scanner looks up
// every key of every event. So at attach time the scanner indexes every edge (parent node, key) of the trie in a
// second table in its scratch, hashed from two 8-byte words of the key. It is only an accelerator, built from the
// trie: every hit is verified byte for byte.
@inline const INDEX_PARENT: usize = 0;
@inline const INDEX_LENGTH: usize = 4;
@inline const INDEX_ENTRY: usize = 8;
@inline const INDEX_CHILD: usize = 12;
@inline const INDEX_ENTRY_BYTES: usize = 16;
@inline const INDEX_MIN_CAPACITY: u32 = 16;
/** Capacity at least this many times the edges: short probes. */
@inline const INDEX_LOAD_FACTOR: u32 = 2;
/** 2^64 / golden ratio: Fibonacci hashing spreads the mixed word over the index's bits. */
@inline const FIBONACCI_MULTIPLIER: u64 = 0x9e3779b97f4a7c15;
@inline const WORD_BYTES: u32 = 8;
@inline const LAST_WORD_ROTATION: u64 = 29;
@inline const LENGTH_SHIFT: u64 = 32;
@inline const HASH_BITS: u64 = 64;
@inline const BITS_PER_BYTE: u64 = 8;

let index: usize = 0;
let indexMask: u32 = 0;
let indexShift: u64 = 0;

/** Entries of the key index for a trie of `nodeCount` nodes (one edge per node but the root). */
function indexCapacity(nodeCount: u32): u32 {
  let capacity = INDEX_MIN_CAPACITY;
  while (capacity < nodeCount * INDEX_LOAD_FACTOR) capacity <<= 1;
  return capacity;
}

export function indexBytes(nodeCount: u32): usize {
  return <usize>indexCapacity(nodeCount) * INDEX_ENTRY_BYTES;
}

/** Mix a key (its first and last 8 bytes, its length) and its parent into 64 bits. Reads up to 8 bytes at key. */
@inline function keyHash(parent: u32, key: usize, len: u32): u64 {
  let w: u64;
  if (len >= WORD_BYTES) w = load<u64>(key) ^ rotl<u64>(load<u64>(key + <usize>(len - WORD_BYTES)), LAST_WORD_ROTATION);
  else w = load<u64>(key) & (((<u64>1) << (<u64>len * BITS_PER_BYTE)) - 1);
  return (w ^ ((<u64>len << LENGTH_SHIFT) | <u64>parent)) * FIBONACCI_MULTIPLIER;
}

/** Use the key index already built at `at` for the attached trie. */
export function indexAttach(at: usize, nodeCount: u32): void {
  index = at;
  let capacity = indexCapacity(nodeCount);
  indexMask = capacity - 1;
  indexShift = HASH_BITS - <u64>ctz(capacity);
}

/** Build the key index at `at` (indexBytes(nodeCount) bytes) for the attached trie. */
export function indexBuild(at: usize, nodeCount: u32): void {
  indexAttach(at, nodeCount);
  let capacity = indexCapacity(nodeCount);
  memory.fill(at, 0xff, <usize>capacity * INDEX_ENTRY_BYTES); // every child word NO_NODE: empty
  for (let node: u32 = 0; node < nodeCount; node++) {
    let entries = tableCapacity(node);
    for (let i: u32 = 0; i < entries; i++) {
      let e = tableEntry(node, i);
      if (e == 0) continue;
      let len = entryLength(e);
      let slot = <u32>(keyHash(node, entryKey(e), len) >> indexShift);
      while (load<u32>(index + <usize>slot * INDEX_ENTRY_BYTES, INDEX_CHILD) != NO_NODE) slot = (slot + 1) & indexMask;
      let x = index + <usize>slot * INDEX_ENTRY_BYTES;
      store<u32>(x, node, INDEX_PARENT);
      store<u32>(x, len, INDEX_LENGTH);
      store<u32>(x, <u32>e, INDEX_ENTRY);
      store<u32>(x, load<u32>(e, ENTRY_CHILD), INDEX_CHILD);
    }
  }
}

/** Child of `parent` keyed by the bytes [key, key + len), or NO_NODE (sets foundEntry, as lookupChild does). */
@inline export function findChild(parent: u32, key: usize, len: u32): u32 {
  let slot = <u32>(keyHash(parent, key, len) >> indexShift);
  for (let probes: u32 = 0; probes <= indexMask; probes++) {
    let x = index + <usize>slot * INDEX_ENTRY_BYTES;
    let child = load<u32>(x, INDEX_CHILD);
    if (child == NO_NODE) return NO_NODE;
    if (load<u32>(x, INDEX_LENGTH) == len && load<u32>(x, INDEX_PARENT) == parent) {
      let e = <usize>load<u32>(x, INDEX_ENTRY);
      if (bytesEqual(entryKey(e), key, <usize>len)) {
        foundEntry = e;
        return child;
      }
    }
    slot = (slot + 1) & indexMask;
  }
  return NO_NODE;
}
