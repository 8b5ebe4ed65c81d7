// Literal sets: does a value equal / start with / end with / contain any literal of a set? One pass over the value
// whatever the set's size. The encoding is src/compiler/encode/literal-set.ts (read its layout first); every key hit
// is verified byte for byte, so the answer is exact.
import { bytesEqual, indexOf } from './search';

@inline const SET_EQUALS: u32 = 1;
@inline const SET_PREFIX: u32 = 2;
@inline const SET_SUFFIX: u32 = 3;
@inline const SET_CONTAINS: u32 = 4;
@inline const H_KIND: usize = 0;
@inline const H_MASK: usize = 8;
@inline const H_TABLE: usize = 12;
@inline const H_DIRECTORY: usize = 16;
@inline const H_SIDE: usize = 20;
@inline const H_SIDE_COUNT: usize = 24;
@inline const H_MAP: usize = 32;
@inline const H_MAP_SHIFT: usize = 36;
@inline const TABLE_ENTRY_BYTES: usize = 8;
@inline const DIRECTORY_ENTRY_BYTES: usize = 12;
@inline const WINDOW: u32 = 4;
@inline const FNV_OFFSET: u32 = 0x811c9dc5;
@inline const FNV_PRIME: u32 = 0x01000193;
@inline const GOLDEN: u32 = 0x9e3779b1;
@inline const HASH_FOLD_SHIFT: u32 = 15;

@inline function tableIndex(key: u32, mask: u32): u32 {
  let h = key * GOLDEN;
  return (h ^ (h >> HASH_FOLD_SHIFT)) & mask;
}

@inline function lengthSaltedHash(ptr: usize, len: u32): u32 {
  let h = FNV_OFFSET;
  for (let i: u32 = 0; i < len; i++) h = (h ^ <u32>load<u8>(ptr + <usize>i)) * FNV_PRIME;
  return h ^ (len * GOLDEN);
}

/**
 * PREFIX and SUFFIX sets: one pass over the value from its start (prefix) or end (suffix), extending an FNV-1a hash
 * byte by byte; at each length some literal has, look the salted hash up and verify.
 */
function affixMatch(set: usize, ptr: usize, len: u32, suffix: bool): bool {
  let lengths = set + (<usize>load<u32>(set, H_SIDE) << 2);
  let count = load<u32>(set, H_SIDE_COUNT);
  let h = FNV_OFFSET;
  let next: u32 = 0; // index into the ascending lengths
  for (let n: u32 = 1; n <= len && next < count; n++) {
    let at = suffix ? ptr + <usize>(len - n) : ptr + <usize>(n - 1);
    h = (h ^ <u32>load<u8>(at)) * FNV_PRIME;
    if (load<u32>(lengths + (<usize>next << 2)) != n) continue;
    next++;
    let start = suffix ? at : ptr;
    let head = chain(set, h ^ (n * GOLDEN));
    if (head != 0 && chainEquals(set, head, start, n)) return true;
  }
  return false;
}

/** First literal (+1) of the chain whose key is `key`, or 0. */
function chain(set: usize, key: u32): u32 {
  let table = set + (<usize>load<u32>(set, H_TABLE) << 2);
  let mask = load<u32>(set, H_MASK);
  let slot = tableIndex(key, mask);
  while (true) {
    let entry = table + <usize>slot * TABLE_ENTRY_BYTES;
    let head = load<u32>(entry, 4);
    if (head == 0) return 0;
    if (load<u32>(entry) == key) return head;
    slot = (slot + 1) & mask;
  }
}

@inline function directory(set: usize, literal: u32): usize {
  return set + (<usize>load<u32>(set, H_DIRECTORY) << 2) + <usize>literal * DIRECTORY_ENTRY_BYTES;
}

/** Is the literal chain starting at `head` equal to the `len` bytes at `ptr` anywhere along the chain? */
function chainEquals(set: usize, head: u32, ptr: usize, len: u32): bool {
  let next = head;
  while (next != 0) {
    let d = directory(set, next - 1);
    if (load<u32>(d, 4) == len && bytesEqual(set + <usize>load<u32>(d), ptr, len)) return true;
    next = load<u32>(d, 8);
  }
  return false;
}

/** Does any literal of the chain occur at `at` (the value ends at `end`)? */
function chainAt(set: usize, head: u32, at: usize, end: usize): bool {
  let next = head;
  while (next != 0) {
    let d = directory(set, next - 1);
    let len = load<u32>(d, 4);
    if (at + <usize>len <= end && bytesEqual(set + <usize>load<u32>(d), at, len)) return true;
    next = load<u32>(d, 8);
  }
  return false;
}

export function literalSetMatch(set: usize, ptr: usize, len: u32): bool {
  let kind = load<u32>(set, H_KIND);
  if (kind == SET_EQUALS) {
    let head = chain(set, lengthSaltedHash(ptr, len));
    return head != 0 && chainEquals(set, head, ptr, len);
  }
  if (kind == SET_PREFIX || kind == SET_SUFFIX) return affixMatch(set, ptr, len, kind == SET_SUFFIX);
  let side = set + (<usize>load<u32>(set, H_SIDE) << 2);
  let sideCount = load<u32>(set, H_SIDE_COUNT);
  // SET_CONTAINS: short literals one by one, then every 4-byte window of the value against the table.
  for (let i: u32 = 0; i < sideCount; i++) {
    let d = directory(set, load<u32>(side + (<usize>i << 2)));
    if (indexOf(ptr, len, set + <usize>load<u32>(d), load<u32>(d, 4), 0) >= 0) return true;
  }
  if (len < WINDOW || load<u32>(set, 4) == sideCount) return false;
  let end = ptr + <usize>len;
  let last = end - <usize>WINDOW;
  let mapWord = load<u32>(set, H_MAP);
  if (mapWord == 0) {
    for (let p = ptr; p <= last; p++) {
      let head = chain(set, load<u32>(p));
      if (head != 0 && chainAt(set, head, p, end)) return true;
    }
    return false;
  }
  // Many literals: one bit test of the window map rejects most positions before the table is touched.
  let map = set + (<usize>mapWord << 2);
  let shift = load<u32>(set, H_MAP_SHIFT);
  for (let p = ptr; p <= last; p++) {
    let key = load<u32>(p);
    let bit = (key * GOLDEN) >> shift;
    if ((load<u32>(map + (<usize>(bit >> 5) << 2)) & (1 << (bit & 31))) == 0) continue;
    let head = chain(set, key);
    if (head != 0 && chainAt(set, head, p, end)) return true;
  }
  return false;
}
