// The token level of the JSON scanner over raw UTF-8 bytes: whitespace, strings (skip, scan, decode), numbers (the
// JSON.parse grammar and JavaScript's string form) and literals, plus the parse cursor's state. One record is
// parsed at a time, so that state lives in module globals.
//
// Reads may run past gEnd by up to VECTOR_BYTES: every buffer the scanner reads is padded by at least that much
// (DESIGN.md section 3), and a stop found past gEnd counts as "not found".
import {
  ASCII_CASE_BIT, CH_0, CH_1, CH_A_LOWER, CH_B_LOWER, CH_BACKSLASH, CH_CR, CH_DOT, CH_E_LOWER, CH_F_LOWER, CH_LBRACE,
  CH_LBRACKET, CH_LF,
  CH_MINUS, CH_N_LOWER, CH_PLUS, CH_QUOTE, CH_R_LOWER, CH_SLASH, CH_SPACE, CH_T_LOWER, CH_TAB, CH_U_LOWER,
  FIRST_NON_ASCII, FIRST_PRINTABLE, INDENT_LIMIT, P_ARENA_FULL, P_FAIL, P_OK, VECTOR_BYTES,
} from './constants';

// ---- cursor state ----

/** End of the bytes the parser may read: the input's end, or where the record would become too large. */
export let gEnd: usize = 0;
/** P_OK, or why the current parse stopped (P_FAIL: the framer finds out what is wrong; P_ARENA_FULL). */
export let gErr: u32 = P_OK;
/** With P_ARENA_FULL: the arena (or value table) bytes the event needs, a best estimate. */
export let gNeed: u32 = 0;
/** Newlines crossed between the tokens of the current record. */
export let gLines: u32 = 0;
/** NDJSON: a newline is not whitespace inside a record (the framer then reports the broken line). */
export let gNdjson: bool = false;
/**
 * Record lines (framing rule 7): a line inside the record whose first byte after its indentation is `{` (or `[` with
 * gCutBrackets) no deeper than gCutIndent would have ended the record; the parser notes it (gCutSeen) and the
 * framer takes over. gLastIndent is the indentation of the last line the record's whitespace crossed into.
 */
let gCutIndent: u32 = 0;
let gCutBrackets: bool = false;
export let gCutSeen: bool = false;
export let gLastIndent: u32 = 0;
/** The parse limit is where the value ends (the framer proved it): a number running into it is complete. */
let gLimitEndsValue: bool = false;

/** Parse the next values up to a limit the framer proved to be their end (or not). */
export function limitEndsValue(ends: bool): void {
  gLimitEndsValue = ends;
}
/**
 * What may make a record's raw bytes show a leaf's ASCII otherwise than as it is (vm/raw-record.ts), as noted since
 * beginParse: an escape that writes a printable character another way (`\/`, `\uXXXX`), or a non-ASCII byte (the
 * sign bits of the string vectors read, over-approximated). Clear bits are certain; a set bit asks for the exact
 * test.
 */
@inline export const RAW_HAZARD_ESCAPE: u32 = 1;
@inline export const RAW_HAZARD_NON_ASCII: u32 = 2;
let gRawEscape: bool = false;
let gNonAscii: bool = false;
/** Sign bits of the vectors skipString read since beginParse (non-ASCII bytes). */
let gHighBits: i32 = 0;

/** The record lines the next parses watch for (framing rule 7). */
export function watchRecordLines(indent: u32, brackets: bool): void {
  gCutIndent = indent;
  gCutBrackets = brackets;
}

export function beginParse(end: usize, ndjson: bool): void {
  gCutSeen = false;
  gEnd = end;
  gErr = P_OK;
  gNeed = 0;
  gLines = 0;
  gNdjson = ndjson;
  gRawEscape = false;
  gNonAscii = false;
  gHighBits = 0;
}

/** The RAW_HAZARD_* bits of everything read since beginParse (call once the parse is over). */
export function rawHazardSeen(): u32 {
  return (gRawEscape ? RAW_HAZARD_ESCAPE : 0) | (gNonAscii || gHighBits != 0 ? RAW_HAZARD_NON_ASCII : 0);
}

/** Stop the parse at p; the caller returns at once. Returns p for convenience. */
@inline export function fail(p: usize): usize {
  if (gErr == P_OK) gErr = P_FAIL;
  return p;
}

