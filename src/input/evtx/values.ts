/**
 * Typed values of binary XML (template substitution values and value tokens) and their text as evtx_dump writes it
 * (omerbenamram/evtx, `evtx_dump -o json`): decimal integers, `0x`-prefixed lowercase hex integers, upper-case GUIDs
 * without braces, `S-1-5-18` SIDs, upper-case hex for binary, times as `2026-04-17T04:14:33.653414Z` (microseconds,
 * truncated), floats as the shortest decimal that reads back (Rust's layout: `1.0`, `1e21`, `1.5e-7`), arrays
 * comma-joined. Integers and booleans alone in an element become JSON numbers and booleans (render.ts).
 */
import * as F from './format.js';

export class EvtxFormatError extends Error {
  constructor(
    message: string,
    /** Offset of the problem inside its chunk. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EvtxFormatError';
  }
}

/** A typed value: its type and bytes (a view of the chunk). */
export interface EvtxValue {
  type: number;
  bytes: Uint8Array;
  /** Chunk offset of the bytes (for errors). */
  offset: number;
}

/** Bytes of the fixed-size scalar types, 0 for the others. */
export function scalarBytes(type: number): number {
  switch (type) {
    case F.TYPE_INT8:
    case F.TYPE_UINT8:
      return 1;
    case F.TYPE_INT16:
    case F.TYPE_UINT16:
      return 2;
    case F.TYPE_INT32:
    case F.TYPE_UINT32:
    case F.TYPE_REAL32:
    case F.TYPE_BOOL:
    case F.TYPE_HEX32:
      return 4;
    case F.TYPE_INT64:
    case F.TYPE_UINT64:
    case F.TYPE_REAL64:
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

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** UTF-16LE code units up to the first NUL (or the end), as a JS string; lone surrogates become U+FFFD. */
export function utf16Chars(b: Uint8Array): string {
  const units = b.length >>> 1;
  const dv = view(b);
  const parts: string[] = [];
  let s = '';
  for (let i = 0; i < units; i++) {
    const u = dv.getUint16(i * 2, true);
    if (u === 0) break;
    if (u >= 0xd800 && u <= 0xdfff) {
      const next = i + 1 < units ? dv.getUint16(i * 2 + 2, true) : 0;
      if (u <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        s += String.fromCharCode(u, next);
        i++;
      } else s += '\ufffd';
    } else s += String.fromCharCode(u);
    if (s.length >= 4096) {
      parts.push(s);
      s = '';
    }
  }
  parts.push(s);
  return parts.join('');
}

/** Rust's char::is_whitespace (Unicode White_Space), which evtx_dump trims from the end of strings. */
export function isRustWhitespace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** A string value: UTF-16LE up to the first NUL, trailing whitespace trimmed (as evtx_dump 0.8 writes strings). */
export function utf16Text(b: Uint8Array): string {
  const s = utf16Chars(b);
  let end = s.length;
  while (end > 0 && isRustWhitespace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Windows-1252 0x80-0x9F (WHATWG's table; not every runtime's TextDecoder has it). */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
];
const CP1252_HIGH_FIRST = 0x80;
const CP1252_HIGH_LAST = 0x9f;

/** An ANSI (code page) string up to the first NUL, read as Windows-1252. */
export function ansiText(b: Uint8Array): string {
  let s = '';
  for (const x of b) {
    if (x === 0) break;
    s += String.fromCharCode(x >= CP1252_HIGH_FIRST && x <= CP1252_HIGH_LAST ? CP1252_HIGH[x - CP1252_HIGH_FIRST] : x);
  }
  return s;
}

/** Split a NUL-separated array of UTF-16 (unit 2) or ANSI (unit 1) strings: each string runs to its NUL or the end. */
function splitStrings(b: Uint8Array, unit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  let i = 0;
  const n = b.length - (b.length % unit);
  while (i < n) {
    const isNul = unit === 2 ? b[i] === 0 && b[i + 1] === 0 : b[i] === 0;
    if (isNul) {
      out.push(b.subarray(start, i));
      start = i + unit;
    }
    i += unit;
  }
  if (start < n) out.push(b.subarray(start, n));
  return out;
}

const HEX_UPPER = '0123456789ABCDEF';

function hexUpper(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX_UPPER[x >> 4] + HEX_UPPER[x & 15];
  return s;
}

function guidText(b: Uint8Array): string {
  const order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
  let s = '';
  for (const i of order) s += i < 0 ? '-' : HEX_UPPER[b[i] >> 4] + HEX_UPPER[b[i] & 15];
  return s;
}

function sidText(b: Uint8Array): string {
  if (b.length < F.SID_HEADER_BYTES) return 'S-?';
  let authority = 0;
  for (let i = 2; i < F.SID_HEADER_BYTES; i++) authority = authority * 256 + b[i];
  let s = `S-${b[0]}-${authority}`;
  const dv = view(b);
  const count = Math.min(b[1], Math.floor((b.length - F.SID_HEADER_BYTES) / 4));
  for (let i = 0; i < count; i++) s += `-${dv.getUint32(F.SID_HEADER_BYTES + i * 4, true)}`;
  return s;
}

/** Bytes of the SID at the start of b (header plus its sub-authorities, clipped to b). */
function sidBytes(b: Uint8Array): number {
  if (b.length < F.SID_HEADER_BYTES) return b.length;
  return Math.min(b.length, F.SID_HEADER_BYTES + 4 * b[1]);
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** Civil date of a day count since 1970-01-01 (proleptic Gregorian). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const MICROS_PER_DAY = 86_400_000_000n;

/** A FILETIME as evtx_dump writes it (microseconds, truncated; years past 9999 with all their digits). */
export function filetimeText(ticks: bigint): string {
  const micros = ticks / BigInt(F.FILETIME_TICKS_PER_MICROSECOND);
  const day = Number(micros / MICROS_PER_DAY);
  let rest = Number(micros % MICROS_PER_DAY);
  const [y, m, d] = civil(day - F.FILETIME_EPOCH_DAYS);
  const us = rest % 1_000_000;
  rest = Math.floor(rest / 1_000_000);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(Math.floor(rest / 3600), 2)}:${pad(Math.floor(rest / 60) % 60, 2)}:${pad(rest % 60, 2)}.${pad(us, 6)}Z`;
}

/** A SYSTEMTIME: its fields as written (evtx_dump refuses invalid dates; they are shown as stored here). */
function systemtimeText(b: Uint8Array): string {
  const dv = view(b);
  const f = (i: number): number => dv.getUint16(i * 2, true);
  return `${pad(f(0), 4)}-${pad(f(1), 2)}-${pad(f(3), 2)}T${pad(f(4), 2)}:${pad(f(5), 2)}:${pad(f(6), 2)}.${pad(f(7) * 1000, 6)}Z`;
}

/** Rust's layout of a shortest round-trip decimal: digits d times 10^e. */
function rustFloatLayout(negative: boolean, digits: string, e: number): string {
  const n = digits.length;
  const kk = n + e;
  let s: string;
  if (e >= 0 && kk <= 16) s = digits + '0'.repeat(e) + '.0';
  else if (kk > 0 && kk <= 16) s = digits.slice(0, kk) + '.' + digits.slice(kk);
  else if (kk > -5 && kk <= 0) s = '0.' + '0'.repeat(-kk) + digits;
  else if (n === 1) s = `${digits}e${kk - 1}`;
  else s = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return (negative ? '-' : '') + s;
}

/** The shortest decimal digits that read back as x (in its own precision), as digits and exponent. */
function shortestDigits(x: number, single: boolean): [string, number] {
  let text: string;
  if (!single) text = Math.abs(x).toExponential();
  else {
    text = '';
    for (let p = 1; p <= 9; p++) {
      text = Math.abs(x).toExponential(p - 1);
      if (Math.fround(Number(text)) === Math.abs(x)) break;
    }
  }
  const [mantissa, exp] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return [digits, Number(exp) - (digits.length - 1)];
}

export function floatText(x: number, single: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  if (x === 0) return negative ? '-0.0' : '0.0';
  const [digits, e] = shortestDigits(x, single);
  return rustFloatLayout(negative, digits, e);
}

function needBytes(v: EvtxValue, n: number): DataView {
  if (v.bytes.length < n) throw new EvtxFormatError(`a value of type 0x${v.type.toString(16)} needs ${n} bytes, has ${v.bytes.length}`, v.offset);
  return view(v.bytes);
}

/** An integer or boolean value as JSON gives it (a number, a boolean), or undefined for other types. */
export function jsonScalar(v: EvtxValue): number | boolean | undefined {
  switch (v.type) {
    case F.TYPE_INT8:
      return needBytes(v, 1).getInt8(0);
    case F.TYPE_UINT8:
      return needBytes(v, 1).getUint8(0);
    case F.TYPE_INT16:
      return needBytes(v, 2).getInt16(0, true);
    case F.TYPE_UINT16:
      return needBytes(v, 2).getUint16(0, true);
    case F.TYPE_INT32:
      return needBytes(v, 4).getInt32(0, true);
    case F.TYPE_UINT32:
      return needBytes(v, 4).getUint32(0, true);
    case F.TYPE_INT64:
      // JSON.parse of the exact digits: the nearest double.
      return Number(needBytes(v, 8).getBigInt64(0, true));
    case F.TYPE_UINT64:
      return Number(needBytes(v, 8).getBigUint64(0, true));
    case F.TYPE_BOOL:
      return needBytes(v, 4).getInt32(0, true) !== 0;
    default:
      return undefined;
  }
}

/** Items of an array value (type with TYPE_ARRAY set), each as a scalar value of the element type. */
export function arrayItems(v: EvtxValue): EvtxValue[] {
  const type = v.type & ~F.TYPE_ARRAY;
  const b = v.bytes;
  const items: EvtxValue[] = [];
  if (type === F.TYPE_STRING || type === F.TYPE_ANSI_STRING) {
    let at = 0;
    for (const s of splitStrings(b, type === F.TYPE_STRING ? 2 : 1)) {
      at = s.byteOffset - b.byteOffset;
      items.push({ type, bytes: s, offset: v.offset + at });
    }
    return items;
  }
  if (type === F.TYPE_SID) {
    let at = 0;
    while (at < b.length) {
      const n = sidBytes(b.subarray(at));
      if (n < F.SID_HEADER_BYTES) break;
      items.push({ type, bytes: b.subarray(at, at + n), offset: v.offset + at });
      at += n;
    }
    return items;
  }
  const size = scalarBytes(type);
  if (size === 0) throw new EvtxFormatError(`unsupported array value type 0x${v.type.toString(16)}`, v.offset);
  for (let at = 0; at + size <= b.length; at += size) items.push({ type, bytes: b.subarray(at, at + size), offset: v.offset + at });
  return items;
}

export function isArrayType(type: number): boolean {
  return (type & F.TYPE_ARRAY) !== 0;
}

/** A value that counts as empty ("optional empty": null, empty strings, binary or arrays). */
export function isEmptyValue(v: EvtxValue): boolean {
  switch (v.type) {
    case F.TYPE_NULL:
      return true;
    case F.TYPE_STRING:
      return utf16Text(v.bytes) === '';
    case F.TYPE_ANSI_STRING:
      return v.bytes.length === 0 || v.bytes[0] === 0;
    case F.TYPE_BINARY:
    case F.TYPE_BINXML:
      return v.bytes.length === 0;
    default:
      return isArrayType(v.type) && arrayItems(v).length === 0;
  }
}

/** The text of a value as evtx_dump writes it. */
export function valueText(v: EvtxValue): string {
  if (isArrayType(v.type)) return arrayItems(v).map(valueText).join(',');
  switch (v.type) {
    case F.TYPE_NULL:
      return '';
    case F.TYPE_STRING:
      return utf16Text(v.bytes);
    case F.TYPE_ANSI_STRING:
      return ansiText(v.bytes);
    case F.TYPE_INT64:
      return String(needBytes(v, 8).getBigInt64(0, true));
    case F.TYPE_UINT64:
      return String(needBytes(v, 8).getBigUint64(0, true));
    case F.TYPE_REAL32:
      return floatText(needBytes(v, 4).getFloat32(0, true), true);
    case F.TYPE_REAL64:
      return floatText(needBytes(v, 8).getFloat64(0, true), false);
    case F.TYPE_BINARY:
      return hexUpper(v.bytes);
    case F.TYPE_GUID:
      needBytes(v, F.GUID_BYTES);
      return guidText(v.bytes);
    case F.TYPE_SIZE:
      if (v.bytes.length === 4) return '0x' + view(v.bytes).getUint32(0, true).toString(16);
      if (v.bytes.length === 8) return '0x' + view(v.bytes).getBigUint64(0, true).toString(16);
      throw new EvtxFormatError(`a size value must have 4 or 8 bytes, has ${v.bytes.length}`, v.offset);
    case F.TYPE_FILETIME:
      return filetimeText(needBytes(v, 8).getBigUint64(0, true));
    case F.TYPE_SYSTEMTIME:
      needBytes(v, F.SYSTEMTIME_BYTES);
      return systemtimeText(v.bytes);
    case F.TYPE_SID:
      return sidText(v.bytes);
    case F.TYPE_HEX32:
      return '0x' + needBytes(v, 4).getUint32(0, true).toString(16);
    case F.TYPE_HEX64:
      return '0x' + needBytes(v, 8).getBigUint64(0, true).toString(16);
    default: {
      const scalar = jsonScalar(v);
      if (scalar === undefined) throw new EvtxFormatError(`unsupported value type 0x${v.type.toString(16)}`, v.offset);
      return String(scalar);
    }
  }
}

/** Check that a value can be rendered (unknown types and short values are errors, as in evtx_dump). */
export function checkValue(v: EvtxValue): void {
  if (v.type === F.TYPE_BINXML) return;
  valueText(v);
}
