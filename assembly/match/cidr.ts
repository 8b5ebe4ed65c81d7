// IP address text and CIDR membership over UTF-8 bytes, with exactly the grammar of src/net/ip.ts (the reference
// parses event values with it): IPv4 as four decimal octets 0-255 without leading zeros; IPv6 as RFC 4291 text with
// 1-4 hex digits per group in either case, at most one `::`, an optional dotted IPv4 tail, and in event values an
// optional non-empty `%zone` suffix that is ignored. Networks are encoded by src/compiler/encode/cidr.ts.

// ---- mirror of src/compiler/encode/cidr.ts (test/match/cidr.test.ts checks they agree) ----
@inline const CIDR_VERSION_OFFSET: usize = 0;
@inline const CIDR_PREFIX_OFFSET: usize = 1;
@inline export const CIDR_HEADER_BYTES: usize = 4;

@inline export const IPV4_BYTES: u32 = 4;
@inline export const IPV6_BYTES: u32 = 16;
@inline const IPV6_GROUPS: u32 = 8;
@inline const IPV6_GROUP_BYTES: u32 = 2;
/** With `::`, the explicit groups must leave at least one group for the `::` to stand for. */
@inline const IPV6_MAX_GROUPS_WITH_GAP: u32 = IPV6_GROUPS - 1;
/** An IPv4 tail takes the place of the last two groups. */
@inline const IPV4_TAIL_GROUPS: u32 = 2;
@inline const IPV4_TAIL_OFFSET: usize = <usize>(IPV6_BYTES - IPV4_BYTES);
@inline const IPV6_MIN_TEXT: u32 = 2;
@inline const DOUBLE_COLON_BYTES: u32 = 2;
@inline const IPV4_OCTETS: u32 = 4;
@inline const IPV4_OCTET_MAX_DIGITS: u32 = 3;
@inline const IPV4_OCTET_MAX: u32 = 255;
@inline const IPV6_GROUP_MAX_DIGITS: u32 = 4;
@inline const BITS_PER_BYTE: u32 = 8;
@inline const BYTE_MASK: u32 = 0xff;
@inline const DECIMAL_BASE: u32 = 10;
@inline const HEX_BASE: u32 = 16;
@inline const HEX_LETTER_VALUE: u32 = 10;

@inline const CHAR_DOT: u32 = 0x2e;
@inline const CHAR_COLON: u32 = 0x3a;
@inline const CHAR_PERCENT: u32 = 0x25;
@inline const CHAR_0: u32 = 0x30;
@inline const CHAR_LOWER_A: u32 = 0x61;
@inline const CHAR_UPPER_A: u32 = 0x41;
@inline const HEX_LETTER_COUNT: u32 = 6;

/** Where the value's address is parsed: static, so membership tests allocate nothing. */
const ADDRESS_SCRATCH: usize = memory.data(IPV6_BYTES);

@inline const NOT_FOUND: i32 = -1;

/** First offset in [from, end) holding byte `c`, or NOT_FOUND. */
@inline function findByte(ptr: usize, from: u32, end: u32, c: u32): i32 {
  for (let i = from; i < end; i++) if (<u32>load<u8>(ptr + <usize>i) == c) return <i32>i;
  return NOT_FOUND;
}

/** First offset in [from, end - 1) where `::` starts, or NOT_FOUND. */
function findDoubleColon(ptr: usize, from: u32, end: u32): i32 {
  for (let i = from; i + 1 < end; i++) {
    if (<u32>load<u8>(ptr + <usize>i) == CHAR_COLON && <u32>load<u8>(ptr + <usize>i + 1) == CHAR_COLON) return <i32>i;
  }
  return NOT_FOUND;
}

@inline function countByte(ptr: usize, from: u32, end: u32, c: u32): u32 {
  let n: u32 = 0;
  for (let i = from; i < end; i++) if (<u32>load<u8>(ptr + <usize>i) == c) n++;
  return n;
}

/** Hex digit value, or HEX_BASE when `c` is not a hex digit. */
@inline function hexValue(c: u32): u32 {
  const digit = c - CHAR_0;
  if (digit < DECIMAL_BASE) return digit;
  const lower = c - CHAR_LOWER_A;
  if (lower < HEX_LETTER_COUNT) return lower + HEX_LETTER_VALUE;
  const upper = c - CHAR_UPPER_A;
  if (upper < HEX_LETTER_COUNT) return upper + HEX_LETTER_VALUE;
  return HEX_BASE;
}

/** Parse dotted-quad IPv4 text (`len` bytes) into 4 bytes at `out`; false when it is not one. */
export function parseIPv4(ptr: usize, len: u32, out: usize): bool {
  let octet: u32 = 0;
  let start: u32 = 0;
  for (let i: u32 = 0; i <= len; i++) {
    if (i < len && <u32>load<u8>(ptr + <usize>i) != CHAR_DOT) continue;
    const digits = i - start;
    if (octet >= IPV4_OCTETS || digits == 0 || digits > IPV4_OCTET_MAX_DIGITS) return false;
    // No leading zeros: "0" is an octet, "01" is not (some parsers read it as octal).
    if (digits > 1 && <u32>load<u8>(ptr + <usize>start) == CHAR_0) return false;
    let value: u32 = 0;
    for (let k = start; k < i; k++) {
      const digit = <u32>load<u8>(ptr + <usize>k) - CHAR_0;
      if (digit >= DECIMAL_BASE) return false;
      value = value * DECIMAL_BASE + digit;
    }
    if (value > IPV4_OCTET_MAX) return false;
    store<u8>(out + <usize>octet, <u8>value);
    octet++;
    start = i + 1;
  }
  return octet == IPV4_OCTETS;
}

