// Case folding over UTF-8, the VM's twin of src/text/fold.ts: simple one-to-one lowercasing per code point from the
// generated table (casefold-table.ts), so the VM and the reference evaluator agree on every input whatever ICU the
// host ships. foldUtf8 of valid UTF-8 equals the UTF-8 of foldString of the decoded string.
import { CASEFOLD_RUNS, CASEFOLD_RUN_COUNT } from './casefold-table';
import {
  CONTINUATION_BITS,
  CONTINUATION_PAYLOAD,
  decodeMultiByte,
  encodeUtf8,
  LEAD_THREE,
  TWO_BYTE_PAYLOAD,
  utf8SequenceLength,
} from './utf8';

@inline const ASCII_UPPER_A: u32 = 0x41;
@inline const ASCII_LETTER_COUNT: u32 = 26;
@inline const ASCII_CASE_BIT: u32 = 0x20;
@inline export const ASCII_LIMIT: u32 = 0x80;

/** The table stores runs of RUN_WORDS i32 words: [start, end, delta, stride] (see casefold-table.ts). */
@inline const RUN_WORDS: u32 = 4;
@inline const RUN_BYTES: usize = RUN_WORDS * sizeof<i32>();
@inline const RUN_START: usize = 0;
@inline const RUN_END: usize = 4;
@inline const RUN_DELTA: usize = 8;
@inline const RUN_STRIDE: usize = 12;

@inline const SIMD_BYTES: u32 = 16;

/** ASCII lowercasing of one byte; every other byte is returned unchanged. */
@inline export function foldAscii(b: u32): u32 {
  return b - ASCII_UPPER_A < ASCII_LETTER_COUNT ? b | ASCII_CASE_BIT : b;
}

// Two derived tables, built from the run table on first use (no start function to rely on: the host may not call
// it), so that common text never reaches the binary search: a direct table of the lowercase of every 1- and 2-byte
// code point (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic...), and a bitmap of the 128-code-point blocks that
// hold any mapping at all (36 of 8,704), which sends CJK, symbols and emoji straight back unchanged.
@inline const DIRECT_LIMIT: u32 = 0x800;
@inline const DIRECT_ENTRY_BYTES: usize = 4;
/** Lowercase of cp (ASCII_LIMIT <= cp < DIRECT_LIMIT) at (cp - ASCII_LIMIT) * 4, or 0 where it is cp itself. */
const DIRECT_TABLE: usize = memory.data(<i32>((DIRECT_LIMIT - ASCII_LIMIT) * <u32>DIRECT_ENTRY_BYTES));
@inline const MAX_CODE_POINT: u32 = 0x10ffff;
@inline const BLOCK_SHIFT: u32 = 7;
@inline const BLOCK_COUNT: u32 = (MAX_CODE_POINT >> BLOCK_SHIFT) + 1;
@inline const BITS_PER_BYTE: u32 = 8;
@inline const BYTE_INDEX_SHIFT: u32 = 3;
@inline const BIT_INDEX_MASK: u32 = 7;
const BLOCK_BITMAP: usize = memory.data(<i32>(BLOCK_COUNT / BITS_PER_BYTE));
let derivedTablesReady = false;

function buildDerivedTables(): void {
  for (let r: i32 = 0; r < CASEFOLD_RUN_COUNT; r++) {
    const run = CASEFOLD_RUNS + <usize>r * RUN_BYTES;
    const end = <u32>load<i32>(run, RUN_END);
    const delta = load<i32>(run, RUN_DELTA);
    const stride = <u32>load<i32>(run, RUN_STRIDE);
    for (let cp = <u32>load<i32>(run, RUN_START); cp <= end; cp += stride) {
      if (cp < DIRECT_LIMIT) {
        store<u32>(DIRECT_TABLE + <usize>(cp - ASCII_LIMIT) * DIRECT_ENTRY_BYTES, <u32>(<i32>cp + delta));
      }
      const block = cp >> BLOCK_SHIFT;
      const at = BLOCK_BITMAP + <usize>(block >> BYTE_INDEX_SHIFT);
      store<u8>(at, <u32>load<u8>(at) | (<u32>1 << (block & BIT_INDEX_MASK)));
    }
  }
  derivedTablesReady = true;
}

/** Lowercase one code point (identity where Unicode has no one-to-one lowercase mapping). */
export function foldCodePoint(cp: u32): u32 {
  if (cp < ASCII_LIMIT) return foldAscii(cp);
  if (!derivedTablesReady) buildDerivedTables();
  if (cp < DIRECT_LIMIT) {
    const folded = load<u32>(DIRECT_TABLE + <usize>(cp - ASCII_LIMIT) * DIRECT_ENTRY_BYTES);
    return folded != 0 ? folded : cp;
  }
  const block = cp >> BLOCK_SHIFT;
  if (cp > MAX_CODE_POINT || (load<u8>(BLOCK_BITMAP + <usize>(block >> BYTE_INDEX_SHIFT)) & (1 << (block & BIT_INDEX_MASK))) == 0) {
    return cp;
  }
  return searchRuns(cp);
}

