// Substitution values of a record as text, written as UTF-8 the way evtx_dump writes them (the reference:
// src/input/evtx/values.ts valueText): decimal integers, `0x` lowercase hex, upper-case GUIDs without braces, SIDs,
// upper-case hex for binary, times with microseconds, Windows-1252 for ANSI strings. Floats, arrays and binary XML
// values are left to the host (valueInVm), which reads them with the reference.
import * as F from './format';
import { UTF8_PER_UNIT, valueTextEmpty, valueToUtf8 } from './utf16';

// ---- the record's value table (region.ts VALUE_ENTRY_BYTES each) ----
@inline export const V_TYPE: usize = 0;
@inline export const V_SIZE: usize = 4;
@inline export const V_PTR: usize = 8;
/** A binary XML value: the root element it holds and the context (template instance) of that element. */
@inline export const V_ROOT: usize = 12;
@inline export const V_CONTEXT: usize = 16;
/** 1 when the value is empty (valueIsEmpty, worked out once when the record is read). */
@inline export const V_EMPTY: usize = 20;

@inline const CH_0: u32 = 0x30;
@inline const CH_MINUS: u8 = 0x2d;
@inline const CH_T: u8 = 0x54;
@inline const CH_Z: u8 = 0x5a;
@inline const CH_COLON: u8 = 0x3a;
@inline const CH_DOT: u8 = 0x2e;
@inline const CH_X: u8 = 0x78;
@inline const CH_S: u8 = 0x53;
@inline const CH_QUESTION: u8 = 0x3f;
@inline const HEX_LETTER_UPPER: u32 = 0x41 - 10;
@inline const HEX_LETTER_LOWER: u32 = 0x61 - 10;
/** Integers whose JSON number JSON.parse reads exactly (|n| <= 2^53). */
@inline const EXACT_INTEGER_LIMIT: u64 = 1 << 53;
@inline const MICROS_PER_DAY: u64 = 86400000000;
@inline const MICROS_PER_SECOND: u64 = 1000000;
@inline const MICROS_PER_MILLI: u32 = 1000;
@inline const GUID_TEXT_BYTES: u32 = 36;
/** Longest decimal u64 (20 digits) and a sign. */
@inline const DECIMAL_MAX: u32 = 21;
/** "0x" and 16 hex digits. */
@inline const HEX_MAX: u32 = 18;
/** A FILETIME's text: year up to 5 digits, then "-MM-DDTHH:MM:SS.ffffffZ". */
@inline const FILETIME_MAX: u32 = 32;
/** A SYSTEMTIME's text: eight fields of up to 5 (milliseconds times 1000: 8) digits and separators. */
@inline const SYSTEMTIME_MAX: u32 = 64;
/** "S-", revision (3), "-", authority (15 digits), then "-" and up to 10 digits per sub-authority. */
@inline const SID_FIXED_MAX: u32 = 21;
@inline const SID_PER_SUB_MAX: u32 = 11;
/** Windows-1252 bytes are at most 3 UTF-8 bytes. */
@inline const ANSI_PER_BYTE: u32 = 3;

/** Windows-1252 0x80-0x9F (WHATWG's table, as TextDecoder('windows-1252')). */
const CP1252_HIGH = memory.data<u16>([
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
]);
@inline const CP1252_HIGH_FIRST: u32 = 0x80;
@inline const CP1252_HIGH_LAST: u32 = 0x9f;

@inline export function valueType(v: usize): u32 {
  return load<u32>(v, V_TYPE);
}

@inline export function valueSize(v: usize): u32 {
  return load<u32>(v, V_SIZE);
}

@inline export function valuePtr(v: usize): usize {
  return <usize>load<u32>(v, V_PTR);
}

/** Is a value of this type, size and bytes empty (null, empty string, binary or binary XML), which an optional
 * substitution leaves out? */
export function valueIsEmpty(type: u32, size: u32, p: usize): bool {
  switch (type) {
    case F.TYPE_NULL:
      return true;
    case F.TYPE_STRING:
      return valueTextEmpty(p, size >> 1);
    case F.TYPE_ANSI_STRING:
      return size == 0 || load<u8>(p) == 0;
    case F.TYPE_BINARY:
    case F.TYPE_BINXML:
      return size == 0;
    default:
      return false;
  }
}