/** Groups in [from, end) separated by `:`; an empty range has none. */
@inline function groupCount(ptr: usize, from: u32, end: u32): u32 {
  return end > from ? countByte(ptr, from, end, CHAR_COLON) + 1 : 0;
}

/** Write the `:`-separated hex groups of [from, end) as big-endian words from word `index` on. */
function writeGroups(ptr: usize, from: u32, end: u32, out: usize, index: u32): bool {
  if (end <= from) return true;
  let start = from;
  let word = index;
  for (let i = from; i <= end; i++) {
    if (i < end && <u32>load<u8>(ptr + <usize>i) != CHAR_COLON) continue;
    const digits = i - start;
    if (digits == 0 || digits > IPV6_GROUP_MAX_DIGITS) return false;
    let value: u32 = 0;
    for (let k = start; k < i; k++) {
      const digit = hexValue(<u32>load<u8>(ptr + <usize>k));
      if (digit >= HEX_BASE) return false;
      value = value * HEX_BASE + digit;
    }
    // Network byte order: the group's high byte first.
    const at = out + <usize>(IPV6_GROUP_BYTES * word);
    store<u8>(at, <u8>(value >> BITS_PER_BYTE));
    store<u8>(at, <u8>(value & BYTE_MASK), 1);
    word++;
    start = i + 1;
  }
  return true;
}

/**
 * Parse IPv6 text (`len` bytes) into 16 bytes at `out`; false when it is not one. With `allowZone`, a non-empty
 * `%zone` suffix is accepted and ignored (event values); rule networks have none.
 */
export function parseIPv6(ptr: usize, len: u32, allowZone: bool, out: usize): bool {
  let end = len;
  const zone = findByte(ptr, 0, len, CHAR_PERCENT);
  if (zone != NOT_FOUND) {
    if (!allowZone || <u32>zone == len - 1) return false;
    end = <u32>zone;
  }
  if (end < IPV6_MIN_TEXT) return false;
  const gap = findDoubleColon(ptr, 0, end);
  const hasGap = gap != NOT_FOUND;
  // A second `::` may overlap the first (`:::`), hence the search from gap + 1.
  if (hasGap && findDoubleColon(ptr, <u32>gap + 1, end) != NOT_FOUND) return false;
  const headEnd = hasGap ? <u32>gap : end;
  const tailStart = hasGap ? <u32>gap + DOUBLE_COLON_BYTES : end;
  let headGroups = groupCount(ptr, 0, headEnd);
  let tailGroups = groupCount(ptr, tailStart, end);
  // The groups that may end in an IPv4 tail: those after `::`, or all of them without one.
  let listEnd = hasGap ? end : headEnd;
  const listStart = hasGap ? tailStart : 0;
  const listGroups = hasGap ? tailGroups : headGroups;
  memory.fill(out, 0, IPV6_BYTES);
  let hasV4 = false;
  if (listGroups > 0) {
    let lastStart = listStart;
    for (let i = listStart; i < listEnd; i++) if (<u32>load<u8>(ptr + <usize>i) == CHAR_COLON) lastStart = i + 1;
    if (findByte(ptr, lastStart, listEnd, CHAR_DOT) != NOT_FOUND) {
      if (!parseIPv4(ptr + <usize>lastStart, listEnd - lastStart, out + IPV4_TAIL_OFFSET)) return false;
      hasV4 = true;
      // Drop the IPv4 group (and its separator, when it is not the only group) from the hex groups.
      listEnd = lastStart > listStart ? lastStart - 1 : listStart;
      if (hasGap) tailGroups--;
      else headGroups--;
    }
  }
  const words = (hasGap ? headGroups + tailGroups : headGroups) + (hasV4 ? IPV4_TAIL_GROUPS : 0);
  if (hasGap ? words > IPV6_MAX_GROUPS_WITH_GAP : words != IPV6_GROUPS) return false;
  if (!hasGap) return writeGroups(ptr, 0, listEnd, out, 0);
  if (!writeGroups(ptr, 0, headEnd, out, 0)) return false;
  const tailIndex = IPV6_GROUPS - tailGroups - (hasV4 ? IPV4_TAIL_GROUPS : 0);
  return writeGroups(ptr, tailStart, listEnd, out, tailIndex);
}

/** Whether the address text (an event value) lies inside the encoded network. Non-IP text never does. */
export function cidrContains(network: usize, ptr: usize, len: u32): bool {
  const version = <u32>load<u8>(network, CIDR_VERSION_OFFSET);
  const prefix = <u32>load<u8>(network, CIDR_PREFIX_OFFSET);
  const address = ADDRESS_SCRATCH;
  if (version == 4) {
    if (!parseIPv4(ptr, len, address)) return false;
  } else {
    if (findByte(ptr, 0, len, CHAR_COLON) == NOT_FOUND || !parseIPv6(ptr, len, true, address)) return false;
  }
  const bytes = network + CIDR_HEADER_BYTES;
  const full = prefix / BITS_PER_BYTE;
  for (let i: u32 = 0; i < full; i++) {
    if (load<u8>(address + <usize>i) != load<u8>(bytes + <usize>i)) return false;
  }
  const rest = prefix % BITS_PER_BYTE;
  if (rest == 0) return true;
  const mask = (BYTE_MASK << (BITS_PER_BYTE - rest)) & BYTE_MASK;
  return (<u32>load<u8>(address + <usize>full) & mask) == <u32>load<u8>(bytes + <usize>full);
}