/** Stop the parse: the event needs `need` bytes of arena (or value table). */
export function failArena(need: usize): void {
  gErr = P_ARENA_FULL;
  gNeed = need > <usize>u32.MAX_VALUE ? u32.MAX_VALUE : <u32>need;
}

@inline export function byteAt(p: usize): u32 {
  return <u32>load<u8>(p);
}

/** Skip JSON whitespace (space, tab, CR; LF unless NDJSON), counting newlines. */
@inline export function skipWs(p: usize): usize {
  while (p < gEnd) {
    let c = byteAt(p);
    if (c > CH_SPACE) break;
    if (c == CH_SPACE || c == CH_TAB || c == CH_CR) p++;
    else if (c == CH_LF && !gNdjson) {
      gLines++;
      p = lineLead(p + 1);
    } else break;
  }
  return p;
}

/** After a newline between tokens: skip the next line's indentation and note whether the line is a record line. */
function lineLead(p: usize): usize {
  let lead: u32 = 0;
  while (p < gEnd) {
    let c = byteAt(p);
    if (c != CH_SPACE && c != CH_TAB && c != CH_CR) break;
    if (lead < INDENT_LIMIT) lead++;
    p++;
  }
  gLastIndent = lead;
  if (p < gEnd && lead <= gCutIndent) {
    let c = byteAt(p);
    if (c == CH_LBRACE || (c == CH_LBRACKET && gCutBrackets)) gCutSeen = true;
  }
  return p;
}

@inline const WORD64_BYTES: usize = 8;
@inline const BITS_PER_BYTE: u64 = 8;

/**
 * Are [a, a + len) and [b, b + len) equal? Compares 8 bytes at a time; the last word is masked, so it may read up
 * to 7 bytes past either range (every buffer the scanner reads is padded, see the top of this file).
 */
@inline export function bytesEqual(a: usize, b: usize, len: usize): bool {
  while (len >= WORD64_BYTES) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += WORD64_BYTES;
    b += WORD64_BYTES;
    len -= WORD64_BYTES;
  }
  if (len == 0) return true;
  let mask = ((<u64>1) << (<u64>len * BITS_PER_BYTE)) - 1;
  return ((load<u64>(a) ^ load<u64>(b)) & mask) == 0;
}

/** First occurrence of byte b in [p, end), or end. */
export function findByte(p: usize, end: usize, b: u32): usize {
  let splat = i8x16.splat(<i8>b);
  while (p < end) {
    let bits = i8x16.bitmask(i8x16.eq(v128.load(p), splat));
    if (bits != 0) {
      let q = p + <usize>ctz(bits);
      return q < end ? q : end;
    }
    p += VECTOR_BYTES;
  }
  return end;
}

// ---- strings ----

/** Bytes that stop a string scan: `"`, `\` and control characters. */
@inline function stringStops(v: v128): i32 {
  let quote = i8x16.eq(v, i8x16.splat(<i8>CH_QUOTE));
  let backslash = i8x16.eq(v, i8x16.splat(<i8>CH_BACKSLASH));
  let control = i8x16.lt_u(v, i8x16.splat(<i8>FIRST_PRINTABLE));
  return i8x16.bitmask(v128.or(v128.or(quote, backslash), control));
}

@inline const DECIMAL_DIGITS: u32 = 10;
@inline const HEX_LETTERS: u32 = 6;
@inline const HEX_LETTER_BASE: i32 = 10;
@inline const HEX_DIGIT_BITS: u32 = 4;
@inline const UNICODE_ESCAPE_BYTES: usize = 6; // \uXXXX
@inline const SIMPLE_ESCAPE_BYTES: usize = 2;
@inline const BACKSPACE: u32 = 0x08;
@inline const FORM_FEED: u32 = 0x0c;

/** Value of a hex digit, or -1. */
@inline function hexValue(c: u32): i32 {
  if (c - CH_0 < DECIMAL_DIGITS) return <i32>(c - CH_0);
  let lower = c | ASCII_CASE_BIT;
  if (lower - CH_A_LOWER < HEX_LETTERS) return <i32>(lower - CH_A_LOWER) + HEX_LETTER_BASE;
  return -1;
}

