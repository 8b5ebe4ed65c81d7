/**
 * How event values read as numbers and dates. The WASM VM implements the same grammars over bytes.
 */
import type { CompareOp, TimePart } from '../rule/values.js';

/** A decimal number literal as it appears in logs: optional sign, digits with an optional fraction, optional
 * exponent. No hex, no whitespace, no "Infinity". */
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** The numeric value of an event value for gt/gte/lt/lte, or null when it is not a number. */
export function numericValue(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && DECIMAL.test(v)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function compare(op: CompareOp | 'eq', a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/**
 * Date strings: `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM`, optional `:SS`, optional fraction,
 * optional `Z` or `±HH:MM` / `±HHMM` offset. The offset is ignored (no timezone conversion, SIGMA.md 1.6).
 */
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (setUTCFullYear: Date.UTC would read years 0-99 as 19xx). */
function utcDays(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / MS_PER_DAY);
}

/** ISO-8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(year: number, month: number, day: number): number {
  const date = utcDays(year, month, day);
  const weekday = (((date + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
  const thursday = date + (3 - weekday);
  const thursdayYear = new Date(thursday * MS_PER_DAY).getUTCFullYear();
  return 1 + Math.floor((thursday - utcDays(thursdayYear, 1, 1)) / 7);
}

/** The requested part of a date string, or null when the value is not such a date (or lacks the time). */
export function timePartOf(v: unknown, part: TimePart): number | null {
  if (typeof v !== 'string') return null;
  const m = DATE.exec(v);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2 && day === 29 && !leap) return null;
  const hasTime = m[4] !== undefined;
  const hour = hasTime ? Number(m[4]) : 0;
  const minute = hasTime ? Number(m[5]) : 0;
  if (hour > 23 || minute > 59 || (m[6] !== undefined && Number(m[6]) > 60)) return null;
  switch (part) {
    case 'year':
      return year;
    case 'month':
      return month;
    case 'day':
      return day;
    case 'week':
      return isoWeek(year, month, day);
    case 'hour':
      return hasTime ? hour : null;
    case 'minute':
      return hasTime ? minute : null;
  }
}
