// The scanner's part of the VM scratch region (the host allocates scannerScratchBytes(trie) bytes): per-node
// container stamps and flags, the parser's frame stack, the skipper's bit stack, the key stack that finds
// duplicate keys, and the key index (trie.ts) that speeds up lookups. Nothing here needs clearing per event:
// stamps compare against a counter that only grows.
import { CH_UNDERSCORE, MAX_DEPTH } from './constants';
import {
  FNV_OFFSET, NO_NODE, ROOT, entryKey, entryLength, fnv, indexAttach, indexBuild, indexBytes, lookupChild, tableCapacity,
  tableEntry, trieAttach, trieNodeCount,
} from './trie';

@inline const WORD_BYTES: usize = 4;
@inline const SCRATCH_ALIGN: usize = 16;

// ---- frames of the extracting parser (assembly/json/extract.ts) and of collectLeaves ----
@inline export const FRAME_INFO: usize = 0; // bit 0: array; bits 8-15: evtx role; 16-23: evtx tier; 24-31: seen flags
@inline export const FRAME_FLAT: usize = 4; // flat walk node (NO_NODE: not walking)
@inline export const FRAME_FLAT_TIER: usize = 8;
@inline export const FRAME_EV_NODE: usize = 12;
@inline export const FRAME_EV_ENTRY: usize = 16; // trie entry of the evtx member key K (for K_Y lookups)
@inline export const FRAME_STAMP: usize = 20; // container stamp (duplicate keys on referenced paths)
@inline export const FRAME_KEYS: usize = 24; // key stack height when the object opened
@inline export const FRAME_BYTES: usize = 32;

/** Levels the skipper keeps in scratch before it borrows arena space (one bit per level). */
@inline export const SKIP_SCRATCH_BITS: u32 = 1 << 16;

// ---- key stack: the keys of the open objects, for duplicate detection ----
@inline export const KEY_HASH: usize = 0;
@inline export const KEY_PTR: usize = 4;
@inline export const KEY_LENGTH: usize = 8;
@inline export const KEY_BYTES: usize = 12;
/** Keys of all open objects together that scratch holds; past it the stack moves into the event's arena (keys.ts). */
@inline export const KEY_STACK_CAPACITY: u32 = 4096;

// Stamp tables, one per kind of lookup. A stamp table catches a key met twice in one container only if no other
// container doing the same kind of lookup into the same node can be open meanwhile: true for each kind on its own
// (flat containers at one trie node follow each other; so do evtx member containers, and #attributes objects),
// not across kinds (an #attributes object's K_Y lookup reaches root children inside System's member lookups).
/** Flat walk: children of the container's trie node. */
@inline export const STAMPS_FLAT: u32 = 0;
/** Evtx: members K of System, EventData and UserData elements, in the root. */
@inline export const STAMPS_MEMBER: u32 = 1;
/** Evtx: attributes K_Y of an element's #attributes, in the root. */
@inline export const STAMPS_ATTRIBUTE: u32 = 2;
@inline const STAMP_TABLES: u32 = 3;

/** Per-node flag: the node is an evtx attribute owner K (some root key is K_Y). */
@inline export const NODE_OWNER: u8 = 1;

let scratchBase: usize = 0;
export let stamps: usize = 0;
export let nodeFlags: usize = 0;
export let frames: usize = 0;
export let skipBits: usize = 0;
export let keyStack: usize = 0;
export let keyIndex: usize = 0;
let nodeCount: u32 = 0;
/** The last container stamp handed out (0 is never one, so zeroed stamps never match). */
let stampCounter: u32 = 0;

@inline function align(n: usize): usize {
  return (n + SCRATCH_ALIGN - 1) & ~(SCRATCH_ALIGN - 1);
}