/** The code unit of the four hex digits at p, or -1. */
@inline function hex4(p: usize): i32 {
  let a = hexValue(byteAt(p));
  let b = hexValue(byteAt(p + 1));
  let c = hexValue(byteAt(p + 2));
  let d = hexValue(byteAt(p + 3));
  if ((a | b | c | d) < 0) return -1;
  return (((((a << HEX_DIGIT_BITS) | b) << HEX_DIGIT_BITS) | c) << HEX_DIGIT_BITS) | d;
}

/** The byte a one-letter escape (`\n`, ...) stands for, or 0 when the letter is not a JSON escape. */
@inline function simpleEscape(e: u32): u32 {
  switch (e) {
    case CH_QUOTE: return CH_QUOTE;
    case CH_BACKSLASH: return CH_BACKSLASH;
    case CH_SLASH: return CH_SLASH;
    case CH_B_LOWER: return BACKSPACE;
    case CH_F_LOWER: return FORM_FEED;
    case CH_N_LOWER: return CH_LF;
    case CH_R_LOWER: return CH_CR;
    case CH_T_LOWER: return CH_TAB;
    default: return 0;
  }
}

/** Validate the escape at p (a backslash); returns the position after it. */
@inline function skipEscape(p: usize): usize {
  if (p + SIMPLE_ESCAPE_BYTES > gEnd) return fail(p);
  let e = byteAt(p + 1);
  if (e == CH_U_LOWER || e == CH_SLASH) gRawEscape = true;
  if (e == CH_U_LOWER) {
    if (p + UNICODE_ESCAPE_BYTES > gEnd || hex4(p + SIMPLE_ESCAPE_BYTES) < 0) return fail(p);
    return p + UNICODE_ESCAPE_BYTES;
  }
  if (simpleEscape(e) == 0) return fail(p);
  return p + SIMPLE_ESCAPE_BYTES;
}

// UTF-8 (RFC 3629 / WHATWG Encoding): lead bytes C2-DF take one continuation byte, E0-EF two, F0-F4 three.
// Continuation bytes are 80-BF, except the second byte after E0 (A0-BF), ED (80-9F), F0 (90-BF), F4 (80-8F).
@inline const UTF8_FIRST_LEAD: u32 = 0xc2;
@inline const UTF8_FIRST_LEAD3: u32 = 0xe0;
@inline const UTF8_SURROGATE_LEAD: u32 = 0xed;
@inline const UTF8_FIRST_LEAD4: u32 = 0xf0;
@inline const UTF8_LAST_LEAD: u32 = 0xf4;
@inline const UTF8_CONT_MIN: u32 = 0x80;
@inline const UTF8_CONT_MAX: u32 = 0xbf;
@inline const UTF8_E0_SECOND_MIN: u32 = 0xa0;
@inline const UTF8_ED_SECOND_MAX: u32 = 0x9f;
@inline const UTF8_F0_SECOND_MIN: u32 = 0x90;
@inline const UTF8_F4_SECOND_MAX: u32 = 0x8f;
@inline const UTF8_CONT_MASK: u32 = 0xc0;
@inline const UTF8_CONT_TAG: u32 = 0x80;
@inline const UTF8_CONT_PAYLOAD: u32 = 0x3f;
@inline const UTF8_CONT_BITS: u32 = 6;
@inline const UTF8_LEAD2_TAG: u32 = 0xc0;
@inline const UTF8_LEAD3_TAG: u32 = 0xe0;
@inline const UTF8_LEAD4_TAG: u32 = 0xf0;
@inline const UTF8_MAX_1: u32 = 0x7f;
@inline const UTF8_MAX_2: u32 = 0x7ff;
@inline const UTF8_MAX_3: u32 = 0xffff;
@inline const REPLACEMENT_0: u8 = 0xef; // U+FFFD in UTF-8
@inline const REPLACEMENT_1: u8 = 0xbf;
@inline const REPLACEMENT_2: u8 = 0xbd;
@inline const REPLACEMENT_BYTES: usize = 3;
@inline const HIGH_SURROGATE_FIRST: u32 = 0xd800;
@inline const LOW_SURROGATE_FIRST: u32 = 0xdc00;
@inline const SURROGATE_SPAN: u32 = 0x400;
@inline const SURROGATE_BITS: u32 = 10;
@inline const SUPPLEMENTARY_FIRST: u32 = 0x10000;
/** UTF-8 never takes more than this many bytes per code point. */
@inline export const UTF8_MAX_BYTES_PER_BYTE: usize = 3;

