// Duplicate keys. JSON.parse keeps the last of two equal keys in an object; the scanner sees both. Where that
// matters beyond the trie's reach (collectLeaves: anywhere; the evtx UserData elements), the keys of every open
// object go on the key stack (decoded bytes and their FNV-1a hash) and are compared when the object closes. The
// stack starts in scratch; an event with more open keys than that holds (an object of a million keys) moves it into
// a block of the event's arena, doubled as it fills, so such an event stays on the bytes path.
import { arenaAlloc } from '../store/values';
import { KEY_BYTES, KEY_HASH, KEY_LENGTH, KEY_PTR, KEY_STACK_CAPACITY, keyStack } from './scratch';

/** Keys on the stack. */
export let keyTop: u32 = 0;
/** Where the stack is (scratch, or an arena block) and how many keys fit there. */
let keyBase: usize = 0;
let keyCapacity: u32 = 0;
/** Arena bytes the last keyPush could not get (0: it did not fail for want of arena). */
export let keysArenaNeed: usize = 0;

@inline const KEY_WORD_BYTES: usize = 4;
@inline const GROWTH: u32 = 2;

/** Below this many keys an object is checked pair by pair; above, sorted by hash first. */
@inline const PAIRWISE_LIMIT: u32 = 24;

@inline function keyAt(i: u32): usize {
  return keyBase + <usize>i * KEY_BYTES;
}

/** An empty stack in scratch (per event: the arena it may have grown into is the event's). */
export function keysReset(): void {
  keyTop = 0;
  keyBase = keyStack;
  keyCapacity = KEY_STACK_CAPACITY;
  keysArenaNeed = 0;
}

/** Move the stack into an arena block GROWTH times its size; false (keysArenaNeed set) when the arena is full. */
function keysGrow(): bool {
  let capacity = keyCapacity * GROWTH;
  let bytes = <usize>capacity * KEY_BYTES;
  let block = arenaAlloc(<u32>bytes);
  if (block == 0) {
    keysArenaNeed = bytes;
    return false;
  }
  memory.copy(block, keyBase, <usize>keyTop * KEY_BYTES);
  keyBase = block;
  keyCapacity = capacity;
  return true;
}

/**
 * Push a key; false when it cannot be kept (the caller cannot check for duplicates). With `spill`, a full scratch
 * stack moves into the arena, and false means the arena is full (keysArenaNeed says how much more it needed).
 */
export function keyPush(hash: u32, ptr: usize, len: u32, spill: bool = false): bool {
  if (keyTop >= keyCapacity && !(spill && keysGrow())) return false;
  let k = keyAt(keyTop++);
  store<u32>(k, hash, KEY_HASH);
  store<u32>(k, <u32>ptr, KEY_PTR);
  store<u32>(k, len, KEY_LENGTH);
  return true;
}

@inline function sameKey(a: usize, b: usize): bool {
  let len = load<u32>(a, KEY_LENGTH);
  return load<u32>(a, KEY_HASH) == load<u32>(b, KEY_HASH) && len == load<u32>(b, KEY_LENGTH) &&
    memory.compare(<usize>load<u32>(a, KEY_PTR), <usize>load<u32>(b, KEY_PTR), len) == 0;
}

@inline function swapKeys(i: u32, j: u32): void {
  let a = keyAt(i);
  let b = keyAt(j);
  for (let w: usize = 0; w < KEY_BYTES; w += KEY_WORD_BYTES) {
    let t = load<u32>(a + w);
    store<u32>(a + w, load<u32>(b + w));
    store<u32>(b + w, t);
  }
}

@inline function hashAt(i: u32): u32 {
  return load<u32>(keyAt(i), KEY_HASH);
}

/** Restore the heap property below `root` in the heap [base, base + size). */
function siftDown(base: u32, root: u32, size: u32): void {
  while (true) {
    let child: u32 = 2 * root + 1;
    if (child >= size) return;
    if (child + 1 < size && hashAt(base + child + 1) > hashAt(base + child)) child++;
    if (hashAt(base + root) >= hashAt(base + child)) return;
    swapKeys(base + root, base + child);
    root = child;
  }
}

/** Does the object whose keys are [from, keyTop) have two equal keys? Pops its keys. */
export function keysPopHasDuplicate(from: u32): bool {
  let n = keyTop - from;
  keyTop = from;
  if (n < 2) return false;
  if (n <= PAIRWISE_LIMIT) {
    for (let i: u32 = 1; i < n; i++) {
      for (let j: u32 = 0; j < i; j++) if (sameKey(keyAt(from + i), keyAt(from + j))) return true;
    }
    return false;
  }
  // Heapsort by hash (in place, no recursion), then compare within runs of equal hashes.
  for (let i = n / 2; i > 0; i--) siftDown(from, i - 1, n);
  for (let end = n - 1; end > 0; end--) {
    swapKeys(from, from + end);
    siftDown(from, 0, end);
  }
  let run: u32 = 0;
  for (let i: u32 = 1; i < n; i++) {
    if (hashAt(from + i) != hashAt(from + run)) {
      run = i;
      continue;
    }
    for (let j = run; j < i; j++) if (sameKey(keyAt(from + i), keyAt(from + j))) return true;
  }
  return false;
}
