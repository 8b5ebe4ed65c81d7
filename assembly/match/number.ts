// Decimal text to f64, correctly rounded (round to nearest, ties to even), for the numeric comparison modifiers.
// Equal to numericValue of src/eval/scalars.ts on strings: the DECIMAL grammar there (optional sign, digits with an
// optional fraction, or a fraction alone, optional exponent; no whitespace, hex or "Infinity"), then Number(), with
// non-finite results rejected.
//
// Two paths. Clinger's fast path covers what logs mostly hold: a significand of at most 2^53 and a power of ten that
// is exact in f64, so one IEEE multiplication or division rounds once and correctly. Everything else goes through
// exact big-integer arithmetic: value = D * 10^e = D * 5^e * 2^e; the 5^e part is multiplied into D (e >= 0) or
// divided out (e < 0) to a 64-bit quotient plus a sticky bit, which is then rounded to the double's precision.
// Significands longer than MAX_DIGITS are truncated there with a sticky digit: a double's halfway points need at
// most 768 significant digits, so the truncation keeps every comparison with them exact.
//
// The big integers live in static memory (no allocation): at most about 2,700 bits are ever needed (a MAX_DIGITS + 1
// digit significand, or 5^1124 for the smallest values that do not round to zero, each shifted by 63 bits).

@inline const CHAR_0: u32 = 0x30;
@inline const CHAR_PLUS: u32 = 0x2b;
@inline const CHAR_MINUS: u32 = 0x2d;
@inline const CHAR_DOT: u32 = 0x2e;
@inline const CHAR_LOWER_E: u32 = 0x65;
@inline const CHAR_UPPER_E: u32 = 0x45;
@inline const DECIMAL_BASE: u32 = 10;

/** Exponents are saturated here: far beyond any digit count a 4 GiB value can hold, so the result is unchanged. */
@inline const EXPONENT_LIMIT: i64 = 1 << 40;
/** Values >= 10^309 overflow to Infinity (DBL_MAX is about 1.8e308). */
@inline const MAX_DECIMAL_EXPONENT: i64 = 308;
/** Values < 10^-324 are below half the smallest subnormal (2^-1075, about 2.47e-324) and round to zero. */
@inline const MIN_DECIMAL_EXPONENT: i64 = -324;

// ---- Clinger's fast path ----
/** Significands up to 19 digits are accumulated in a u64; up to 2^53 they are exact in f64. */
@inline const FAST_DIGITS: u32 = 19;
@inline const MAX_EXACT_INTEGER: u64 = 1 << 53;
/** 10^0 .. 10^22 are exact in f64 (5^22 < 2^53). */
@inline const MAX_EXACT_POW10: i64 = 22;
/** Digits an f64 integer always holds exactly (10^15 < 2^53), for moving powers of ten into the significand. */
@inline const EXACT_DIGITS: i64 = 15;
const POW10: usize = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
]);
const POW10_U64: usize = memory.data<u64>([
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
  1000000000000, 10000000000000, 100000000000000, 1000000000000000,
]);

// ---- exact path ----
/** Significant digits kept; a double's halfway points have at most 768 (see the header). */
@inline const MAX_DIGITS: u32 = 800;
@inline const LIMB_BITS: u32 = 32;
@inline const LIMB_BYTES: usize = 4;
@inline const BIG_LIMBS: u32 = 128;
/** Digits folded into the big integer per multiply-add (10^9 < 2^32). */
@inline const DIGITS_PER_CHUNK: u32 = 9;
/** The largest power of five below 2^32 is 5^13, so 5^e is multiplied in steps of 13. */
@inline const POW5_STEP: i64 = 13;
const POW5_U32: usize = memory.data<u32>([
  1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125,
]);
/** The quotient is made to have 63-64 bits: 53 for the significand, the rest for rounding. */
@inline const QUOTIENT_BITS: u32 = 63;

// ---- IEEE 754 binary64 ----
@inline const SIGNIFICAND_BITS: i64 = 53;
@inline const STORED_SIGNIFICAND_BITS: u64 = 52;
@inline const HIDDEN_BIT: u64 = 1 << 52;
@inline const EXPONENT_BIAS: i64 = 1023;
@inline const MAX_BIASED_EXPONENT: i64 = 2046;
/** Exponent of the subnormals' unit in the last place: 2^-1074. */
@inline const MIN_EXPONENT: i64 = -1074;
@inline const U64_BITS: i64 = 64;