/**
 * At a byte >= 0x80: the length (2-4) of the well-formed UTF-8 sequence starting there, or, when it is ill-formed,
 * minus the length of its maximal subpart: the bytes TextDecoder replaces with one U+FFFD (the lead byte and the
 * continuation bytes it accepted before the first unexpected byte).
 */
export function utf8Step(p: usize): i32 {
  let b0 = byteAt(p);
  if (b0 < UTF8_FIRST_LEAD || b0 > UTF8_LAST_LEAD) return -1;
  let lo = UTF8_CONT_MIN;
  let hi = UTF8_CONT_MAX;
  if (b0 == UTF8_FIRST_LEAD3) lo = UTF8_E0_SECOND_MIN;
  else if (b0 == UTF8_SURROGATE_LEAD) hi = UTF8_ED_SECOND_MAX;
  else if (b0 == UTF8_FIRST_LEAD4) lo = UTF8_F0_SECOND_MIN;
  else if (b0 == UTF8_LAST_LEAD) hi = UTF8_F4_SECOND_MAX;
  let b1 = byteAt(p + 1);
  if (b1 < lo || b1 > hi) return -1;
  if (b0 < UTF8_FIRST_LEAD3) return 2;
  if ((byteAt(p + 2) & UTF8_CONT_MASK) != UTF8_CONT_TAG) return -2;
  if (b0 < UTF8_FIRST_LEAD4) return 3;
  if ((byteAt(p + 3) & UTF8_CONT_MASK) != UTF8_CONT_TAG) return -3;
  return 4;
}

/** Skip a string whose opening quote is before p (validating escapes and control characters). */
export function skipString(p: usize): usize {
  while (true) {
    if (p >= gEnd) return fail(p);
    let v = v128.load(p);
    let bits = stringStops(v);
    gHighBits |= i8x16.bitmask(v);
    if (bits == 0) {
      p += VECTOR_BYTES;
      continue;
    }
    p += <usize>ctz(bits);
    if (p >= gEnd) return fail(p);
    let c = byteAt(p);
    if (c == CH_QUOTE) return p + 1;
    if (c != CH_BACKSLASH) return fail(p); // a control character
    p = skipEscape(p);
    if (gErr != P_OK) return p;
  }
}

/** The last scanString saw an escape. */
export let strEscaped: bool = false;
/** The last scanString saw ill-formed UTF-8 (each maximal subpart becomes U+FFFD). */
export let strInvalid: bool = false;
/** The last decodeString replaced a lone surrogate escape with U+FFFD. */
export let strLoneSurrogate: bool = false;

/**
 * Scan a string whose opening quote is before p, noting escapes and ill-formed UTF-8 (a string with neither can
 * be used in place). Returns the position after the closing quote.
 */
export function scanString(p: usize): usize {
  strEscaped = false;
  strInvalid = false;
  while (true) {
    if (p >= gEnd) return fail(p);
    let v = v128.load(p);
    let bits = stringStops(v) | i8x16.bitmask(v);
    if (bits == 0) {
      p += VECTOR_BYTES;
      continue;
    }
    p += <usize>ctz(bits);
    if (p >= gEnd) return fail(p);
    let c = byteAt(p);
    if (c == CH_QUOTE) return p + 1;
    if (c == CH_BACKSLASH) {
      strEscaped = true;
      p = skipEscape(p);
      if (gErr != P_OK) return p;
      continue;
    }
    if (c < FIRST_PRINTABLE) return fail(p);
    gNonAscii = true;
    // A run of non-ASCII text: validate sequence by sequence without going back to the vector loop.
    do {
      let step = utf8Step(p);
      if (step < 0) {
        strInvalid = true;
        p += <usize>(-step);
      } else p += <usize>step;
    } while (p < gEnd && byteAt(p) >= FIRST_NON_ASCII);
  }
}

@inline function writeReplacement(out: usize): usize {
  store<u8>(out, REPLACEMENT_0);
  store<u8>(out, REPLACEMENT_1, 1);
  store<u8>(out, REPLACEMENT_2, 2);
  return out + REPLACEMENT_BYTES;
}