function layout(base: usize, nodes: u32): usize {
  scratchBase = base;
  stamps = base;
  nodeFlags = align(stamps + <usize>STAMP_TABLES * <usize>nodes * WORD_BYTES);
  frames = align(nodeFlags + <usize>nodes);
  skipBits = frames + <usize>MAX_DEPTH * FRAME_BYTES;
  keyStack = align(skipBits + <usize>(SKIP_SCRATCH_BITS >> 3));
  keyIndex = align(keyStack + <usize>KEY_STACK_CAPACITY * KEY_BYTES);
  builtMark = align(keyIndex + indexBytes(nodes));
  return builtMark + SCRATCH_ALIGN - base;
}

/** After the key index: BUILT_MAGIC ^ the trie's address once the scratch is built for that trie. The host zeroes
 * the scratch when it places it anew (and loads every program that way), which clears the mark. */
let builtMark: usize = 0;
@inline const BUILT_MAGIC: u32 = 0x53435254;

/** Scratch bytes the scanner needs for this trie. */
export function scratchBytes(trie: usize): usize {
  let saved = scratchBase;
  let bytes = layout(0, trieNodeCount(trie));
  layout(saved, nodeCount);
  return bytes;
}

/**
 * Lay out the scratch for this trie: clear the stamps, flag the attribute owners, build the key index. Linear in
 * the trie's size (tens of microseconds for a thousand fields). The VM attaches once per call (per chunk of input,
 * per .evtx chunk): when the scratch is already built for this trie (its mark), only the layout is taken again.
 * Stamps need no clearing then: they compare against a counter that only grows.
 */
export function scratchAttach(trie: usize, base: usize): void {
  trieAttach(trie);
  nodeCount = trieNodeCount(trie);
  layout(base, nodeCount);
  if (load<u32>(builtMark) == (BUILT_MAGIC ^ <u32>trie)) {
    indexAttach(keyIndex, nodeCount);
    return;
  }
  memory.fill(stamps, 0, <usize>STAMP_TABLES * <usize>nodeCount * WORD_BYTES);
  memory.fill(nodeFlags, 0, <usize>nodeCount);
  markOwners();
  indexBuild(keyIndex, nodeCount);
  store<u32>(builtMark, BUILT_MAGIC ^ <u32>trie);
}

/**
 * Flag every root child K for which the root also has a key K_Y. The trie holds such a K as a root child (an owner
 * node when no field made it) so that evtx element names can be found; the flag says their attributes matter.
 */
function markOwners(): void {
  let capacity = tableCapacity(ROOT);
  for (let i: u32 = 0; i < capacity; i++) {
    let e = tableEntry(ROOT, i);
    if (e == 0) continue;
    let key = entryKey(e);
    let len = entryLength(e);
    for (let j: u32 = 0; j < len; j++) {
      if (<u32>load<u8>(key + <usize>j) != CH_UNDERSCORE) continue;
      let owner = lookupChild(ROOT, fnv(FNV_OFFSET, key, <usize>j), key, j);
      if (owner != NO_NODE) store<u8>(nodeFlags + <usize>owner, load<u8>(nodeFlags + <usize>owner) | NODE_OWNER);
    }
  }
}

@inline export function nodeIsOwner(node: u32): bool {
  return (load<u8>(nodeFlags + <usize>node) & NODE_OWNER) != 0;
}

/** A fresh container stamp. */
export function nextStamp(): u32 {
  stampCounter++;
  if (stampCounter == 0) {
    // Wrapped after 2^32 containers: old stamps could match again, so clear them once.
    memory.fill(stamps, 0, <usize>STAMP_TABLES * <usize>nodeCount * WORD_BYTES);
    stampCounter = 1;
  }
  return stampCounter;
}

/**
 * Note that `node` was reached by a lookup of this kind (STAMPS_*) in the container stamped `stamp`; false when it
 * already was (a duplicate key).
 */
@inline export function stampNode(kind: u32, node: u32, stamp: u32): bool {
  let at = stamps + (<usize>kind * <usize>nodeCount + <usize>node) * WORD_BYTES;
  if (load<u32>(at) == stamp) return false;
  store<u32>(at, stamp);
  return true;
}

@inline export function frameAt(depth: u32): usize {
  return frames + <usize>depth * FRAME_BYTES;
}
