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
 *   then the table (capacity entries of 2 words: key, first literal of its chain + 1, 0 = empty), the directory
 *   (each entry's third word links to the next literal with the same key, + 1), the lengths or short list, and the
 *   literal bytes.
 * Table keys: EQUALS/PREFIX/SUFFIX hash the literal's bytes (FNV-1a, length-salted); CONTAINS keys literals of 4 or
 * more bytes by their first 4 bytes (the scan reads each 4-byte window of the value), and lists shorter literals
 * apart (searched one by one). Every key hit is verified byte for byte, so the predicate is exact.
 */
import { fnv1a, tableIndex } from '../prefilter.js';

export const SET_EQUALS = 1;
export const SET_PREFIX = 2;
export const SET_SUFFIX = 3;
export const SET_CONTAINS = 4;
export const SET_HEADER_WORDS = 8;
export const SET_DIRECTORY_WORDS = 3;
export const SET_WINDOW = 4;
export const SET_TABLE_ENTRY_WORDS = 2;
/** Lists shorter than this stay individual predicates: one search each is as cheap as a table. */
export const MIN_SET_SIZE = 4;

export type LiteralSetKind = typeof SET_EQUALS | typeof SET_PREFIX | typeof SET_SUFFIX | typeof SET_CONTAINS;

const utf8 = new TextEncoder();

/** Hash of a literal for EQUALS/PREFIX/SUFFIX tables: FNV-1a with the length mixed in. */
export function lengthSaltedHash(bytes: Uint8Array): number {
  return (fnv1a(bytes) ^ Math.imul(bytes.length, 0x9e3779b1)) >>> 0;
}

function windowKey(bytes: Uint8Array): number {
  return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
}

/** Encode a set of distinct literals (already folded when the predicate is case-insensitive). */
export function encodeLiteralSet(kind: LiteralSetKind, literals: readonly string[]): Uint8Array {
  const encoded = [...new Set(literals)].map((l) => utf8.encode(l));
  const tabled: number[] = [];
  const apart: number[] = [];
  encoded.forEach((b, i) => {
    if (kind === SET_CONTAINS && b.length < SET_WINDOW) apart.push(i);
    else tabled.push(i);
  });
  let capacity = 4;
  while (capacity < tabled.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const lengths = kind === SET_PREFIX || kind === SET_SUFFIX ? [...new Set(encoded.map((b) => b.length))].sort((a, b) => a - b) : [];
  const side = kind === SET_CONTAINS ? apart : lengths;

  const tableAt = SET_HEADER_WORDS;
  const directoryAt = tableAt + capacity * SET_TABLE_ENTRY_WORDS;
  const sideAt = directoryAt + encoded.length * SET_DIRECTORY_WORDS;
  const bytesAt = (sideAt + side.length) * 4;
  const totalBytes = encoded.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array((bytesAt + totalBytes + 3) & ~3);
  const words = new Uint32Array(out.buffer, 0, bytesAt / 4);
  words.set([kind, encoded.length, mask, tableAt, directoryAt, sideAt, side.length, bytesAt], 0);
  let at = bytesAt;
  encoded.forEach((b, i) => {
    out.set(b, at);
    words[directoryAt + i * SET_DIRECTORY_WORDS] = at;
    words[directoryAt + i * SET_DIRECTORY_WORDS + 1] = b.length;
    at += b.length;
  });
  for (const i of tabled) {
    const b = encoded[i];
    const key = kind === SET_CONTAINS ? windowKey(b) : lengthSaltedHash(b);
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