@inline function writeCodePoint(out: usize, cp: u32): usize {
  if (cp <= UTF8_MAX_1) {
    store<u8>(out, <u8>cp);
    return out + 1;
  }
  if (cp <= UTF8_MAX_2) {
    store<u8>(out, <u8>(UTF8_LEAD2_TAG | (cp >> UTF8_CONT_BITS)));
    store<u8>(out, <u8>(UTF8_CONT_TAG | (cp & UTF8_CONT_PAYLOAD)), 1);
    return out + 2;
  }
  if (cp <= UTF8_MAX_3) {
    store<u8>(out, <u8>(UTF8_LEAD3_TAG | (cp >> (2 * UTF8_CONT_BITS))));
    store<u8>(out, <u8>(UTF8_CONT_TAG | ((cp >> UTF8_CONT_BITS) & UTF8_CONT_PAYLOAD)), 1);
    store<u8>(out, <u8>(UTF8_CONT_TAG | (cp & UTF8_CONT_PAYLOAD)), 2);
    return out + 3;
  }
  store<u8>(out, <u8>(UTF8_LEAD4_TAG | (cp >> (3 * UTF8_CONT_BITS))));
  store<u8>(out, <u8>(UTF8_CONT_TAG | ((cp >> (2 * UTF8_CONT_BITS)) & UTF8_CONT_PAYLOAD)), 1);
  store<u8>(out, <u8>(UTF8_CONT_TAG | ((cp >> UTF8_CONT_BITS) & UTF8_CONT_PAYLOAD)), 2);
  store<u8>(out, <u8>(UTF8_CONT_TAG | (cp & UTF8_CONT_PAYLOAD)), 3);
  return out + 4;
}

/**
 * Bytes a decoded string may need: escapes only shrink, but each ill-formed byte may become a 3-byte U+FFFD; plus
 * one vector of slack, since the decoder stores whole vectors.
 */
@inline export function decodedCapacity(rawLength: usize, invalid: bool): usize {
  return (invalid ? rawLength * UTF8_MAX_BYTES_PER_BYTE : rawLength) + VECTOR_BYTES;
}

/**
 * Decode the content [p, q) of a string that scanString validated into out: escapes resolved (a surrogate pair of
 * escapes becomes one code point, a lone surrogate U+FFFD), ill-formed UTF-8 replaced as TextDecoder does. The
 * result is exactly JSON.parse + toWellFormed, in UTF-8. Returns the end of the output.
 */
export function decodeString(p: usize, q: usize, out: usize): usize {
  strLoneSurrogate = false;
  let backslash = i8x16.splat(<i8>CH_BACKSLASH);
  while (p < q) {
    // Copy a whole vector, then keep only the bytes before the first escape or non-ASCII byte.
    let v = v128.load(p);
    v128.store(out, v);
    let bits = i8x16.bitmask(i8x16.eq(v, backslash)) | i8x16.bitmask(v);
    let n: usize = bits != 0 ? <usize>ctz(bits) : VECTOR_BYTES;
    if (p + n >= q) {
      out += q - p;
      break;
    }
    p += n;
    out += n;
    if (bits == 0) continue;
    let c = byteAt(p);
    if (c == CH_BACKSLASH) {
      let e = byteAt(p + 1);
      if (e != CH_U_LOWER) {
        store<u8>(out, <u8>simpleEscape(e));
        out++;
        p += SIMPLE_ESCAPE_BYTES;
        continue;
      }
      let unit = <u32>hex4(p + SIMPLE_ESCAPE_BYTES);
      p += UNICODE_ESCAPE_BYTES;
      if (unit - HIGH_SURROGATE_FIRST < SURROGATE_SPAN) {
        if (p + UNICODE_ESCAPE_BYTES <= q && byteAt(p) == CH_BACKSLASH && byteAt(p + 1) == CH_U_LOWER) {
          let low = <u32>hex4(p + SIMPLE_ESCAPE_BYTES);
          if (low - LOW_SURROGATE_FIRST < SURROGATE_SPAN) {
            let high = (unit - HIGH_SURROGATE_FIRST) << SURROGATE_BITS;
            out = writeCodePoint(out, SUPPLEMENTARY_FIRST + high + (low - LOW_SURROGATE_FIRST));
            p += UNICODE_ESCAPE_BYTES;
            continue;
          }
        }
        out = writeReplacement(out);
        strLoneSurrogate = true;
        continue;
      }
      if (unit - LOW_SURROGATE_FIRST < SURROGATE_SPAN) {
        out = writeReplacement(out);
        strLoneSurrogate = true;
        continue;
      }
      out = writeCodePoint(out, unit);
      continue;
    }
    let step = utf8Step(p);
    if (step > 0) {
      let n = <usize>step;
      for (let i: usize = 0; i < n; i++) store<u8>(out + i, load<u8>(p + i));
      out += n;
      p += n;
    } else {
      out = writeReplacement(out);
      p += <usize>(-step);
    }
  }
  return out;
}

