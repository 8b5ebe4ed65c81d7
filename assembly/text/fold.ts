// Case folding over UTF-8, the VM's twin of src/text/fold.ts: simple one-to-one lowercasing per code point from the
// generated table (casefold-table.ts), so the VM and the reference evaluator agree on every input whatever ICU the
// host ships. foldUtf8 of valid UTF-8 equals the UTF-8 of foldString of the decoded string.
import { CASEFOLD_RUNS, CASEFOLD_RUN_COUNT } from './casefold-table';
import { decodeMultiByte, encodeUtf8, utf8SequenceLength } from './utf8';

@inline const ASCII_UPPER_A: u32 = 0x41;
@inline const ASCII_LETTER_COUNT: u32 = 26;
@inline const ASCII_CASE_BIT: u32 = 0x20;
@inline const ASCII_LIMIT: u32 = 0x80;

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

/** Lowercase one code point (identity where Unicode has no one-to-one lowercase mapping). */
export function foldCodePoint(cp: u32): u32 {
  if (cp < ASCII_LIMIT) return foldAscii(cp);
  // Most non-ASCII text (CJK, symbols, emoji) lies outside every run: two loads reject it without a search.
  const lastRun = CASEFOLD_RUNS + <usize>(CASEFOLD_RUN_COUNT - 1) * RUN_BYTES;
  if (cp < <u32>load<i32>(CASEFOLD_RUNS, RUN_START) || cp > <u32>load<i32>(lastRun, RUN_END)) return cp;
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
    // Scalar: the run of non-ASCII code points just found, or the short tail.
    do {
      const b = <u32>load<u8>(src + <usize>s);
      if (b < ASCII_LIMIT) {
        store<u8>(dst + <usize>d, <u8>foldAscii(b));
        s++;
        d++;
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
