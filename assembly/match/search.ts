// Literal byte search: equality, prefix, suffix and substring, the primitives behind most Sigma predicates.
//
// indexOf filters candidates 16 at a time with W. Mula's method: compare the needle's first byte against 16
// haystack positions and its last byte against the 16 positions needleLen - 1 further on; only positions where both
// agree are verified. Real needles rarely have both ends common, so the filter leaves few candidates.
//
// Nothing here reads outside [ptr, ptr + len): the last partial block is handled by one more block that ends
// exactly at the last candidate and overlaps the previous one (positions already checked are masked off), so callers
// need no padding after their buffers. Values referenced in place inside a JSON chunk rely on this.

@inline const SIMD_BYTES: u32 = 16;
@inline const WORD_BYTES: u32 = 8;
@inline const HALF_WORD_BYTES: u32 = 4;

/** Whether the `len` bytes at `a` and `b` are equal. */
export function bytesEqual(a: usize, b: usize, len: u32): bool {
  if (len >= SIMD_BYTES) {
    let k: u32 = 0;
    const last = len - SIMD_BYTES;
    while (k < last) {
      if (v128.any_true(v128.xor(v128.load(a + <usize>k), v128.load(b + <usize>k)))) return false;
      k += SIMD_BYTES;
    }
    // The final block ends exactly at len, overlapping the previous one instead of reading past the end.
    return !v128.any_true(v128.xor(v128.load(a + <usize>last), v128.load(b + <usize>last)));
  }
  // Below 16 bytes: two overlapping words (or half words) cover the range without a byte loop.
  if (len >= WORD_BYTES) {
    const tail = <usize>(len - WORD_BYTES);
    return load<u64>(a) == load<u64>(b) && load<u64>(a + tail) == load<u64>(b + tail);
  }
  if (len >= HALF_WORD_BYTES) {
    const tail = <usize>(len - HALF_WORD_BYTES);
    return load<u32>(a) == load<u32>(b) && load<u32>(a + tail) == load<u32>(b + tail);
  }
  for (let k: usize = 0; k < <usize>len; k++) {
    if (load<u8>(a + k) != load<u8>(b + k)) return false;
  }
  return true;
}

export function startsWith(hay: usize, hayLen: u32, needle: usize, needleLen: u32): bool {
  return needleLen <= hayLen && bytesEqual(hay, needle, needleLen);
}

export function endsWith(hay: usize, hayLen: u32, needle: usize, needleLen: u32): bool {
  return needleLen <= hayLen && bytesEqual(hay + <usize>(hayLen - needleLen), needle, needleLen);
}

/**
 * The least i >= from with the needle at hay[i..i + needleLen), or -1. An empty needle is found at `from` itself
 * when from <= hayLen (as String.prototype.indexOf finds it).
 */
export function indexOf(hay: usize, hayLen: u32, needle: usize, needleLen: u32, from: u32): i32 {
  if (needleLen == 0) return from <= hayLen ? <i32>from : -1;
  if (from > hayLen || needleLen > hayLen - from) return -1;
  // Candidates are from..lastStart inclusive.
  const lastStart = hayLen - needleLen;
  if (lastStart - from + 1 < SIMD_BYTES) return indexOfScalar(hay, needle, needleLen, from, lastStart);
  switch (needleLen) {
    case 1:
      return indexOfByte(hay, <u32>load<u8>(needle), from, lastStart);
    case 2:
      return indexOfPair(hay, needle, from, lastStart);
    case 3:
      return indexOfTriple(hay, needle, from, lastStart);
  }
  return indexOfFiltered(hay, needle, needleLen, from, lastStart);
}

/** Fewer than 16 candidates: not worth a vector setup. */
function indexOfScalar(hay: usize, needle: usize, needleLen: u32, from: u32, lastStart: u32): i32 {
  const first = load<u8>(needle);
  const lastOffset = <usize>(needleLen - 1);
  const lastByte = load<u8>(needle + lastOffset);
  for (let i = from; i <= lastStart; i++) {
    const at = hay + <usize>i;
    if (load<u8>(at) == first && load<u8>(at + lastOffset) == lastByte && bytesEqual(at, needle, needleLen)) {
      return <i32>i;
    }
  }
  return -1;
}

/**
 * Candidate bits of the overlapping final block at `lastStart - 15`, with those below `next` (already examined by
 * the full blocks) cleared.
 */
@inline function tailMask(mask: i32, blockStart: u32, next: u32): i32 {
  return mask & ~((1 << <i32>(next - blockStart)) - 1);
}

