// UTF-16LE text of .evtx records to the UTF-8 the value store holds, as the reference decoder reads it
// (src/input/evtx/values.ts utf16Chars / utf16Text): up to the first NUL, lone surrogates as U+FFFD, and for values
// (not names) trailing whitespace trimmed as evtx_dump 0.8 does (Rust's char::is_whitespace, all of it in the BMP).

@inline const SURROGATE_FIRST: u32 = 0xd800;
@inline const HIGH_SURROGATE_LAST: u32 = 0xdbff;
@inline const LOW_SURROGATE_FIRST: u32 = 0xdc00;
@inline const SURROGATE_LAST: u32 = 0xdfff;
@inline const SURROGATE_OFFSET: u32 = 0x10000;
@inline const SURROGATE_BITS: u32 = 10;
@inline const REPLACEMENT_0: u8 = 0xef;
@inline const REPLACEMENT_1: u8 = 0xbf;
@inline const REPLACEMENT_2: u8 = 0xbd;
@inline const ASCII_LIMIT: u32 = 0x80;
@inline const TWO_BYTE_LIMIT: u32 = 0x800;
/** A unit is at most 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 units). */
@inline export const UTF8_PER_UNIT: u32 = 3;
/** Units tested at once for the ASCII fast path. */
@inline const VECTOR_UNITS: u32 = 8;
/** Values of at least this many units have room in their bound (UTF8_PER_UNIT a unit) for a whole vector stored
 * after their ASCII part, so their last units go through the vector path too. */
@inline const VECTOR_TAIL_MIN_UNITS: u32 = 4;

/** Units before the first NUL among the `units` at p (eight units a vector). */
export function unitsBeforeNul(p: usize, units: u32): u32 {
  let i: u32 = 0;
  while (i + VECTOR_UNITS <= units) {
    let mask = i16x8.bitmask(i16x8.eq(v128.load(p + (<usize>i << 1)), i16x8.splat(0)));
    if (mask != 0) return i + <u32>ctz(mask);
    i += VECTOR_UNITS;
  }
  for (; i < units; i++) if (load<u16>(p + (<usize>i << 1)) == 0) return i;
  return units;
}

/** Rust's char::is_whitespace for a BMP code unit. */
@inline export function isRustWhitespace(c: u32): bool {
  if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
    c == 0x202f || c == 0x205f || c == 0x3000;
}

/** Is a value's text empty (no unit before the first NUL but whitespace)? Usually decided by its first unit. */
export function valueTextEmpty(p: usize, units: u32): bool {
  if (units == 0) return true;
  let first = <u32>load<u16>(p);
  if (first == 0) return true;
  if (!isRustWhitespace(first)) return false;
  return valueUnits(p, units) == 0;
}

/** Units of a value's text: up to the first NUL, trailing whitespace trimmed. */
export function valueUnits(p: usize, units: u32): u32 {
  let n = unitsBeforeNul(p, units);
  while (n > 0 && isRustWhitespace(<u32>load<u16>(p + (<usize>(n - 1) << 1)))) n--;
  return n;
}

/** Bytes of a BMP code unit that is not a surrogate in UTF-8. */
@inline function utf8Bytes(c: u32): u32 {
  return c < ASCII_LIMIT ? 1 : c < TWO_BYTE_LIMIT ? 2 : 3;
}

/**
 * A value's text (valueUnits' units of the `units` at src) as UTF-8 at dst, in one pass: converted up to the first
 * NUL, then its trailing whitespace dropped (each such unit is one BMP character, its UTF-8 bytes the output's last).
 * Room for UTF8_PER_UNIT bytes a unit; returns the bytes. The last fewer than eight units are read as a vector too
 * (the bytes past the value are the record's, or the input region's padding) and, when ASCII, written as eight
 * bytes of which those past the value's are left as room: a value is written into room for its bound
 * (values.ts valueTextBound), at least VECTOR_UNITS bytes past its ASCII part once it has VECTOR_TAIL_MIN_UNITS.
 */
