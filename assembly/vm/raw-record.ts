// The raw bytes of a record as a stand-in for its leaves (DESIGN.md section 7, "Raw keyword scan"): keyword atoms
// are printable ASCII, so a leaf that holds one (folded) holds it as ASCII bytes, which the record's JSON shows as
// they are but for `\\` and `\"` (which the raw tables escape alike). That fails only where an escape writes a
// printable character another way (`\/`, `\u0041`) or a non-ASCII character folds into ASCII (U+212A KELVIN SIGN
// folds to `k`, text/fold.ts): rawRecordPlain finds such records, which are then scanned by their leaves. Also the
// Teddy byte test of the every-event filter. No state; prefilter.ts does the probing.
import { VECTOR_BYTES } from '../json/constants';
import { RAW_HAZARD_ESCAPE } from '../json/lexer';

@inline const CH_BACKSLASH: u8 = 0x5c;
@inline const CH_QUOTE: u8 = 0x22;
@inline const CH_N: u8 = 0x6e;
@inline const CH_R: u8 = 0x72;
@inline const CH_T: u8 = 0x74;
@inline const CH_B: u8 = 0x62;
@inline const CH_F: u8 = 0x66;
/** U+212A KELVIN SIGN in UTF-8: the one non-ASCII code point that folds into ASCII. */
@inline const KELVIN_0: u8 = 0xe2;
@inline const KELVIN_1: u8 = 0x84;
@inline const KELVIN_2: u8 = 0xaa;
/** A byte's high nibble, for Teddy's second table. */
@inline const NIBBLE_SHIFT: u32 = 4;
/** A bitmask of all sixteen lanes. */
@inline const FULL_VECTOR_MASK: u32 = 0xffff;

/** Escapes of characters no atom holds (control characters), or of the two the tables escape alike. */
@inline function harmlessEscape(c: u8): bool {
  return c == CH_BACKSLASH || c == CH_QUOTE || c == CH_N || c == CH_R || c == CH_T || c == CH_B || c == CH_F;
}

/**
 * Does the record hold every leaf's printable ASCII as the raw tables expect? Its parse already knows when it
 * certainly does (`hazard`, json/lexer.ts RAW_HAZARD_*: no `\/` or `\u` escape, no non-ASCII byte), and when only
 * non-ASCII bytes are in question, whose one hazard is U+212A; otherwise the exact test, sixteen bytes at a time.
 */
export function rawRecordPlain(start: usize, end: usize, hazard: u32): bool {
  if (hazard == 0) return true;
  if ((hazard & RAW_HAZARD_ESCAPE) == 0) return !hasKelvin(start, end);
  let backslash = i8x16.splat(<i8>CH_BACKSLASH);
  let kelvinLead = i8x16.splat(<i8>KELVIN_0);
  let escapedAt: usize = 0;
  for (let p = start; p < end; p += VECTOR_BYTES) {
    if (!rawBlockPlain(v128.load(p), p, end, bytesBefore(p, end), backslash, kelvinLead, escapedAt)) return false;
    escapedAt = rawEscapedAt;
  }
  return true;
}

/**
 * The lanes of the vector at p that lie before end. The input region is padded past its end (DESIGN.md section 4,
 * "Chunks"): the last vector may be read whole, then masked.
 */
@inline export function bytesBefore(p: usize, end: usize): u32 {
  let left = end - p;
  return left >= VECTOR_BYTES ? FULL_VECTOR_MASK : (<u32>1 << <u32>left) - 1;
}

/** Does [start, end) hold U+212A KELVIN SIGN? Sixteen bytes at a time for its lead byte. */
function hasKelvin(start: usize, end: usize): bool {
  let lead = i8x16.splat(<i8>KELVIN_0);
  for (let p = start; p < end; p += VECTOR_BYTES) {
    if (kelvinInBlock(v128.load(p), p, end, bytesBefore(p, end), lead)) return true;
  }
  return false;
}

/** Does the block v at p (its `bytes` lanes) start a U+212A that ends before end? */
@inline function kelvinInBlock(v: v128, p: usize, end: usize, bytes: u32, lead: v128): bool {
  let leads = <u32>i8x16.bitmask(i8x16.eq(v, lead)) & bytes;
  while (leads != 0) {
    let at = p + <usize>ctz(leads);
    leads &= leads - 1;
    if (at + 2 < end && load<u8>(at + 1) == KELVIN_1 && load<u8>(at + 2) == KELVIN_2) return true;
  }
  return false;
}

/** rawBlockPlain's escape state after a block: the byte after the last escaping backslash. */
let rawEscapedAt: usize = 0;

/**
 * The record test on the block v at p (its bytes below end: the `bytes` mask): no U+212A, and every escape harmless.
 * `escapedAt` is the byte after the previous escaping backslash (a backslash there is the escaped one); the new
 * value is left in rawEscapedAt.
 */
@inline function rawBlockPlain(v: v128, p: usize, end: usize, bytes: u32, backslash: v128, kelvinLead: v128, escapedAt: usize): bool {
  if (kelvinInBlock(v, p, end, bytes, kelvinLead)) return false;
  let slashes = <u32>i8x16.bitmask(i8x16.eq(v, backslash)) & bytes;
  while (slashes != 0) {
    let at = p + <usize>ctz(slashes);
    slashes &= slashes - 1;
    if (at == escapedAt) continue;
    // A valid record never ends in a backslash: at + 1 is inside it.
    if (!harmlessEscape(load<u8>(at + 1))) return false;
    escapedAt = at + 1;
  }
  rawEscapedAt = escapedAt;
  return true;
}

/**
 * Buckets whose fingerprint byte may be v's: the low-nibble mask AND the high-nibble mask, per lane. The high nibble
 * is a 16-bit shift masked with `nibble`: x64 has no 8-bit shift, and V8 would rebuild i8x16.shr_u's mask each time.
 */
@inline export function teddyByte(v: v128, lo: v128, hi: v128, nibble: v128): v128 {
  return v128.and(i8x16.swizzle(lo, v128.and(v, nibble)), i8x16.swizzle(hi, v128.and(i16x8.shr_u(v, NIBBLE_SHIFT), nibble)));
}