/** The table entry's empty flag (V_EMPTY). */
@inline export function valueEmpty(v: usize): bool {
  return load<u32>(v, V_EMPTY) != 0;
}

/** Bytes a fixed-size type needs (0 for the others). */
export function fixedBytes(type: u32): u32 {
  switch (type) {
    case F.TYPE_INT8:
    case F.TYPE_UINT8:
      return 1;
    case F.TYPE_INT16:
    case F.TYPE_UINT16:
      return 2;
    case F.TYPE_INT32:
    case F.TYPE_UINT32:
    case F.TYPE_BOOL:
    case F.TYPE_HEX32:
      return 4;
    case F.TYPE_INT64:
    case F.TYPE_UINT64:
    case F.TYPE_FILETIME:
    case F.TYPE_HEX64:
      return 8;
    case F.TYPE_GUID:
    case F.TYPE_SYSTEMTIME:
      return F.GUID_BYTES;
    default:
      return 0;
  }
}

/**
 * Does the VM render this value exactly as the reference does? False for floats, arrays and binary XML (the host's
 * reference reads those records), and for what the reference refuses (unknown types, values too short).
 */
export function valueInVm(v: usize): bool {
  let type = valueType(v);
  let size = valueSize(v);
  switch (type) {
    case F.TYPE_NULL:
    case F.TYPE_STRING:
    case F.TYPE_ANSI_STRING:
    case F.TYPE_BINARY:
    case F.TYPE_SID:
      return true;
    case F.TYPE_SIZE:
      return size == 4 || size == 8;
    default: {
      let need = fixedBytes(type);
      return need != 0 && size >= need;
    }
  }
}

/**
 * Bytes the text of a formatted value (valueIsFormatted) is made of, with 0x20 OR-ed in as the raw keyword tables
 * hold their windows: a bit per byte. Digits, hex digits, `-`, `x` (`0x`), `S` (SIDs), `T`, `Z`, `:`, `.` (times),
 * `?` (a short SID).
 */
const FORMATTED_BYTES = memory.data(32, 16);
let formattedBytesReady: bool = false;

/** FORMATTED_BYTES (built on first use). */
export function formattedAlphabet(): usize {
  if (!formattedBytesReady) {
    let chars = '0123456789abcdefx-stz:.?';
    for (let i = 0; i < chars.length; i++) {
      let b = <u32>chars.charCodeAt(i);
      let at = FORMATTED_BYTES + <usize>(b >> 3);
      store<u8>(at, <u8>(<u32>load<u8>(at) | (<u32>1 << (b & 7))));
    }
    formattedBytesReady = true;
  }
  return FORMATTED_BYTES;
}

/** Is the value's text made by a formatter from formattedAlphabet's bytes only (all but strings and binary XML)? */
export function valueIsFormatted(type: u32): bool {
  switch (type) {
    case F.TYPE_INT8:
    case F.TYPE_UINT8:
    case F.TYPE_INT16:
    case F.TYPE_UINT16:
    case F.TYPE_INT32:
    case F.TYPE_UINT32:
    case F.TYPE_INT64:
    case F.TYPE_UINT64:
    case F.TYPE_BOOL:
    case F.TYPE_BINARY:
    case F.TYPE_GUID:
    case F.TYPE_SIZE:
    case F.TYPE_FILETIME:
    case F.TYPE_SYSTEMTIME:
    case F.TYPE_SID:
    case F.TYPE_HEX32:
    case F.TYPE_HEX64:
      return true;
    default:
      return false;
  }
}

/** Is the value an integer or boolean (a JSON number or boolean when alone in an element)? */
export function valueIsScalar(type: u32): bool {
  return (type >= F.TYPE_INT8 && type <= F.TYPE_UINT64) || type == F.TYPE_BOOL;
}

@inline export function valueIsString(type: u32): bool {
  return type == F.TYPE_STRING;
}