const NUM: usize = memory.data(<i32>(BIG_LIMBS * <u32>LIMB_BYTES));
const DEN: usize = memory.data(<i32>(BIG_LIMBS * <u32>LIMB_BYTES));

@inline function isDigit(c: u32): bool {
  return c - CHAR_0 < DECIMAL_BASE;
}

@inline function signed(value: f64, negative: bool): f64 {
  return negative ? -value : value;
}

/**
 * The number `len` bytes at `ptr` spell, or NaN when they are not a DECIMAL literal or the value is not finite.
 * A negative zero is returned as -0 (as Number("-0") is).
 */
export function parseDecimal(ptr: usize, len: u32): f64 {
  let i: u32 = 0;
  let negative = false;
  if (len > 0) {
    const c = <u32>load<u8>(ptr);
    if (c == CHAR_PLUS || c == CHAR_MINUS) {
      negative = c == CHAR_MINUS;
      i = 1;
    }
  }
  const intStart = i;
  while (i < len && isDigit(<u32>load<u8>(ptr + <usize>i))) i++;
  const intDigits = i - intStart;
  let fracStart = i;
  let fracDigits: u32 = 0;
  if (i < len && <u32>load<u8>(ptr + <usize>i) == CHAR_DOT) {
    i++;
    fracStart = i;
    while (i < len && isDigit(<u32>load<u8>(ptr + <usize>i))) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits == 0) return NaN;
  let exponent: i64 = 0;
  if (i < len) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if (c == CHAR_LOWER_E || c == CHAR_UPPER_E) {
      i++;
      let exponentNegative = false;
      if (i < len) {
        const s = <u32>load<u8>(ptr + <usize>i);
        if (s == CHAR_PLUS || s == CHAR_MINUS) {
          exponentNegative = s == CHAR_MINUS;
          i++;
        }
      }
      const exponentStart = i;
      while (i < len) {
        const digit = <u32>load<u8>(ptr + <usize>i) - CHAR_0;
        if (digit >= DECIMAL_BASE) break;
        exponent = min(exponent * DECIMAL_BASE + digit, EXPONENT_LIMIT);
        i++;
      }
      if (i == exponentStart) return NaN;
      if (exponentNegative) exponent = -exponent;
    }
  }
  if (i != len) return NaN;

  // Digits are numbered 0..total-1 across the integer and fraction parts, skipping the point.
  const total = intDigits + fracDigits;
  let first: u32 = 0;
  while (first < total && digitAt(ptr, intStart, intDigits, fracStart, first) == 0) first++;
  if (first == total) return signed(0, negative);
  let last = total - 1;
  while (digitAt(ptr, intStart, intDigits, fracStart, last) == 0) last--;
  const count = last - first + 1;
  // value = D * 10^e, D the integer spelled by digits first..last.
  const e: i64 = exponent + <i64>intDigits - 1 - <i64>last;
  // D has `count` digits, so value lies in [10^(e + count - 1), 10^(e + count)).
  if (e + <i64>count - 1 > MAX_DECIMAL_EXPONENT) return NaN;
  if (e + <i64>count <= MIN_DECIMAL_EXPONENT) return signed(0, negative);

  if (count <= FAST_DIGITS) {
    let w: u64 = 0;
    for (let k = first; k <= last; k++) w = w * DECIMAL_BASE + digitAt(ptr, intStart, intDigits, fracStart, k);
    if (w <= MAX_EXACT_INTEGER) {
      const x = <f64>w;
      if (e >= 0 && e <= MAX_EXACT_POW10) return signed(x * load<f64>(POW10 + <usize>e * sizeof<f64>()), negative);
      if (e < 0 && -e <= MAX_EXACT_POW10) return signed(x / load<f64>(POW10 + <usize>(-e) * sizeof<f64>()), negative);
      // 123e25 = 123000e22: move powers of ten into the significand while it stays below 10^15 (exact).
      const moved = e - MAX_EXACT_POW10;
      if (moved > 0 && <i64>count + moved <= EXACT_DIGITS) {
        const scaled = <f64>(w * load<u64>(POW10_U64 + <usize>moved * sizeof<u64>()));
        return signed(scaled * load<f64>(POW10 + <usize>MAX_EXACT_POW10 * sizeof<f64>()), negative);
      }
    }
  }
  return signed(parseExact(ptr, intStart, intDigits, fracStart, first, last, e), negative);
}