// ---- numbers ----

/** The last scanNumber saw an integer without fraction or exponent (its text is canonical if short enough). */
export let numberIsInteger: bool = false;

/** Skip a number at p (JSON.parse's grammar `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`); returns the end. */
export function scanNumber(p: usize): usize {
  let end = gEnd;
  numberIsInteger = false;
  if (byteAt(p) == CH_MINUS) p++;
  if (p >= end) return fail(p);
  let c = byteAt(p);
  if (c == CH_0) p++;
  else if (c - CH_1 < DECIMAL_DIGITS - 1) {
    p++;
    while (p < end && byteAt(p) - CH_0 < DECIMAL_DIGITS) p++;
  } else return fail(p);
  let integer = true;
  if (p < end && byteAt(p) == CH_DOT) {
    p++;
    let digits = p;
    while (p < end && byteAt(p) - CH_0 < DECIMAL_DIGITS) p++;
    if (p == digits) return fail(p);
    integer = false;
  }
  if (p < end && (byteAt(p) | ASCII_CASE_BIT) == CH_E_LOWER) {
    p++;
    if (p < end && (byteAt(p) == CH_PLUS || byteAt(p) == CH_MINUS)) p++;
    let digits = p;
    while (p < end && byteAt(p) - CH_0 < DECIMAL_DIGITS) p++;
    if (p == digits) return fail(p);
    integer = false;
  }
  // A number running into the end may go on in the next chunk; whatever follows it is the caller's to check.
  if (p >= end && !gLimitEndsValue) return fail(p);
  numberIsInteger = integer;
  return p;
}

/**
 * Is the integer text [p, q) (numberIsInteger) already JavaScript's string form? Yes unless it is -0 or has more
 * digits than canonicalNumber keeps (beyond 15 they may not survive a double; up to 15 they print as written).
 */
@inline export function integerIsCanonical(p: usize, q: usize): bool {
  let negative = byteAt(p) == CH_MINUS;
  let digits = q - p - (negative ? 1 : 0);
  return digits <= <usize>MAX_SIGNIFICANT && !(negative && byteAt(p + 1) == CH_0);
}

@inline export const NOT_CANONICAL: u32 = 0xffffffff;
/** Decimals with at most this many significant digits survive a trip through a double unchanged (DBL_DIG). */
@inline const MAX_SIGNIFICANT: i64 = 15;
/** Number::toString: positional notation while the decimal point is at most 21 digits right of the first. */
@inline const MAX_POSITIONAL_POINT: i32 = 21;
/** Number::toString: "0.000001" positional, 1e-7 exponent notation: the point at most 6 left of the first digit. */
@inline const MIN_POSITIONAL_POINT: i32 = -6;
/** Exponent digits beyond this much change nothing (the value is 0 or infinite either way). */
@inline const EXPONENT_SATURATION: i64 = 1000000000;
// With the value written 0.D x 10^n (D the significant digits):
/** n <= -324: below half the smallest subnormal (4.9e-324): JSON.parse gives 0 (or -0), String() "0". */
@inline const ZERO_POINT: i64 = -324;
/** n = -323: zero while at most half the smallest subnormal (2^-1075 = 2.4703282292062327e-324). */
@inline const HALF_SUBNORMAL_POINT: i64 = -323;
@inline const HALF_SUBNORMAL_DIGITS15: u64 = 247032822920623;
/** n = -307: the smallest normal double is 2.2250738585072014e-308; D padded to 15 digits must reach this. */
@inline const MIN_NORMAL_POINT: i64 = -307;
@inline const MIN_NORMAL_DIGITS15: u64 = 222507385850721;
/** n = 309: the largest double is 1.7976931348623157e308; D padded to 15 digits must not exceed this. */
@inline const MAX_FINITE_POINT: i64 = 309;
@inline const MAX_FINITE_DIGITS15: u64 = 179769313486231;
@inline const NUMBER_TEXT_BYTES: usize = 32;

