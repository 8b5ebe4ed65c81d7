// UTF-8 code points over linear memory. Every byte string the VM reads is valid UTF-8: the JSON scanner validates
// (or replaces with U+FFFD) as it extracts, the record encoder uses TextEncoder, and rule literals come from the
// compiler. So decoding trusts the lead byte and never validates: that is the scanner's job, done once per value,
// not once per matcher per value.

/** Longest UTF-8 sequence: callers reserve this much when they encode one code point. */
@inline export const UTF8_MAX_BYTES: u32 = 4;

// Lead byte classes (RFC 3629, table 3-7 of the Unicode standard).
@inline const LEAD_TWO: u32 = 0xc0;
@inline export const LEAD_THREE: u32 = 0xe0;
@inline const LEAD_FOUR: u32 = 0xf0;
@inline const ASCII_LIMIT: u32 = 0x80;
@inline const CONTINUATION_TAG_MASK: u32 = 0xc0;
@inline const CONTINUATION_TAG: u32 = 0x80;
@inline export const CONTINUATION_PAYLOAD: u32 = 0x3f;
@inline export const CONTINUATION_BITS: u32 = 6;
@inline export const TWO_BYTE_PAYLOAD: u32 = 0x1f;
@inline const THREE_BYTE_PAYLOAD: u32 = 0x0f;
@inline const FOUR_BYTE_PAYLOAD: u32 = 0x07;

/** First code point needing 2, 3 and 4 bytes. */
@inline const TWO_BYTE_MIN: u32 = 0x80;
@inline const THREE_BYTE_MIN: u32 = 0x800;
@inline const FOUR_BYTE_MIN: u32 = 0x10000;

/** True for bytes 0x80-0xBF, which never begin a code point. */
@inline export function isContinuationByte(b: u32): bool {
  return (b & CONTINUATION_TAG_MASK) == CONTINUATION_TAG;
}

/** Bytes in the sequence that `lead` begins (1-4). Only meaningful for a lead byte. */
@inline export function utf8SequenceLength(lead: u32): u32 {
  if (lead < ASCII_LIMIT) return 1;
  if (lead < LEAD_THREE) return 2;
  if (lead < LEAD_FOUR) return 3;
  return 4;
}

/** Bytes UTF-8 needs for `cp`. */
@inline export function utf8EncodedLength(cp: u32): u32 {
  if (cp < TWO_BYTE_MIN) return 1;
  if (cp < THREE_BYTE_MIN) return 2;
  if (cp < FOUR_BYTE_MIN) return 3;
  return 4;
}

/** The code point whose sequence starts at `ptr` (valid UTF-8; the caller knows a whole sequence is there). */
@inline export function decodeUtf8(ptr: usize): u32 {
  const lead = <u32>load<u8>(ptr);
  if (lead < ASCII_LIMIT) return lead;
  return decodeMultiByte(ptr, lead);
}

/** The non-ASCII part of decodeUtf8, kept out of line so the ASCII case inlines small. */
export function decodeMultiByte(ptr: usize, lead: u32): u32 {
  const b1 = <u32>load<u8>(ptr, 1) & CONTINUATION_PAYLOAD;
  if (lead < LEAD_THREE) return ((lead & TWO_BYTE_PAYLOAD) << CONTINUATION_BITS) | b1;
  const b2 = <u32>load<u8>(ptr, 2) & CONTINUATION_PAYLOAD;
  if (lead < LEAD_FOUR) {
    return ((lead & THREE_BYTE_PAYLOAD) << (2 * CONTINUATION_BITS)) | (b1 << CONTINUATION_BITS) | b2;
  }
  const b3 = <u32>load<u8>(ptr, 3) & CONTINUATION_PAYLOAD;
  return (
    ((lead & FOUR_BYTE_PAYLOAD) << (3 * CONTINUATION_BITS)) |
    (b1 << (2 * CONTINUATION_BITS)) |
    (b2 << CONTINUATION_BITS) |
    b3
  );
}

/** Write `cp` as UTF-8 at `dst` (room for UTF8_MAX_BYTES); returns the byte count. */
export function encodeUtf8(cp: u32, dst: usize): u32 {
  if (cp < TWO_BYTE_MIN) {
    store<u8>(dst, <u8>cp);
    return 1;
  }
  if (cp < THREE_BYTE_MIN) {
    store<u8>(dst, <u8>(LEAD_TWO | (cp >> CONTINUATION_BITS)));
    store<u8>(dst, <u8>(CONTINUATION_TAG | (cp & CONTINUATION_PAYLOAD)), 1);
    return 2;
  }
  if (cp < FOUR_BYTE_MIN) {
    store<u8>(dst, <u8>(LEAD_THREE | (cp >> (2 * CONTINUATION_BITS))));
    store<u8>(dst, <u8>(CONTINUATION_TAG | ((cp >> CONTINUATION_BITS) & CONTINUATION_PAYLOAD)), 1);
    store<u8>(dst, <u8>(CONTINUATION_TAG | (cp & CONTINUATION_PAYLOAD)), 2);
    return 3;
  }
  store<u8>(dst, <u8>(LEAD_FOUR | (cp >> (3 * CONTINUATION_BITS))));
  store<u8>(dst, <u8>(CONTINUATION_TAG | ((cp >> (2 * CONTINUATION_BITS)) & CONTINUATION_PAYLOAD)), 1);
  store<u8>(dst, <u8>(CONTINUATION_TAG | ((cp >> CONTINUATION_BITS) & CONTINUATION_PAYLOAD)), 2);
  store<u8>(dst, <u8>(CONTINUATION_TAG | (cp & CONTINUATION_PAYLOAD)), 3);
  return 4;
}

/**
 * Offset just past `count` code points starting at byte `pos` of a `len`-byte string, or -1 when the string ends
 * first. `pos` must be a code point boundary.
 */
export function advanceCodePoints(ptr: usize, len: u32, pos: u32, count: u32): i32 {
  let p = pos;
  for (let k: u32 = 0; k < count; k++) {
    if (p >= len) return -1;
    p += utf8SequenceLength(<u32>load<u8>(ptr + <usize>p));
  }
  return <i32>p;
}

/**
 * Offset of the start of the code point `count` code points before byte `pos`, not going below `floor`, or -1 when
 * fewer than `count` code points lie in [floor, pos). `floor` and `pos` must be code point boundaries.
 */
export function retreatCodePoints(ptr: usize, floor: u32, pos: u32, count: u32): i32 {
  let p = pos;
  for (let k: u32 = 0; k < count; k++) {
    if (p <= floor) return -1;
    p--;
    // floor is a boundary, so the scan for the lead byte stops at it at the latest.
    while (isContinuationByte(<u32>load<u8>(ptr + <usize>p))) p--;
  }
  return <i32>p;
}
