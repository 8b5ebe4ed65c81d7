// Matching primitive test exports (see assembly/text/, assembly/match/, assembly/regex/): the primitives themselves,
// exported as they are, so test/match/ checks exactly the code the VM runs, plus a few loops for the benchmark.
import { regexSearch } from '../regex/pike';
import { globMatch } from '../match/glob';

export { decodeUtf8, encodeUtf8, advanceCodePoints, retreatCodePoints } from '../text/utf8';
export { foldCodePoint, foldUtf8, foldedCapacity } from '../text/fold';
export { bytesEqual, startsWith, endsWith, indexOf } from '../match/search';
export { globMatch } from '../match/glob';
export { parseIPv4, parseIPv6, cidrContains } from '../match/cidr';
export { parseDecimal } from '../match/number';
export { timePart } from '../match/date';
export { regexSearch, regexScratchBytes } from '../regex/pike';

/** Baseline for the benchmark: the plain byte-by-byte search the SIMD indexOf replaces. */
export function indexOfScalarBaseline(hay: usize, hayLen: u32, needle: usize, needleLen: u32): i32 {
  if (needleLen > hayLen) return -1;
  const last = hayLen - needleLen;
  for (let i: u32 = 0; i <= last; i++) {
    let k: u32 = 0;
    while (k < needleLen && load<u8>(hay + <usize>(i + k)) == load<u8>(needle + <usize>k)) k++;
    if (k == needleLen) return <i32>i;
  }
  return -1;
}

// Batch loops for the benchmark: the VM calls the primitives from inside WASM, so per-call boundary crossings would
// distort the figures. `values` holds `count` (ptr: u32, len: u32) pairs; each returns how many values matched.
@inline const VALUE_PAIR_BYTES: usize = 8;
@inline const VALUE_LEN_OFFSET: usize = 4;

export function regexSearchMany(program: usize, values: usize, count: u32, scratch: usize): u32 {
  let hits: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const pair = values + <usize>i * VALUE_PAIR_BYTES;
    if (regexSearch(program, <usize>load<u32>(pair), load<u32>(pair, VALUE_LEN_OFFSET), scratch)) hits++;
  }
  return hits;
}

export function globMatchMany(program: usize, values: usize, count: u32): u32 {
  let hits: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const pair = values + <usize>i * VALUE_PAIR_BYTES;
    if (globMatch(program, <usize>load<u32>(pair), load<u32>(pair, VALUE_LEN_OFFSET))) hits++;
  }
  return hits;
}
