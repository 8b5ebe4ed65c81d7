/**
 * An exact running sum of doubles that values can be added to and taken away from (Shewchuk's non-overlapping
 * partials, as Python's math.fsum keeps them). The sum it reports is the exact sum rounded once, so it does not
 * depend on the order values came and went: a window's sum after any history equals the sum computed afresh from
 * the values it holds. Values must be finite and the exact sum must stay within the double range (callers bound
 * both: see MAX_AGGREGATED_MAGNITUDE).
 */

/** Values larger than this are not aggregated: with at most 2^32 of them, no sum or partial can overflow. */
export const MAX_AGGREGATED_MAGNITUDE = 1e290;

export class ExactSum {
  private partials: number[] = [];

  add(value: number): void {
    const p = this.partials;
    let x = value;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    if (x !== 0) p.push(x);
  }

  subtract(value: number): void {
    this.add(-value);
  }

  clear(): void {
    this.partials.length = 0;
  }

  /** The exact sum, correctly rounded (round half to even), as math.fsum rounds it. */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // A half-way case: the partials below decide which way the rounding of hi + lo must go.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

/** The exact sum of `values`, correctly rounded. */
export function exactSum(values: Iterable<number>): number {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
}
