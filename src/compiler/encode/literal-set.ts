/**
 * Literal sets: one predicate for a long OR list of literals of one shape on one field (`Image|endswith: [...200
 * names]`, `CommandLine|contains: [...1,000 emoji]`), tested in one pass over the value instead of one search per
 * literal. The VM side is `assembly/match/literal-set.ts`.
 *
 * Layout (little-endian u32 words, 4-byte aligned):
 *   0  kind (SET_EQUALS, SET_PREFIX, SET_SUFFIX, SET_CONTAINS)
 *   1  literal count
 *   2  table mask (capacity - 1)
 *   3  word offset of the hash table
 *   4  word offset of the literal directory (count entries of: byte offset, byte length, next index in chain)
 *   5  word offset of the distinct lengths (prefix/suffix), or of the short literals list (contains)
 *   6  number of distinct lengths / short literals
 *   7  byte offset of the literal bytes area
 *   8  word offset of the window map (CONTAINS with literals of 4 bytes or more; 0: none)
 *   9  window map shift (the map has 2^(32 - shift) bits, indexed by the window's multiplicative hash >>> shift)
 *   then the table (capacity entries of 2 words: key, first literal of its chain + 1, 0 = empty), the directory
 *   (each entry's third word links to the next literal with the same key, + 1), the lengths (ascending) or short
 *   list, the window map, and the literal bytes.
 * Table keys (all length-salted FNV-1a, see setKey): EQUALS hashes the literal; PREFIX hashes it forward and SUFFIX
 * backward (last byte first), so the VM hashes every prefix or suffix of a value in one pass, one byte at a time;
 * CONTAINS keys literals of 4 or more bytes by their first 4 bytes (the scan reads each 4-byte window of the value,
 * skipping most with one bit test of the window map) and lists shorter literals apart (searched one by one). Every
 * key hit is verified byte for byte, so the predicate is exact.
 */
import { utf8Length } from '../../text/utf8.js';
import { tableIndex } from '../prefilter.js';

export const SET_EQUALS = 1;
export const SET_PREFIX = 2;
export const SET_SUFFIX = 3;
export const SET_CONTAINS = 4;
export const SET_HEADER_WORDS = 10;
export const SET_DIRECTORY_WORDS = 3;
export const SET_WINDOW = 4;
export const SET_TABLE_ENTRY_WORDS = 2;
/** Lists shorter than this stay individual predicates: one search each is as cheap as a table. */
export const MIN_SET_SIZE = 4;

export type LiteralSetKind = typeof SET_EQUALS | typeof SET_PREFIX | typeof SET_SUFFIX | typeof SET_CONTAINS;

const utf8 = new TextEncoder();

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const GOLDEN = 0x9e3779b1;
/**
 * CONTAINS sets with at least this many literals of 4+ bytes get a window map: every one that has such a literal.
 * Without a map each position of the value probes the table; with it, one bit test (windows rules: +4-5% with maps
 * on the small sets too, for 128 bytes each).
 */
const WINDOW_MAP_MIN_LITERALS = 1;
const WINDOW_MAP_BITS_PER_LITERAL = 16;
const WINDOW_MAP_MIN_BITS = 1 << 10;
const WINDOW_MAP_MAX_BITS = 1 << 18;

/** FNV-1a of `length` bytes at `start`, in the given direction, with the length mixed in. */
export function setKey(bytes: Uint8Array, backward: boolean, start = 0, length = bytes.length): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[backward ? start + length - 1 - i : start + i], FNV_PRIME);
  return (h ^ Math.imul(length, GOLDEN)) >>> 0;
}

function windowKey(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * Encode a set of distinct literals (already folded when the predicate is case-insensitive). The literals are
 * written straight into the set's bytes area: a set may hold 100,000 of them, and one array each would cost more
 * than the set.
 */
export function encodeLiteralSet(kind: LiteralSetKind, literals: readonly string[]): Uint8Array {
  const distinct = [...new Set(literals)];
  const lengths = distinct.map((l) => utf8Length(l));
  const tabled: number[] = [];
  const apart: number[] = [];
  lengths.forEach((n, i) => {
    if (kind === SET_CONTAINS && n < SET_WINDOW) apart.push(i);
    else tabled.push(i);
  });
  let capacity = 4;
  while (capacity < tabled.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const distinctLengths = kind === SET_PREFIX || kind === SET_SUFFIX ? [...new Set(lengths)].sort((a, b) => a - b) : [];
  const side = kind === SET_CONTAINS ? apart : distinctLengths;

  let mapBits = 0;
  if (kind === SET_CONTAINS && tabled.length >= WINDOW_MAP_MIN_LITERALS) {
    mapBits = WINDOW_MAP_MIN_BITS;
    while (mapBits < tabled.length * WINDOW_MAP_BITS_PER_LITERAL && mapBits < WINDOW_MAP_MAX_BITS) mapBits *= 2;
  }
  const mapShift = mapBits ? 32 - Math.log2(mapBits) : 0;
  const tableAt = SET_HEADER_WORDS;
  const directoryAt = tableAt + capacity * SET_TABLE_ENTRY_WORDS;
  const sideAt = directoryAt + distinct.length * SET_DIRECTORY_WORDS;
  const mapAt = mapBits ? sideAt + side.length : 0;
  const bytesAt = (sideAt + side.length + mapBits / 32) * 4;
  const totalBytes = lengths.reduce((n, b) => n + b, 0);
  const out = new Uint8Array((bytesAt + totalBytes + 3) & ~3);
  const words = new Uint32Array(out.buffer, 0, bytesAt / 4);
  words.set([kind, distinct.length, mask, tableAt, directoryAt, sideAt, side.length, bytesAt, mapAt, mapShift], 0);
  // All literals in one encoding; a lone surrogate at the end of one and the start of the next would pair up in the
  // joined text (and change the length), so then each is encoded on its own.
  const joined = utf8.encode(distinct.join(''));
  if (joined.length === totalBytes) out.set(joined, bytesAt);
  let at = bytesAt;
  distinct.forEach((literal, i) => {
    if (joined.length !== totalBytes) utf8.encodeInto(literal, out.subarray(at, at + lengths[i]));
    words[directoryAt + i * SET_DIRECTORY_WORDS] = at;
    words[directoryAt + i * SET_DIRECTORY_WORDS + 1] = lengths[i];
    at += lengths[i];
  });
  for (const i of tabled) {
    const start = words[directoryAt + i * SET_DIRECTORY_WORDS];
    const key = kind === SET_CONTAINS ? windowKey(out, start) : setKey(out, kind === SET_SUFFIX, start, lengths[i]);
    if (mapBits) {
      const bit = Math.imul(key, GOLDEN) >>> mapShift;
      words[mapAt + (bit >>> 5)] |= 1 << (bit & 31);
    }
    let slot = tableIndex(key, mask);
    for (;;) {
      const entry = tableAt + slot * SET_TABLE_ENTRY_WORDS;
      const head = words[entry + 1];
      if (head === 0) {
        words[entry] = key;
        words[entry + 1] = i + 1;
        break;
      }
      if (words[entry] === key) {
        // Same key: link into the chain after its first literal.
        const first = directoryAt + (head - 1) * SET_DIRECTORY_WORDS;
        words[directoryAt + i * SET_DIRECTORY_WORDS + 2] = words[first + 2];
        words[first + 2] = i + 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  side.forEach((v, k) => (words[sideAt + k] = v));
  return out;
}
