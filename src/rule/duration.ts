/**
 * Sigma durations (`timespan: 5m`): a whole number and one unit letter. The specification names s, m, h and d;
 * pySigma also reads w, M (a twelfth of a Gregorian year) and y. Correlation settings and the CLI's duration options
 * use the same grammar.
 */

/** Seconds per unit; M and y as pySigma defines them. */
export const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2_629_746, y: 31_556_952 };

const DURATION = /^([0-9]+)([smhdwMy])$/;

/** The duration in seconds, or null when the text is not `<whole number><unit>`. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const seconds = Number(m[1]) * DURATION_UNITS[m[2]];
  return Number.isSafeInteger(seconds * 1000) ? seconds : null;
}
