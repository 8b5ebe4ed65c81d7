// Skipping a JSON value without extracting anything, still validating it exactly as JSON.parse would (the record's
// validity decides whether it is an event). Strings go by vector search; nesting is tracked one bit per level
// (object or array), so any depth can be skipped: levels below REGISTER_LEVELS live in a register, deeper ones in
// the scratch bit stack, and past that in arena space borrowed for the skip (given back when it ends).
import { arenaAlloc, arenaShrinkTo } from '../store/values';
import {
  CH_0, CH_9, CH_COLON, CH_COMMA, CH_F_LOWER, CH_LBRACE, CH_LBRACKET, CH_MINUS, CH_N_LOWER, CH_QUOTE, CH_RBRACE,
  CH_RBRACKET, CH_T_LOWER, P_OK,
} from './constants';
import { byteAt, fail, failArena, gEnd, gErr, scanLiteral, scanNumber, skipString, skipWs } from './lexer';
import { SKIP_SCRATCH_BITS, skipBits } from './scratch';

@inline const REGISTER_LEVELS: u32 = 64;
@inline const BITS_PER_BYTE: u32 = 8;
@inline const BIT_INDEX_MASK: u32 = 7;
@inline const BYTE_INDEX_SHIFT: u32 = 3;

/** Skip `"key"`, the colon and the whitespace around it; p is at the key's opening quote. Returns the value's start. */
@inline export function skipKey(p: usize): usize {
  if (p >= gEnd || byteAt(p) != CH_QUOTE) return fail(p);
  p = skipWs(skipString(p + 1));
  if (gErr != P_OK) return p;
  if (p >= gEnd || byteAt(p) != CH_COLON) return fail(p);
  return skipWs(p + 1);
}

/** Skip the JSON value starting at p (not whitespace); returns the position after it. */
export function skipValue(p: usize): usize {
  let depth: u32 = 0;
  let low: u64 = 0; // bit i set: level i (< REGISTER_LEVELS) is an object
  let bits = skipBits; // levels from REGISTER_LEVELS on
  let capacity = SKIP_SCRATCH_BITS;
  let borrowed: usize = 0;
  let expectValue = true;
  while (true) {
    if (expectValue) {
      if (p >= gEnd) {
        p = fail(p);
        break;
      }
      let c = byteAt(p);
      if (c == CH_QUOTE) p = skipString(p + 1);
      else if (c == CH_LBRACE || c == CH_LBRACKET) {
        let object = c == CH_LBRACE;
        if (depth < REGISTER_LEVELS) {
          if (object) low |= (<u64>1) << depth;
          else low &= ~((<u64>1) << depth);
        } else {
          let level = depth - REGISTER_LEVELS;
          if (level >= capacity) {
            // The depth cannot grow by more than one level per remaining byte: borrow that much at once.
            let needBits = <usize>level + (gEnd - p) + 1;
            let needBytes = (needBits + BITS_PER_BYTE - 1) >> BYTE_INDEX_SHIFT;
            let area = needBytes <= <usize>u32.MAX_VALUE ? arenaAlloc(<u32>needBytes) : 0;
            if (area == 0) {
              failArena(needBytes);
              break;
            }
            memory.copy(area, bits, <usize>(capacity >> BYTE_INDEX_SHIFT));
            bits = area;
            borrowed = area;
            capacity = <u32>(needBytes << BYTE_INDEX_SHIFT);
          }
          let at = bits + <usize>(level >> BYTE_INDEX_SHIFT);
          let mask = <u8>(<u32>1 << (level & BIT_INDEX_MASK));
          store<u8>(at, object ? load<u8>(at) | mask : load<u8>(at) & ~mask);
        }
        depth++;
        p = skipWs(p + 1);
        if (p >= gEnd) {
          p = fail(p);
          break;
        }
        c = byteAt(p);
        if (c == (object ? CH_RBRACE : CH_RBRACKET)) {
          p++;
          depth--;
          expectValue = false;
        } else if (object) p = skipKey(p);
        if (gErr != P_OK) break;
        continue;
      } else if (c == CH_MINUS || c - CH_0 <= CH_9 - CH_0) p = scanNumber(p);
      else if (c == CH_T_LOWER || c == CH_F_LOWER || c == CH_N_LOWER) p = scanLiteral(p);
      else p = fail(p);
      if (gErr != P_OK) break;
      expectValue = false;
      continue;
    }
    // After a value: close containers, or go on to the next element or member.
    if (depth == 0) break;
    p = skipWs(p);
    if (p >= gEnd) {
      p = fail(p);
      break;
    }
    let c = byteAt(p);
    let level = depth - 1;
    let object: bool;
    if (level < REGISTER_LEVELS) object = ((low >> level) & 1) != 0;
    else {
      let deep = level - REGISTER_LEVELS;
      object = ((<u32>load<u8>(bits + <usize>(deep >> BYTE_INDEX_SHIFT)) >> (deep & BIT_INDEX_MASK)) & 1) != 0;
    }
    if (c == CH_COMMA) {
      p = skipWs(p + 1);
      if (object) p = skipKey(p);
      if (gErr != P_OK) break;
      expectValue = true;
    } else if (c == (object ? CH_RBRACE : CH_RBRACKET)) {
      p++;
      depth--;
    } else {
      p = fail(p);
      break;
    }
  }
  if (borrowed != 0) arenaShrinkTo(borrowed);
  return p;
}
