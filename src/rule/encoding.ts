/**
 * Byte encodings used by the base64 and utf16 modifiers. Written here rather than taken from Buffer so the rule
 * model runs unchanged in browsers and Workers.
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_PAD = '=';
const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/**
 * Bytes held in a "binary string": one char per byte (U+0000-U+00FF). The utf16 modifiers produce such strings, as
 * pySigma does for ASCII input, so a following base64 encodes the UTF-16 bytes rather than their UTF-8 form.
 */
export function binaryStringBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function bytesToBinaryString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += BASE64_ALPHABET[n >> 18] + BASE64_ALPHABET[(n >> 12) & 63] + BASE64_ALPHABET[(n >> 6) & 63] + BASE64_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += BASE64_ALPHABET[n >> 18] + BASE64_ALPHABET[(n >> 12) & 63] + BASE64_PAD + BASE64_PAD;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64_ALPHABET[n >> 18] + BASE64_ALPHABET[(n >> 12) & 63] + BASE64_ALPHABET[(n >> 6) & 63] + BASE64_PAD;
  }
  return out;
}

/** Offsets of the three base64offset variants (SIGMA.md 1.6): drop the characters that depend on unknown neighbours. */
const OFFSET_START = [0, 2, 3];
const OFFSET_END_TRIM = [0, 3, 2];
const SPACE = 0x20;

/** The three base64 forms of `bytes` as they appear inside a longer base64 text, at each alignment. */
export function base64OffsetVariants(bytes: Uint8Array): string[] {
  const variants: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.fill(SPACE, 0, shift);
    shifted.set(bytes, shift);
    const encoded = base64Encode(shifted);
    const trim = OFFSET_END_TRIM[(bytes.length + shift) % 3];
    variants.push(encoded.slice(OFFSET_START[shift], trim ? encoded.length - trim : encoded.length));
  }
  return variants;
}

export type Utf16Form = 'le' | 'be' | 'bom';
const BOM_LE = '\xff\xfe';

/** UTF-16 code units of `text` as a binary string; `bom` is the spec's byte-order mark FF FE followed by LE. */
export function utf16BinaryString(text: string, form: Utf16Form): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const lo = String.fromCharCode(unit & 0xff);
    const hi = String.fromCharCode(unit >> 8);
    out += form === 'be' ? hi + lo : lo + hi;
  }
  return out;
}

export function utf16ByteOrderMark(): string {
  return BOM_LE;
}