export function valueToUtf8(src: usize, units: u32, dst: usize): u32 {
  let n = units;
  let out = dst;
  let i: u32 = 0;
  while (i + VECTOR_UNITS <= n) {
    let v = v128.load(src + (<usize>i << 1));
    let nul = i16x8.bitmask(i16x8.eq(v, i16x8.splat(0)));
    if (v128.any_true(v128.and(v, i16x8.splat(<i16>0xff80)))) {
      // Not all ASCII: the units before the NUL, if any, one by one.
      if (nul != 0) n = i + <u32>ctz(nul);
      break;
    }
    v128.store_lane<u64>(out, i8x16.narrow_i16x8_u(v, v), 0);
    if (nul != 0) {
      let before = <u32>ctz(nul);
      out += <usize>before;
      i += before;
      n = i;
      break;
    }
    out += VECTOR_UNITS;
    i += VECTOR_UNITS;
  }
  if (i < n && i == n - (n & (VECTOR_UNITS - 1)) && units >= VECTOR_TAIL_MIN_UNITS) {
    // The last units (fewer than eight; everything before them ASCII): one vector, its lanes past them ignored.
    let v = v128.load(src + (<usize>i << 1));
    let lanes = (<u32>1 << (n - i)) - 1;
    let nul = <u32>i16x8.bitmask(i16x8.eq(v, i16x8.splat(0))) & lanes;
    let taken = nul != 0 ? <u32>ctz(nul) : n - i;
    let wide = <u32>i16x8.bitmask(i16x8.ne(v128.and(v, i16x8.splat(<i16>0xff80)), i16x8.splat(0))) & ((<u32>1 << taken) - 1);
    if (wide == 0) {
      v128.store_lane<u64>(out, i8x16.narrow_i16x8_u(v, v), 0);
      out += <usize>taken;
      i += taken;
      n = i;
    }
  }
  if (i < n) {
    let rest = unitsBeforeNul(src + (<usize>i << 1), n - i);
    n = i + rest;
    out += <usize>utf16ToUtf8(src + (<usize>i << 1), rest, out);
  }
  while (n > 0) {
    let c = <u32>load<u16>(src + (<usize>(n - 1) << 1));
    if (!isRustWhitespace(c)) break;
    out -= <usize>utf8Bytes(c);
    n--;
  }
  return <u32>(out - dst);
}

/** Write `units` UTF-16LE units at src as UTF-8 at dst (room for UTF8_PER_UNIT bytes a unit); returns the bytes. */
export function utf16ToUtf8(src: usize, units: u32, dst: usize): u32 {
  let out = dst;
  let i: u32 = 0;
  while (i < units) {
    // Eight ASCII units at a time: narrow the vector to bytes.
    if (i + VECTOR_UNITS <= units) {
      let v = v128.load(src + (<usize>i << 1));
      if (!v128.any_true(v128.and(v, i16x8.splat(<i16>0xff80)))) {
        let narrowed = i8x16.narrow_i16x8_u(v, v);
        v128.store_lane<u64>(out, narrowed, 0);
        out += VECTOR_UNITS;
        i += VECTOR_UNITS;
        continue;
      }
    }
    let c = <u32>load<u16>(src + (<usize>i << 1));
    i++;
    if (c < ASCII_LIMIT) {
      store<u8>(out++, <u8>c);
    } else if (c < TWO_BYTE_LIMIT) {
      store<u8>(out, <u8>(0xc0 | (c >> 6)));
      store<u8>(out, <u8>(0x80 | (c & 0x3f)), 1);
      out += 2;
    } else if (c < SURROGATE_FIRST || c > SURROGATE_LAST) {
      store<u8>(out, <u8>(0xe0 | (c >> 12)));
      store<u8>(out, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
      store<u8>(out, <u8>(0x80 | (c & 0x3f)), 2);
      out += 3;
    } else {
      let next = i < units ? <u32>load<u16>(src + (<usize>i << 1)) : 0;
      if (c <= HIGH_SURROGATE_LAST && next >= LOW_SURROGATE_FIRST && next <= SURROGATE_LAST) {
        i++;
        let cp = SURROGATE_OFFSET + (((c - SURROGATE_FIRST) << SURROGATE_BITS) | (next - LOW_SURROGATE_FIRST));
        store<u8>(out, <u8>(0xf0 | (cp >> 18)));
        store<u8>(out, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
        store<u8>(out, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
        store<u8>(out, <u8>(0x80 | (cp & 0x3f)), 3);
        out += 4;
      } else {
        store<u8>(out, REPLACEMENT_0);
        store<u8>(out, REPLACEMENT_1, 1);
        store<u8>(out, REPLACEMENT_2, 2);
        out += 3;
      }
    }
  }
  return <u32>(out - dst);
}
