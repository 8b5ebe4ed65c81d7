/**
 * parseDecimal against numericValue of src/eval/scalars.ts (the DECIMAL grammar, then Number(), non-finite
 * rejected): named grammar and rounding cases, exact halfway points between adjacent doubles (and the decimals just
 * above and below them, and ties decided only by a digit far beyond MAX_DIGITS), subnormals, overflow, and millions
 * of random decimal strings. Results are compared with Object.is, so -0 and 0 are told apart; NaN stands for null.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { numericValue } from '../../src/eval/scalars.js';
import { InputSlot, loadMatchVm, Rng, type MatchVm } from './support.js';

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

const reference = (s: string): number => numericValue(s) ?? NaN;

function check(s: string): void {
  const got = m.parseDecimal(s);
  const want = reference(s);
  if (!Object.is(got, want)) expect(got, JSON.stringify(s.length > 200 ? `${s.slice(0, 100)}...(${s.length})` : s)).toBe(want);
}

const NAMED: readonly string[] = [
  '', '-', '+', '.', '-.', 'e5', '1e', '1e+', '1e-', '1.2.3', ' 1', '1 ', '0x10', 'Infinity', '-Infinity', 'NaN', '1_000',
  '١', '1,5', '--1', '+-1', '1e5.5', '1ee5', '.e1',
  '0', '-0', '+0', '0.0', '-0.000', '00', '007', '1', '-1', '1.', '.5', '-.5', '+.5e1', '1.e5', '1e5', '1E+5', '1e-5',
  '0.1', '0.2', '0.3', '0.30000000000000004', '123.456', '3.141592653589793', '2.718281828459045235360287',
  '9007199254740992', '9007199254740993', '9007199254740994', '9007199254740995', '18014398509481985',
  '123456789012345678901234567890', '1e22', '1e23', '1.5e22', '123e25', '123456789012345e22', '1234567890123456e22',
  '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '1e308', '1e309', '-1e309',
  '179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999',
  '2.2250738585072011e-308', '2.2250738585072012e-308', '2.2250738585072014e-308', '4.9e-324', '5e-324', '3e-324',
  '2.4703282292062327e-324', '2.4703282292062328e-324', '2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324',
  '1e-400', '-1e-400', '0e999999999999999999', '1e-99999999999999999999', '1e99999999999999999999',
  '0.000000000000000000000000000000000000000000001e45', '1' + '0'.repeat(400) + 'e-400', '0.' + '0'.repeat(400) + '1e400',
  '1' + '0'.repeat(1000) + '1e-1000', '9'.repeat(800), '9'.repeat(900) + 'e-600', '4' + '9'.repeat(2000) + 'e-2000',
  // The largest big integers: a truncated significand divided by 5^1124, and an untruncated one by 5^1123.
  '9'.repeat(801) + 'e-1124', '9'.repeat(900) + 'e-1223', '1'.repeat(800) + 'e-1123', '7'.repeat(800) + 'e-491',
  '9'.repeat(309), '9'.repeat(308) + '.9e0', '1' + '0'.repeat(308),
];

describe('named cases', () => {
  test.each(NAMED.map((s) => [s.length > 60 ? `${s.slice(0, 40)}... (${s.length} chars)` : s, s]))('%s', (_label, s) => {
    check(s);
  });

  test('-0 stays negative; finite results only', () => {
    expect(Object.is(m.parseDecimal('-0'), -0)).toBe(true);
    expect(Object.is(m.parseDecimal('-1e-999'), -0)).toBe(true);
    expect(m.parseDecimal('1e400')).toBeNaN();
  });
});

const MANTISSA_BITS = 52n;
const EXPONENT_BIAS = 1075n;

/** Exact decimal of (2m + 1) * 2^(e - 1): the midpoint between the double m * 2^e and the next one up. */
function midpointDecimal(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const field = (bits >> MANTISSA_BITS) & 0x7ffn;
  const fraction = bits & ((1n << MANTISSA_BITS) - 1n);
  const mantissa = field === 0n ? fraction : fraction | (1n << MANTISSA_BITS);
  const exponent = (field === 0n ? 1n : field) - EXPONENT_BIAS;
  const odd = 2n * mantissa + 1n;
  const e = exponent - 1n;
  if (e >= 0n) return (odd << e).toString();
  return `${odd * 5n ** -e}e${e}`;
}