const numberDigits: usize = memory.data(<i32>MAX_SIGNIFICANT);
/** Where canonicalNumber writes its text (static: valid until the next call). */
export const NUMBER_TEXT: usize = memory.data(<i32>NUMBER_TEXT_BYTES);

/**
 * JavaScript's `String(Number(text))` for a number scanNumber accepted, written at NUMBER_TEXT; returns its length,
 * or NOT_CANONICAL when the scanner cannot reproduce it: more than 15 significant digits, a nonzero subnormal
 * value, or a value that overflows to Infinity. Every other number (including every zero, and values that
 * underflow to 0) gets the exact text: a decimal with at most 15 significant digits in the normal range
 * round-trips through a double, so Number::toString prints exactly its digits, laid out by the spec's notation
 * rules.
 */
export function canonicalNumber(s: usize, e: usize): u32 {
  let p = s;
  let negative = byteAt(p) == CH_MINUS;
  if (negative) p++;
  let index: i64 = 0;
  let intDigits: i64 = 0;
  let first: i64 = -1;
  let last: i64 = -1;
  let fraction = false;
  while (p < e) {
    let c = byteAt(p);
    if (c == CH_DOT) {
      fraction = true;
      p++;
      continue;
    }
    if ((c | ASCII_CASE_BIT) == CH_E_LOWER) break;
    let d = c - CH_0;
    if (!fraction) intDigits++;
    if (d != 0) {
      if (first < 0) first = index;
      if (index - first >= MAX_SIGNIFICANT) return NOT_CANONICAL;
      last = index;
    }
    if (first >= 0 && index - first < MAX_SIGNIFICANT) store<u8>(numberDigits + <usize>(index - first), <u8>d);
    index++;
    p++;
  }
  if (first < 0) {
    store<u8>(NUMBER_TEXT, <u8>CH_0); // every zero, -0 included, prints "0"
    return 1;
  }
  let exponent: i64 = 0;
  if (p < e) {
    p++; // e or E
    let expNegative = false;
    let c = byteAt(p);
    if (c == CH_MINUS || c == CH_PLUS) {
      expNegative = c == CH_MINUS;
      p++;
    }
    while (p < e) {
      if (exponent < EXPONENT_SATURATION) exponent = exponent * <i64>DECIMAL_DIGITS + <i64>(byteAt(p) - CH_0);
      p++;
    }
    if (expNegative) exponent = -exponent;
  }
  let k = <i32>(last - first + 1);
  let point: i64 = intDigits - first + exponent;
  if (point <= ZERO_POINT) {
    store<u8>(NUMBER_TEXT, <u8>CH_0);
    return 1;
  }
  if (point == HALF_SUBNORMAL_POINT || point == MIN_NORMAL_POINT || point == MAX_FINITE_POINT) {
    // At the edges of the range the digits decide: D padded to 15 digits against the edge's digits.
    let d15: u64 = 0;
    for (let i: i32 = 0; i < <i32>MAX_SIGNIFICANT; i++) {
      d15 = d15 * <u64>DECIMAL_DIGITS + (i < k ? <u64>load<u8>(numberDigits + <usize>i) : 0);
    }
    if (point == HALF_SUBNORMAL_POINT) {
      if (d15 > HALF_SUBNORMAL_DIGITS15) return NOT_CANONICAL; // a subnormal
      store<u8>(NUMBER_TEXT, <u8>CH_0);
      return 1;
    }
    if (point == MIN_NORMAL_POINT && d15 < MIN_NORMAL_DIGITS15) return NOT_CANONICAL;
    if (point == MAX_FINITE_POINT && d15 > MAX_FINITE_DIGITS15) return NOT_CANONICAL;
  }
  if (point < MIN_NORMAL_POINT || point > MAX_FINITE_POINT) return NOT_CANONICAL;
  return formatNumber(negative, k, <i32>point);
}

/** Where the text of the last numberText call is: the number itself (already canonical) or NUMBER_TEXT. */
export let numberTextAt: usize = 0;

/**
 * The string form of the number [p, q) that scanNumber just accepted: its length (the text is at numberTextAt,
 * in place when the number is already written as JavaScript prints it), or NOT_CANONICAL.
 */
