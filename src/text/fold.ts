/**
 * Case folding shared by every engine, per code point, from a generated table (not the host's ICU) so the reference
 * evaluator and the WASM VM agree on every input: a code point lowers to what `String.prototype.toLowerCase` gives
 * for it when that is exactly one code point, and stays itself otherwise (U+0130 İ, whose full lowercase is two code
 * points, stays İ). No normalisation, no multi-character folds (straße is not strasse).
 */
import { CASEFOLD_RUNS, CASEFOLD_RUN_COUNT } from './casefold-table.js';

const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_UPPER_A = 0x41;
const ASCII_UPPER_Z = 0x5a;
const ASCII_CASE_BIT = 0x20;

/** Lowercase one code point (identity where Unicode has no one-to-one lowercase mapping). */
export function foldCodePoint(cp: number): number {
  if (cp < 0x80) return cp >= ASCII_UPPER_A && cp <= ASCII_UPPER_Z ? cp | ASCII_CASE_BIT : cp;
  let lo = 0;
  let hi = CASEFOLD_RUN_COUNT - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const base = mid * 4;
    const start = CASEFOLD_RUNS[base];
    const end = CASEFOLD_RUNS[base + 1];
    if (cp < start) hi = mid - 1;
    else if (cp > end) lo = mid + 1;
    else {
      const stride = CASEFOLD_RUNS[base + 3];
      return (cp - start) % stride === 0 ? cp + CASEFOLD_RUNS[base + 2] : cp;
    }
  }
  return cp;
}

/** Lowercase a string per code point. ASCII-only strings take the host's fast path, which is identical for ASCII. */
export function foldString(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const folded = foldCodePoint(cp);
    out += folded === cp ? ch : String.fromCodePoint(folded);
  }
  return out;
}

/**
 * Event strings as every engine sees them: lone UTF-16 surrogates become U+FFFD, exactly as UTF-8 encoding
 * (TextEncoder) does on the way into WASM memory.
 */
export function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}