/** A random finite positive double, uniform over bit patterns (so every exponent, subnormals included). */
function randomDouble(rng: Rng): number {
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    view.setUint32(0, Math.floor(rng.next() * 0x7ff00000));
    view.setUint32(4, Math.floor(rng.next() * 0x100000000));
    const x = view.getFloat64(0);
    if (Number.isFinite(x) && x > 0) return x;
  }
}

describe('halfway points between adjacent doubles', () => {
  test('ties, the decimals just below and above, and ties broken beyond MAX_DIGITS', () => {
    const rng = new Rng(0x4a1f);
    for (let run = 0; run < 3000; run++) {
      const x = randomDouble(rng);
      const mid = midpointDecimal(x);
      const [digits, exponent = '0'] = mid.split('e');
      const e = Number(exponent);
      check(mid);
      check(`${digits}1e${e - 1}`); // just above
      check(`${(BigInt(digits) * 10n - 1n).toString()}e${e - 1}`); // just below
      check(`${digits}${'0'.repeat(900)}1e${e - 901}`); // above, by a digit past MAX_DIGITS
      check(`${digits}${'0'.repeat(900)}e${e - 900}`); // exactly the tie, with trailing zeros
      check(`-${digits}.${'0'.repeat(rng.int(5))}e${e}`);
    }
  });

  test('shortest round-trip forms of random doubles', () => {
    const rng = new Rng(0x5eed);
    for (let run = 0; run < 20000; run++) {
      const x = randomDouble(rng);
      check(String(x));
      check(x.toExponential(rng.int(20)));
      check(x.toPrecision(1 + rng.int(21)));
    }
  });
});

/** Decimal strings of every shape DECIMAL allows, and near misses. */
const decimalArb = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    fc.stringMatching(/^[0-9]{0,30}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,30}$/)),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))),
  )
  .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `${exp[0]}${exp[1]}${exp[2]}`}`);

describe('random decimal strings', () => {
  test('fast-check over the grammar', () => {
    fc.assert(fc.property(decimalArb, (s) => check(s)), { numRuns: 50000 });
  });

  test('fast-check over arbitrary short strings of number characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'0123456789.eE+-x '), { maxLength: 12 }), (chars) => check(chars.join(''))),
      { numRuns: 20000 },
    );
  });

  test('two million random decimals of every length and exponent', () => {
    const slot = new InputSlot(m.vm);
    const parse = m.x.parseDecimal;
    const rng = new Rng(0xdec1);
    const DIGITS = '0123456789';
    let failures: string[] = [];
    const RUNS = 2_000_000;
    for (let run = 0; run < RUNS && failures.length < 5; run++) {
      // Mostly 1-25 digits (fast path and its edges), sometimes up to 800+ (the exact path and truncation).
      const length = rng.next() < 0.9 ? 1 + rng.int(25) : 1 + rng.int(900);
      let digits = '';
      for (let k = 0; k < length; k++) digits += DIGITS[rng.int(10)];
      const point = rng.int(length + 1);
      let s = rng.next() < 0.5 ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
      if (rng.next() < 0.6) s += `e${rng.int(700) - 350}`;
      if (rng.next() < 0.2) s = `-${s}`;
      const [ptr, len] = slot.put(s);
      const got = parse(ptr, len);
      const want = reference(s);
      if (!Object.is(got, want)) failures.push(`${s}: ${got} vs ${want}`);
    }
    expect(failures).toEqual([]);
  });
});