/** Is a 64-bit integer value's JSON number read exactly by JSON.parse (|n| <= 2^53)? */
export function integerIsExact(v: usize): bool {
  let type = valueType(v);
  if (type == F.TYPE_UINT64) return load<u64>(valuePtr(v)) <= EXACT_INTEGER_LIMIT;
  if (type == F.TYPE_INT64) {
    let n = load<i64>(valuePtr(v));
    return n <= <i64>EXACT_INTEGER_LIMIT && n >= -<i64>EXACT_INTEGER_LIMIT;
  }
  return true;
}

/** The boolean of a BOOL value (4 bytes, non-zero is true). */
@inline export function valueBool(v: usize): bool {
  return load<i32>(valuePtr(v)) != 0;
}

/** Most bytes valueText writes for the value. */
export function valueTextBound(v: usize): u32 {
  let size = valueSize(v);
  switch (valueType(v)) {
    case F.TYPE_NULL:
      return 0;
    case F.TYPE_STRING:
      return (size >> 1) * UTF8_PER_UNIT;
    case F.TYPE_ANSI_STRING:
      return size * ANSI_PER_BYTE;
    case F.TYPE_BINARY:
      return size * 2;
    case F.TYPE_GUID:
      return GUID_TEXT_BYTES;
    case F.TYPE_FILETIME:
      return FILETIME_MAX;
    case F.TYPE_SYSTEMTIME:
      return SYSTEMTIME_MAX;
    case F.TYPE_SID:
      return SID_FIXED_MAX + (size >> 2) * SID_PER_SUB_MAX;
    case F.TYPE_SIZE:
    case F.TYPE_HEX32:
    case F.TYPE_HEX64:
      return HEX_MAX;
    default:
      return DECIMAL_MAX;
  }
}

// ---- writers: each writes at dst and returns the bytes written ----

function writeDecimal(dst: usize, n: u64): u32 {
  let count: u32 = 0;
  let tmp = n;
  do {
    count++;
    tmp /= 10;
  } while (tmp != 0);
  let p = dst + <usize>count;
  do {
    p--;
    store<u8>(p, <u8>(CH_0 + <u32>(n % 10)));
    n /= 10;
  } while (n != 0);
  return count;
}

function writeSigned(dst: usize, n: i64): u32 {
  if (n >= 0) return writeDecimal(dst, <u64>n);
  store<u8>(dst, CH_MINUS);
  return 1 + writeDecimal(dst + 1, <u64>(-(n + 1)) + 1);
}

/** `value` in at least `width` digits (zero-padded). */
function writePadded(dst: usize, value: u64, width: u32): u32 {
  let digits: u32 = 1;
  for (let t = value / 10; t != 0; t /= 10) digits++;
  let pad: u32 = digits < width ? width - digits : 0;
  for (let i: u32 = 0; i < pad; i++) store<u8>(dst + <usize>i, <u8>CH_0);
  return pad + writeDecimal(dst + <usize>pad, value);
}

function writeHexLower(dst: usize, n: u64): u32 {
  store<u8>(dst, <u8>CH_0);
  store<u8>(dst, CH_X, 1);
  let digits: u32 = 1;
  for (let t = n >> 4; t != 0; t >>= 4) digits++;
  for (let i: u32 = 0; i < digits; i++) {
    let d = <u32>((n >> (<u64>(digits - 1 - i) << 2)) & 15);
    store<u8>(dst + 2 + <usize>i, <u8>(d < 10 ? CH_0 + d : HEX_LETTER_LOWER + d));
  }
  return 2 + digits;
}

@inline function hexUpperDigit(d: u32): u8 {
  return <u8>(d < 10 ? CH_0 + d : HEX_LETTER_UPPER + d);
}

function writeHexBytesUpper(dst: usize, src: usize, n: u32): u32 {
  for (let i: u32 = 0; i < n; i++) {
    let b = <u32>load<u8>(src + <usize>i);
    store<u8>(dst + (<usize>i << 1), hexUpperDigit(b >> 4));
    store<u8>(dst + (<usize>i << 1) + 1, hexUpperDigit(b & 15));
  }
  return n << 1;
}