export function numberText(p: usize, q: usize): u32 {
  // Most numbers in logs are short integers: their text is their string form, no formatting needed.
  if (numberIsInteger && integerIsCanonical(p, q)) {
    numberTextAt = p;
    return <u32>(q - p);
  }
  let len = canonicalNumber(p, q);
  let same = len != NOT_CANONICAL && <usize>len == q - p && bytesEqual(NUMBER_TEXT, p, <usize>len);
  numberTextAt = same ? p : NUMBER_TEXT;
  return len;
}

@inline function putDigits(out: usize, from: i32, to: i32): usize {
  for (let i = from; i < to; i++) {
    store<u8>(out, <u8>(CH_0 + <u32>load<u8>(numberDigits + <usize>i)));
    out++;
  }
  return out;
}

@inline function putZeros(out: usize, count: i32): usize {
  for (let i: i32 = 0; i < count; i++) {
    store<u8>(out, <u8>CH_0);
    out++;
  }
  return out;
}

/** Number::toString (ECMA-262) for the value 0.D x 10^point with k digits D at numberDigits. */
function formatNumber(negative: bool, k: i32, point: i32): u32 {
  let o = NUMBER_TEXT;
  if (negative) {
    store<u8>(o, <u8>CH_MINUS);
    o++;
  }
  if (k <= point && point <= MAX_POSITIONAL_POINT) {
    o = putZeros(putDigits(o, 0, k), point - k);
  } else if (0 < point && point <= MAX_POSITIONAL_POINT) {
    o = putDigits(o, 0, point);
    store<u8>(o, <u8>CH_DOT);
    o = putDigits(o + 1, point, k);
  } else if (MIN_POSITIONAL_POINT < point && point <= 0) {
    store<u8>(o, <u8>CH_0);
    store<u8>(o, <u8>CH_DOT, 1);
    o = putDigits(putZeros(o + 2, -point), 0, k);
  } else {
    o = putDigits(o, 0, 1);
    if (k > 1) {
      store<u8>(o, <u8>CH_DOT);
      o = putDigits(o + 1, 1, k);
    }
    store<u8>(o, <u8>CH_E_LOWER);
    let exp = point - 1;
    store<u8>(o, <u8>(exp < 0 ? CH_MINUS : CH_PLUS), 1);
    o += 2;
    let magnitude = <u32>(exp < 0 ? -exp : exp);
    let digits: u32 = 1;
    for (let m = magnitude; m >= DECIMAL_DIGITS; m /= DECIMAL_DIGITS) digits++;
    for (let i: u32 = digits; i > 0; i--) {
      store<u8>(o + <usize>(i - 1), <u8>(CH_0 + magnitude % DECIMAL_DIGITS));
      magnitude /= DECIMAL_DIGITS;
    }
    o += <usize>digits;
  }
  return <u32>(o - NUMBER_TEXT);
}

// ---- literals ----

@inline const WORD_TRUE: u32 = 0x65757274; // "true" as a little-endian u32
@inline const WORD_NULL: u32 = 0x6c6c756e; // "null"
@inline const WORD_ALSE: u32 = 0x65736c61; // "alse", after the f of "false"
@inline const TRUE_BYTES: usize = 4;
@inline const NULL_BYTES: usize = 4;
@inline const FALSE_BYTES: usize = 5;

/** The string forms of the booleans (static, so values can point at them). */
export const TEXT_TRUE: usize = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
export const TEXT_FALSE: usize = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);
@inline export const TEXT_TRUE_BYTES: u32 = 4;
@inline export const TEXT_FALSE_BYTES: u32 = 5;

/** Skip `true`, `false` or `null` at p (its first letter already seen); returns the end. */
@inline export function scanLiteral(p: usize): usize {
  let c = byteAt(p);
  if (c == CH_T_LOWER) {
    if (p + TRUE_BYTES > gEnd || load<u32>(p) != WORD_TRUE) return fail(p);
    return p + TRUE_BYTES;
  }
  if (c == CH_N_LOWER) {
    if (p + NULL_BYTES > gEnd || load<u32>(p) != WORD_NULL) return fail(p);
    return p + NULL_BYTES;
  }
  if (p + FALSE_BYTES > gEnd || load<u32>(p, 1) != WORD_ALSE) return fail(p);
  return p + FALSE_BYTES;
}