@inline function digitAt(ptr: usize, intStart: u32, intDigits: u32, fracStart: u32, k: u32): u32 {
  const at = k < intDigits ? intStart + k : fracStart + (k - intDigits);
  return <u32>load<u8>(ptr + <usize>at) - CHAR_0;
}

/** The exact path: |value| correctly rounded, or NaN on overflow. */
function parseExact(ptr: usize, intStart: u32, intDigits: u32, fracStart: u32, first: u32, last: u32, e: i64): f64 {
  const count = last - first + 1;
  const kept = min(count, MAX_DIGITS);
  let numLen: u32 = 0;
  let k = first;
  const keptEnd = first + kept;
  while (k < keptEnd) {
    const chunkEnd = min(k + DIGITS_PER_CHUNK, keptEnd);
    let chunk: u32 = 0;
    let scale: u32 = 1;
    for (; k < chunkEnd; k++) {
      chunk = chunk * DECIMAL_BASE + digitAt(ptr, intStart, intDigits, fracStart, k);
      scale *= DECIMAL_BASE;
    }
    numLen = bigMulAdd(NUM, numLen, scale, chunk);
  }
  let decimalExponent = e;
  if (count > MAX_DIGITS) {
    // The dropped digits include `last`, which is non-zero: a trailing 1 stands for "something more".
    numLen = bigMulAdd(NUM, numLen, DECIMAL_BASE, 1);
    decimalExponent = e + <i64>(count - MAX_DIGITS) - 1;
  }
  // value = NUM / DEN * 2^binaryExponent
  let binaryExponent = decimalExponent;
  let denLen: u32 = bigMulAdd(DEN, 0, 1, 1); // DEN = 1
  if (decimalExponent >= 0) numLen = bigMulPow5(NUM, numLen, decimalExponent);
  else denLen = bigMulPow5(DEN, denLen, -decimalExponent);
  // Scale so that NUM has QUOTIENT_BITS more bits than DEN: the quotient then lies in [2^62, 2^64).
  const numBits = <i64>bitLength(NUM, numLen);
  const denBits = <i64>bitLength(DEN, denLen);
  const excess = numBits - denBits - <i64>QUOTIENT_BITS;
  if (excess < 0) {
    numLen = bigShiftLeft(NUM, numLen, <u32>-excess);
    binaryExponent += excess;
  } else if (excess > 0) {
    denLen = bigShiftLeft(DEN, denLen, <u32>excess);
    binaryExponent += excess;
  }
  // Restoring division, one quotient bit per step, against DEN << bit.
  denLen = bigShiftLeft(DEN, denLen, QUOTIENT_BITS);
  let q: u64 = 0;
  for (let bit = <i32>QUOTIENT_BITS; bit >= 0; bit--) {
    if (bigCompare(NUM, numLen, DEN, denLen) >= 0) {
      numLen = bigSubtract(NUM, numLen, DEN, denLen);
      q |= (<u64>1) << <u64>bit;
    }
    denLen = bigShiftRightOne(DEN, denLen);
  }
  return roundToDouble(q, numLen != 0, binaryExponent);
}

/** (q + fraction) * 2^exponent rounded to nearest-even, where `sticky` says the fraction is non-zero; NaN on overflow. */
function roundToDouble(q: u64, sticky: bool, exponent: i64): f64 {
  const bits = U64_BITS - <i64>clz(q);
  // Keep 53 bits, or fewer where the value is subnormal (its last place is 2^-1074 whatever its size).
  const drop = max(bits - SIGNIFICAND_BITS, MIN_EXPONENT - exponent);
  // More than 64 dropped bits: the value is below 2^-1075, half the smallest subnormal.
  if (drop > U64_BITS) return 0;
  let m: u64;
  let rest: u64;
  if (drop == U64_BITS) {
    m = 0;
    rest = q;
  } else {
    m = q >> <u64>drop;
    rest = q & (((<u64>1) << <u64>drop) - 1);
  }
  const half = (<u64>1) << <u64>(drop - 1);
  if (rest > half || (rest == half && (sticky || (m & 1) != 0))) m++;
  let e2 = exponent + drop;
  if (m == HIDDEN_BIT << 1) {
    m = HIDDEN_BIT;
    e2++;
  }
  if (m == 0) return 0;
  if (m < HIDDEN_BIT) return reinterpret<f64>(m); // subnormal: e2 is MIN_EXPONENT, the exponent field 0
  const biased = e2 + <i64>STORED_SIGNIFICAND_BITS + EXPONENT_BIAS;
  if (biased > MAX_BIASED_EXPONENT) return NaN;
  return reinterpret<f64>(((<u64>biased) << STORED_SIGNIFICAND_BITS) | (m & (HIDDEN_BIT - 1)));
}