/** Binary search of the run table. */
function searchRuns(cp: u32): u32 {
  let lo: i32 = 0;
  let hi: i32 = CASEFOLD_RUN_COUNT - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const run = CASEFOLD_RUNS + <usize>mid * RUN_BYTES;
    const start = <u32>load<i32>(run, RUN_START);
    if (cp < start) {
      hi = mid - 1;
    } else if (cp > <u32>load<i32>(run, RUN_END)) {
      lo = mid + 1;
    } else {
      const stride = <u32>load<i32>(run, RUN_STRIDE);
      return (cp - start) % stride == 0 ? <u32>(<i32>cp + load<i32>(run, RUN_DELTA)) : cp;
    }
  }
  return cp;
}

/**
 * Bytes `dst` must provide when folding `len` bytes. Folding changes a sequence's length only where the lowercase
 * needs another number of bytes; in the table the only growth is 2 -> 3 bytes (U+023A -> U+2C65, U+023E -> U+2C66;
 * test/match/fold.test.ts checks every code point), so the folded text is at most len + len / 2 bytes. foldUtf8 may
 * write (scratch) anywhere in [dst, dst + foldedCapacity(len)), never beyond.
 */
@inline export function foldedCapacity(len: u32): u32 {
  return len + (len >> 1);
}

/**
 * Fold `len` bytes of valid UTF-8 at `src` into `dst` (foldedCapacity(len) bytes; must not overlap src), returning
 * the folded length. ASCII runs go 16 bytes per step; other code points are decoded, folded and re-encoded.
 */
export function foldUtf8(src: usize, len: u32, dst: usize): u32 {
  if (!derivedTablesReady) buildDerivedTables();
  const upperA = i8x16.splat(<i8>ASCII_UPPER_A);
  const letterCount = i8x16.splat(<i8>ASCII_LETTER_COUNT);
  const caseBit = i8x16.splat(<i8>ASCII_CASE_BIT);
  let s: u32 = 0;
  let d: u32 = 0;
  while (s < len) {
    if (len - s >= SIMD_BYTES) {
      const v = v128.load(src + <usize>s);
      // Unsigned (b - 'A') < 26 selects exactly 'A'..'Z'; bytes >= 0x80 wrap to large values and stay as they are.
      const upper = i8x16.lt_u(i8x16.sub(v, upperA), letterCount);
      // Storing all 16 lanes before knowing they are all ASCII stays inside foldedCapacity(len): at most s / 2
      // bytes of growth precede d, and at least 16 source bytes follow s (so capacity - d >= 16 + 8).
      v128.store(dst + <usize>d, v128.or(v, v128.and(upper, caseBit)));
      const nonAscii = i8x16.bitmask(v);
      if (nonAscii == 0) {
        s += SIMD_BYTES;
        d += SIMD_BYTES;
        continue;
      }
      const asciiPrefix = <u32>ctz(nonAscii);
      s += asciiPrefix;
      d += asciiPrefix;
    }
    // Scalar: the run of non-ASCII code points just found (until the next ASCII byte), or the short tail.
    do {
      const b = <u32>load<u8>(src + <usize>s);
      if (b < ASCII_LIMIT) {
        store<u8>(dst + <usize>d, <u8>foldAscii(b));
        s++;
        d++;
      } else if (b < LEAD_THREE) {
        // Two bytes (valid UTF-8: the continuation byte is there): the direct table answers without a search.
        const at = src + <usize>s;
        const cp = ((b & TWO_BYTE_PAYLOAD) << CONTINUATION_BITS) | (<u32>load<u8>(at, 1) & CONTINUATION_PAYLOAD);
        const folded = load<u32>(DIRECT_TABLE + <usize>(cp - ASCII_LIMIT) * DIRECT_ENTRY_BYTES);
        if (folded == 0) {
          store<u16>(dst + <usize>d, load<u16>(at));
          d += 2;
        } else {
          d += encodeUtf8(folded, dst + <usize>d);
        }
        s += 2;
      } else {
        const n = utf8SequenceLength(b);
        const cp = decodeMultiByte(src + <usize>s, b);
        const folded = foldCodePoint(cp);
        if (folded == cp) {
          for (let k: u32 = 0; k < n; k++) store<u8>(dst + <usize>(d + k), load<u8>(src + <usize>(s + k)));
          d += n;
        } else {
          d += encodeUtf8(folded, dst + <usize>d);
        }
        s += n;
      }
    } while (s < len && (len - s < SIMD_BYTES || <u32>load<u8>(src + <usize>s) >= ASCII_LIMIT));
  }
  return d;
}
