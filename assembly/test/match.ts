// Matching primitive test exports (see assembly/text/, assembly/match/, assembly/regex/): the primitives themselves,
// exported as they are, so test/match/ checks exactly the code the VM runs.
export { decodeUtf8, encodeUtf8, advanceCodePoints, retreatCodePoints } from '../text/utf8';
export { foldCodePoint, foldUtf8, foldedCapacity } from '../text/fold';
export { bytesEqual, startsWith, endsWith, indexOf } from '../match/search';
export { globMatch } from '../match/glob';
export { parseIPv4, parseIPv6, cidrContains } from '../match/cidr';
export { parseDecimal } from '../match/number';
export { timePart } from '../match/date';
export { regexSearch, regexScratchBytes } from '../regex/pike';

/**
 * Baseline for the benchmark (bench script, not the VM): the plain byte-by-byte search the SIMD indexOf replaces.
 */
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
