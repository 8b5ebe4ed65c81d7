/**
 * UTF-8 lengths, and strict UTF-8 decoding of rule and pipeline files: where the first byte that is not UTF-8 is
 * (line and column as the YAML errors count them), so the error points at it rather than at the top of the file.
 */

const LINE_FEED = 0x0a;
const CONTINUATION_MIN = 0x80;
const CONTINUATION_MAX = 0xbf;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

export interface Utf8Error {
  /** The first byte of the first ill-formed sequence (0-based offset), and its value. */
  offset: number;
  byte: number;
  /** 1-based line, and column in UTF-16 units of the decoded line as the YAML positions count (no leading BOM). */
  line: number;
  column: number;
}

/**
 * UTF-8 length of a string, as TextEncoder writes it (a lone surrogate is the 3 bytes of U+FFFD). Counting stops once
 * past `stop`, which is then returned plus one (a size limit need not measure a huge text to the end).
 */
export function utf8Length(text: string, stop = Number.MAX_SAFE_INTEGER): number {
  if (text.length > stop) return stop + 1;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stop; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return Math.min(bytes, stop + 1);
}

const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The offset of the first byte that starts an ill-formed UTF-8 sequence (a stray continuation byte, an overlong or
 * surrogate encoding, a code point past U+10FFFF, a sequence cut short), or -1 when all of it is well-formed: the
 * byte where a strict decoder (TextDecoder with `fatal`) stops.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let need: number;
    // The second byte's range narrows for E0 (no overlongs), ED (no surrogates), F0 (no overlongs), F4 (<= U+10FFFF).
    let low = CONTINUATION_MIN;
    let high = CONTINUATION_MAX;
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return i;
      const b = bytes[i + k];
      if (b < (k === 1 ? low : CONTINUATION_MIN) || b > (k === 1 ? high : CONTINUATION_MAX)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Where the first ill-formed byte of `bytes` is, or null when they are all UTF-8. */
export function utf8ErrorAt(bytes: Uint8Array): Utf8Error | null {
  const offset = firstInvalidUtf8(bytes);
  if (offset < 0) return null;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === LINE_FEED) {
      line++;
      lineStart = i + 1;
    }
  }
  if (lineStart === 0 && UTF8_BOM.every((b, k) => bytes[k] === b) && offset >= UTF8_BOM.length) lineStart = UTF8_BOM.length;
  // Everything before the bad byte is well-formed: decoding it counts characters as the YAML columns do.
  const column = lenient.decode(bytes.subarray(lineStart, offset)).length + 1;
  return { offset, byte: bytes[offset], line, column };
}

/** `the file is not valid UTF-8: byte 0xFF at line 3, column 7` */
export function describeUtf8Error(e: Utf8Error): string {
  return `the file is not valid UTF-8: byte 0x${e.byte.toString(16).toUpperCase().padStart(2, '0')} (byte offset ${e.offset}) at line ${e.line}, column ${e.column} does not start a well-formed character`;
}