function indexOfByte(hay: usize, byte: u32, from: u32, lastStart: u32): i32 {
  const wanted = i8x16.splat(<i8>byte);
  let i = from;
  // Whole blocks while all 16 candidates i..i+15 exist.
  while (i + SIMD_BYTES - 1 <= lastStart) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(hay + <usize>i), wanted));
    if (mask != 0) return <i32>(i + <u32>ctz(mask));
    i += SIMD_BYTES;
  }
  if (i > lastStart) return -1;
  const block = lastStart - (SIMD_BYTES - 1);
  const mask = tailMask(i8x16.bitmask(i8x16.eq(v128.load(hay + <usize>block), wanted)), block, i);
  return mask != 0 ? <i32>(block + <u32>ctz(mask)) : -1;
}

/** Two-byte needles: both bytes compared exactly, so every candidate bit is a match. */
function indexOfPair(hay: usize, needle: usize, from: u32, lastStart: u32): i32 {
  const b0 = i8x16.splat(load<i8>(needle));
  const b1 = i8x16.splat(load<i8>(needle, 1));
  let i = from;
  while (i + SIMD_BYTES - 1 <= lastStart) {
    const at = hay + <usize>i;
    const hits = v128.and(i8x16.eq(v128.load(at), b0), i8x16.eq(v128.load(at, 1), b1));
    const mask = i8x16.bitmask(hits);
    if (mask != 0) return <i32>(i + <u32>ctz(mask));
    i += SIMD_BYTES;
  }
  if (i > lastStart) return -1;
  const block = lastStart - (SIMD_BYTES - 1);
  const at = hay + <usize>block;
  const hits = v128.and(i8x16.eq(v128.load(at), b0), i8x16.eq(v128.load(at, 1), b1));
  const mask = tailMask(i8x16.bitmask(hits), block, i);
  return mask != 0 ? <i32>(block + <u32>ctz(mask)) : -1;
}

/** Three-byte needles: all three bytes compared exactly. */
function indexOfTriple(hay: usize, needle: usize, from: u32, lastStart: u32): i32 {
  const b0 = i8x16.splat(load<i8>(needle));
  const b1 = i8x16.splat(load<i8>(needle, 1));
  const b2 = i8x16.splat(load<i8>(needle, 2));
  let i = from;
  while (i + SIMD_BYTES - 1 <= lastStart) {
    const at = hay + <usize>i;
    const hits = v128.and(
      v128.and(i8x16.eq(v128.load(at), b0), i8x16.eq(v128.load(at, 1), b1)),
      i8x16.eq(v128.load(at, 2), b2),
    );
    const mask = i8x16.bitmask(hits);
    if (mask != 0) return <i32>(i + <u32>ctz(mask));
    i += SIMD_BYTES;
  }
  if (i > lastStart) return -1;
  const block = lastStart - (SIMD_BYTES - 1);
  const at = hay + <usize>block;
  const hits = v128.and(
    v128.and(i8x16.eq(v128.load(at), b0), i8x16.eq(v128.load(at, 1), b1)),
    i8x16.eq(v128.load(at, 2), b2),
  );
  const mask = tailMask(i8x16.bitmask(hits), block, i);
  return mask != 0 ? <i32>(block + <u32>ctz(mask)) : -1;
}

/** Needles of 4+ bytes: first/last byte filter, then the middle verified. */
function indexOfFiltered(hay: usize, needle: usize, needleLen: u32, from: u32, lastStart: u32): i32 {
  const lastOffset = <usize>(needleLen - 1);
  const first = i8x16.splat(load<i8>(needle));
  const last = i8x16.splat(load<i8>(needle + lastOffset));
  // The first and last bytes are already known to match; only the bytes between them need checking.
  const middle = needle + 1;
  const middleLen = needleLen - 2;
  let i = from;
  while (i + SIMD_BYTES - 1 <= lastStart) {
    const at = hay + <usize>i;
    let mask = i8x16.bitmask(v128.and(i8x16.eq(v128.load(at), first), i8x16.eq(v128.load(at + lastOffset), last)));
    while (mask != 0) {
      const bit = <u32>ctz(mask);
      if (bytesEqual(at + <usize>bit + 1, middle, middleLen)) return <i32>(i + bit);
      mask &= mask - 1;
    }
    i += SIMD_BYTES;
  }
  if (i > lastStart) return -1;
  const block = lastStart - (SIMD_BYTES - 1);
  const at = hay + <usize>block;
  let mask = i8x16.bitmask(v128.and(i8x16.eq(v128.load(at), first), i8x16.eq(v128.load(at + lastOffset), last)));
  mask = tailMask(mask, block, i);
  while (mask != 0) {
    const bit = <u32>ctz(mask);
    if (bytesEqual(at + <usize>bit + 1, middle, middleLen)) return <i32>(block + bit);
    mask &= mask - 1;
  }
  return -1;
}
