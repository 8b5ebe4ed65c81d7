// Duplicate keys. JSON.parse keeps the last of two equal keys in an object; the scanner sees both. Where that
// matters beyond the trie's reach (collectLeaves: anywhere; the evtx UserData elements), the keys of every open
// object go on the key stack (decoded bytes and their FNV-1a hash) and are compared when the object closes.
import { KEY_BYTES, KEY_HASH, KEY_LENGTH, KEY_PTR, KEY_STACK_CAPACITY, keyStack } from './scratch';

/** Keys on the stack. */
export let keyTop: u32 = 0;

@inline const KEY_WORD_BYTES: usize = 4;

/** Below this many keys an object is checked pair by pair; above, sorted by hash first. */
@inline const PAIRWISE_LIMIT: u32 = 24;

@inline function keyAt(i: u32): usize {
  return keyStack + <usize>i * KEY_BYTES;
}

export function keysReset(): void {
  keyTop = 0;
}

/** Push a key; false when the stack is full (the caller falls back: it cannot check). */
export function keyPush(hash: u32, ptr: usize, len: u32): bool {
  if (keyTop >= KEY_STACK_CAPACITY) return false;
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