/** GUID byte order: the first three groups are little-endian. */
const GUID_ORDER = memory.data<u8>([3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]);

function writeGuid(dst: usize, src: usize): u32 {
  let out = dst;
  for (let i: u32 = 0; i < F.GUID_BYTES; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) store<u8>(out++, CH_MINUS);
    let b = <u32>load<u8>(src + <usize>load<u8>(GUID_ORDER + <usize>i));
    store<u8>(out, hexUpperDigit(b >> 4));
    store<u8>(out, hexUpperDigit(b & 15), 1);
    out += 2;
  }
  return <u32>(out - dst);
}

function writeSid(dst: usize, src: usize, size: u32): u32 {
  let out = dst;
  store<u8>(out++, CH_S);
  store<u8>(out++, CH_MINUS);
  if (size < F.SID_HEADER_BYTES) {
    store<u8>(out++, CH_QUESTION);
    return <u32>(out - dst);
  }
  out += writeDecimal(out, <u64>load<u8>(src));
  store<u8>(out++, CH_MINUS);
  let authority: u64 = 0;
  for (let i: u32 = 2; i < F.SID_HEADER_BYTES; i++) authority = (authority << 8) | <u64>load<u8>(src + <usize>i);
  out += writeDecimal(out, authority);
  let count = <u32>load<u8>(src, 1);
  let available = (size - F.SID_HEADER_BYTES) >> 2;
  if (count > available) count = available;
  for (let i: u32 = 0; i < count; i++) {
    store<u8>(out++, CH_MINUS);
    out += writeDecimal(out, <u64>load<u32>(src + <usize>F.SID_HEADER_BYTES + (<usize>i << 2)));
  }
  return <u32>(out - dst);
}

/** Year, month, day of a day count since 1970-01-01 (proleptic Gregorian), packed as year << 16 | month << 8 | day. */
function civil(days: i64): u64 {
  let z = days + 719468;
  let era = (z >= 0 ? z : z - 146096) / 146097;
  let doe = z - era * 146097;
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  let mp = (5 * doy + 2) / 153;
  let d = doy - (153 * mp + 2) / 5 + 1;
  let m = mp < 10 ? mp + 3 : mp - 9;
  let y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return (<u64>y << 16) | (<u64>m << 8) | <u64>d;
}

/** A date and time with microseconds: YYYY-MM-DDTHH:MM:SS.ffffffZ (each field at least its width). */
function writeDateTime(dst: usize, y: u64, mo: u64, d: u64, h: u64, mi: u64, s: u64, micros: u64): u32 {
  let out = dst;
  out += writePadded(out, y, 4);
  store<u8>(out++, CH_MINUS);
  out += writePadded(out, mo, 2);
  store<u8>(out++, CH_MINUS);
  out += writePadded(out, d, 2);
  store<u8>(out++, CH_T);
  out += writePadded(out, h, 2);
  store<u8>(out++, CH_COLON);
  out += writePadded(out, mi, 2);
  store<u8>(out++, CH_COLON);
  out += writePadded(out, s, 2);
  store<u8>(out++, CH_DOT);
  out += writePadded(out, micros, 6);
  store<u8>(out++, CH_Z);
  return <u32>(out - dst);
}

/** A FILETIME (100 ns ticks since 1601) as evtx_dump writes it: microseconds, truncated. */
export function writeFiletime(dst: usize, ticks: u64): u32 {
  let micros = ticks / F.FILETIME_TICKS_PER_MICROSECOND;
  let day = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  let date = civil(<i64>day - <i64>F.FILETIME_EPOCH_DAYS);
  let seconds = rest / MICROS_PER_SECOND;
  return writeDateTime(dst, date >> 16, (date >> 8) & 0xff, date & 0xff, seconds / 3600, (seconds / 60) % 60, seconds % 60, rest % MICROS_PER_SECOND);
}

@inline function field(src: usize, i: usize): u64 {
  return <u64>load<u16>(src + (i << 1));
}