// ---- big integers: little-endian u32 limbs in static buffers; lengths carry no leading zero limbs ----

@inline function limb(big: usize, i: u32): u32 {
  return load<u32>(big + <usize>i * LIMB_BYTES);
}

@inline function setLimb(big: usize, i: u32, value: u32): void {
  store<u32>(big + <usize>i * LIMB_BYTES, value);
}

/** big = big * mul + add; returns the new length. */
function bigMulAdd(big: usize, len: u32, mul: u32, add: u32): u32 {
  let carry: u64 = add;
  for (let i: u32 = 0; i < len; i++) {
    const t = <u64>limb(big, i) * <u64>mul + carry;
    setLimb(big, i, <u32>t);
    carry = t >> LIMB_BITS;
  }
  if (carry != 0) {
    setLimb(big, len, <u32>carry);
    return len + 1;
  }
  return len;
}

function bigMulPow5(big: usize, len: u32, exponent: i64): u32 {
  let n = len;
  let rest = exponent;
  const step = load<u32>(POW5_U32 + <usize>POW5_STEP * sizeof<u32>());
  while (rest >= POW5_STEP) {
    n = bigMulAdd(big, n, step, 0);
    rest -= POW5_STEP;
  }
  if (rest > 0) n = bigMulAdd(big, n, load<u32>(POW5_U32 + <usize>rest * sizeof<u32>()), 0);
  return n;
}

function bitLength(big: usize, len: u32): u32 {
  if (len == 0) return 0;
  return len * LIMB_BITS - <u32>clz(limb(big, len - 1));
}

function bigShiftLeft(big: usize, len: u32, shift: u32): u32 {
  if (len == 0) return 0;
  const limbs = shift / LIMB_BITS;
  const bits = shift % LIMB_BITS;
  let n = len + limbs;
  if (bits == 0) {
    for (let i = <i32>len - 1; i >= 0; i--) setLimb(big, <u32>i + limbs, limb(big, <u32>i));
  } else {
    const top = limb(big, len - 1) >> (LIMB_BITS - bits);
    for (let i = <i32>len - 1; i > 0; i--) {
      setLimb(big, <u32>i + limbs, (limb(big, <u32>i) << bits) | (limb(big, <u32>i - 1) >> (LIMB_BITS - bits)));
    }
    setLimb(big, limbs, limb(big, 0) << bits);
    if (top != 0) {
      setLimb(big, n, top);
      n++;
    }
  }
  for (let i: u32 = 0; i < limbs; i++) setLimb(big, i, 0);
  return n;
}

function bigShiftRightOne(big: usize, len: u32): u32 {
  if (len == 0) return 0;
  for (let i: u32 = 0; i + 1 < len; i++) setLimb(big, i, (limb(big, i) >> 1) | (limb(big, i + 1) << (LIMB_BITS - 1)));
  const top = limb(big, len - 1) >> 1;
  setLimb(big, len - 1, top);
  return top == 0 ? len - 1 : len;
}

function bigCompare(a: usize, aLen: u32, b: usize, bLen: u32): i32 {
  if (aLen != bLen) return aLen > bLen ? 1 : -1;
  for (let i = <i32>aLen - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x > y ? 1 : -1;
  }
  return 0;
}

/** a = a - b for a >= b; returns the new length. */
function bigSubtract(a: usize, aLen: u32, b: usize, bLen: u32): u32 {
  let borrow: u64 = 0;
  for (let i: u32 = 0; i < aLen; i++) {
    const t = <u64>limb(a, i) - (i < bLen ? <u64>limb(b, i) : 0) - borrow;
    setLimb(a, i, <u32>t);
    borrow = (t >> LIMB_BITS) & 1;
  }
  let n = aLen;
  while (n > 0 && limb(a, n - 1) == 0) n--;
  return n;
}