/** SYSTEMTIME fields: year, month, day of week, day, hour, minute, second, milliseconds (shown as stored). */
function writeSystemtime(dst: usize, src: usize): u32 {
  return writeDateTime(dst, field(src, 0), field(src, 1), field(src, 3), field(src, 4), field(src, 5), field(src, 6), field(src, 7) * <u64>MICROS_PER_MILLI);
}

function writeAnsi(dst: usize, src: usize, size: u32): u32 {
  let out = dst;
  for (let i: u32 = 0; i < size; i++) {
    let b = <u32>load<u8>(src + <usize>i);
    if (b == 0) break;
    let c = b >= CP1252_HIGH_FIRST && b <= CP1252_HIGH_LAST ? <u32>load<u16>(CP1252_HIGH + (<usize>(b - CP1252_HIGH_FIRST) << 1)) : b;
    if (c < 0x80) store<u8>(out++, <u8>c);
    else if (c < 0x800) {
      store<u8>(out, <u8>(0xc0 | (c >> 6)));
      store<u8>(out, <u8>(0x80 | (c & 0x3f)), 1);
      out += 2;
    } else {
      store<u8>(out, <u8>(0xe0 | (c >> 12)));
      store<u8>(out, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
      store<u8>(out, <u8>(0x80 | (c & 0x3f)), 2);
      out += 3;
    }
  }
  return <u32>(out - dst);
}

/** Write the value's text at dst (room for valueTextBound bytes); returns the bytes written. Only for valueInVm values. */
export function valueText(v: usize, dst: usize): u32 {
  let p = valuePtr(v);
  let size = valueSize(v);
  switch (valueType(v)) {
    case F.TYPE_NULL:
      return 0;
    case F.TYPE_STRING:
      return valueToUtf8(p, size >> 1, dst);
    case F.TYPE_ANSI_STRING:
      return writeAnsi(dst, p, size);
    case F.TYPE_INT8:
      return writeSigned(dst, <i64>load<i8>(p));
    case F.TYPE_UINT8:
      return writeDecimal(dst, <u64>load<u8>(p));
    case F.TYPE_INT16:
      return writeSigned(dst, <i64>load<i16>(p));
    case F.TYPE_UINT16:
      return writeDecimal(dst, <u64>load<u16>(p));
    case F.TYPE_INT32:
      return writeSigned(dst, <i64>load<i32>(p));
    case F.TYPE_UINT32:
      return writeDecimal(dst, <u64>load<u32>(p));
    case F.TYPE_INT64:
      return writeSigned(dst, load<i64>(p));
    case F.TYPE_UINT64:
      return writeDecimal(dst, load<u64>(p));
    case F.TYPE_BOOL:
      return writeBool(dst, valueBool(v));
    case F.TYPE_BINARY:
      return writeHexBytesUpper(dst, p, size);
    case F.TYPE_GUID:
      return writeGuid(dst, p);
    case F.TYPE_SIZE:
      return writeHexLower(dst, size == 4 ? <u64>load<u32>(p) : load<u64>(p));
    case F.TYPE_FILETIME:
      return writeFiletime(dst, load<u64>(p));
    case F.TYPE_SYSTEMTIME:
      return writeSystemtime(dst, p);
    case F.TYPE_SID:
      return writeSid(dst, p, size);
    case F.TYPE_HEX32:
      return writeHexLower(dst, <u64>load<u32>(p));
    case F.TYPE_HEX64:
      return writeHexLower(dst, load<u64>(p));
    default:
      return 0; // not valueInVm: never asked
  }
}

const TRUE_TEXT = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);
const FALSE_TEXT = memory.data<u8>([0x66, 0x61, 0x6c, 0x73, 0x65]);

function writeBool(dst: usize, b: bool): u32 {
  if (b) {
    memory.copy(dst, TRUE_TEXT, 4);
    return 4;
  }
  memory.copy(dst, FALSE_TEXT, 5);
  return 5;
}

/** Static "true" / "false" (the text of a boolean value). */
@inline export function boolText(b: bool): usize {
  return b ? TRUE_TEXT : FALSE_TEXT;
}

@inline export function boolTextLength(b: bool): u32 {
  return b ? 4 : 5;
}
