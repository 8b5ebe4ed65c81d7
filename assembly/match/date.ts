// Date parts for the time modifiers (minute, hour, day, week, month, year), equal to timePartOf of
// src/eval/scalars.ts. Grammar: `YYYY-MM-DD`, optionally `T` or a space and `HH:MM`, optional `:SS`, optional
// fraction after the seconds, optional `Z` or `±HH:MM` / `±HHMM` offset (ignored: no timezone conversion). The
// calendar is proleptic Gregorian, computed with days-from-civil arithmetic (H. Hinnant's algorithms).
//

// ---- part codes: mirror of TIME_* in src/compiler/format.ts (test/match/date.test.ts checks they agree) ----
@inline export const TIME_MINUTE: u32 = 0;
@inline export const TIME_HOUR: u32 = 1;
@inline export const TIME_DAY: u32 = 2;
@inline export const TIME_WEEK: u32 = 3;
@inline export const TIME_MONTH: u32 = 4;
@inline export const TIME_YEAR: u32 = 5;

/** What timePart returns for a value that is not a date (or lacks the time an hour or minute needs). */
@inline export const NOT_A_DATE: i32 = -1;

@inline const CHAR_0: u32 = 0x30;
@inline const CHAR_DASH: u32 = 0x2d;
@inline const CHAR_PLUS: u32 = 0x2b;
@inline const CHAR_COLON: u32 = 0x3a;
@inline const CHAR_DOT: u32 = 0x2e;
@inline const CHAR_SPACE: u32 = 0x20;
@inline const CHAR_T: u32 = 0x54;
@inline const CHAR_Z: u32 = 0x5a;
@inline const DECIMAL_BASE: u32 = 10;

// Offsets in `YYYY-MM-DD`.
@inline const YEAR_AT: u32 = 0;
@inline const YEAR_DIGITS: u32 = 4;
@inline const FIRST_DASH_AT: u32 = 4;
@inline const MONTH_AT: u32 = 5;
@inline const SECOND_DASH_AT: u32 = 7;
@inline const DAY_AT: u32 = 8;
@inline const DATE_LENGTH: u32 = 10;
@inline const FIELD_DIGITS: u32 = 2;

@inline const MONTHS: u32 = 12;
@inline const FEBRUARY: u32 = 2;
@inline const LEAP_DAY: u32 = 29;
@inline const MAX_HOUR: u32 = 23;
@inline const MAX_MINUTE: u32 = 59;
/** A leap second is accepted, as the reference does. */
@inline const MAX_SECOND: u32 = 60;
/** Days per month with February at its leap-year length; the leap rule is checked separately. */
const DAYS_IN_MONTH: usize = memory.data<u8>([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

// ---- calendar arithmetic ----
@inline const DAYS_PER_WEEK: i64 = 7;
@inline const DAYS_PER_ERA: i64 = 146097;
@inline const YEARS_PER_ERA: i64 = 400;
@inline const DAYS_PER_YEAR: i64 = 365;
/** Days from 0000-03-01 (the start of Hinnant's March-based year) to 1970-01-01. */
@inline const EPOCH_SHIFT: i64 = 719468;
/** 1970-01-01 was a Thursday: Date.getUTCDay of day 0 is 4 (Sunday = 0). */
@inline const EPOCH_WEEKDAY: i64 = 4;
/** getUTCDay numbers Sunday 0; ISO weeks start on Monday. */
@inline const MONDAY_FIRST_SHIFT: i64 = 6;
/** An ISO week belongs to the year holding its Thursday (Monday = 0, so Thursday = 3). */
@inline const THURSDAY: i64 = 3;

@inline function digit(ptr: usize, at: u32): u32 {
  return <u32>load<u8>(ptr + <usize>at) - CHAR_0;
}

/** The value of `count` ASCII digits at `at`, or -1 if any byte is not a digit. */
function digits(ptr: usize, at: u32, count: u32): i32 {
  let value: u32 = 0;
  for (let k: u32 = 0; k < count; k++) {
    const d = digit(ptr, at + k);
    if (d >= DECIMAL_BASE) return -1;
    value = value * DECIMAL_BASE + d;
  }
  return <i32>value;
}

@inline function byteAt(ptr: usize, at: u32): u32 {
  return <u32>load<u8>(ptr + <usize>at);
}

@inline const LEAP_CYCLE: i64 = 4;
@inline const CENTURY: i64 = 100;

@inline function isLeapYear(year: i64): bool {
  return (year % LEAP_CYCLE == 0 && year % CENTURY != 0) || year % YEARS_PER_ERA == 0;
}

@inline function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

@inline function floorMod(a: i64, b: i64): i64 {
  return a - floorDiv(a, b) * b;
}

// daysFromCivil and civilYear are H. Hinnant's days_from_civil and civil_from_days (chrono-compatible low-level date
// algorithms); their literals (153 days per 5 months from March, 4/100/400-year leap cycles) are the algorithm's.

/** Days from 1970-01-01 to year-month-day (proleptic Gregorian; a day past the month's end rolls over). */
function daysFromCivil(year: i64, month: i64, day: i64): i64 {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, YEARS_PER_ERA);
  const yearOfEra = y - era * YEARS_PER_ERA;
  const dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
  const dayOfEra = yearOfEra * DAYS_PER_YEAR + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT + day - 1;
}

/** The (proleptic Gregorian) year of day `days` after 1970-01-01. */
function civilYear(days: i64): i64 {
  const z = days + EPOCH_SHIFT;
  const era = floorDiv(z, DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / (DAYS_PER_ERA - 1)) / DAYS_PER_YEAR;
  const dayOfYear = dayOfEra - (DAYS_PER_YEAR * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const monthFromMarch = (5 * dayOfYear + 2) / 153;
  const year = yearOfEra + era * YEARS_PER_ERA;
  // Months are counted from March; January and February belong to the next civil year.
  return monthFromMarch >= 10 ? year + 1 : year;
}

/** Date.UTC(year, month - 1, day) in days, two-digit-year quirk included. */
@inline function dateUtcDays(year: i64, month: i64, day: i64): i64 {
  return daysFromCivil(year, month, day);
}

/** ISO-8601 week number, computed as the reference's isoWeek does. */
function isoWeek(year: i64, month: i64, day: i64): i64 {
  const date = dateUtcDays(year, month, day);
  const weekday = (floorMod(date + EPOCH_WEEKDAY, DAYS_PER_WEEK) + MONDAY_FIRST_SHIFT) % DAYS_PER_WEEK;
  const thursday = date + THURSDAY - weekday;
  const jan1 = dateUtcDays(civilYear(thursday), 1, 1);
  return 1 + floorDiv(thursday - jan1, DAYS_PER_WEEK);
}

/** The requested part (TIME_*) of the date `len` bytes at `ptr` spell, or NOT_A_DATE. */
export function timePart(ptr: usize, len: u32, part: u32): i32 {
  if (len < DATE_LENGTH) return NOT_A_DATE;
  const year = digits(ptr, YEAR_AT, YEAR_DIGITS);
  const month = digits(ptr, MONTH_AT, FIELD_DIGITS);
  const day = digits(ptr, DAY_AT, FIELD_DIGITS);
  if (year < 0 || month < 0 || day < 0) return NOT_A_DATE;
  if (byteAt(ptr, FIRST_DASH_AT) != CHAR_DASH || byteAt(ptr, SECOND_DASH_AT) != CHAR_DASH) return NOT_A_DATE;
  let i = DATE_LENGTH;
  let hasTime = false;
  let hour: i32 = 0;
  let minute: i32 = 0;
  let second: i32 = 0;
  // Each optional part is recognised by its first byte, and those bytes differ from what may follow the part, so
  // taking a part whenever its first byte is there accepts exactly what the reference's regular expression does.
  if (i < len && (byteAt(ptr, i) == CHAR_T || byteAt(ptr, i) == CHAR_SPACE)) {
    if (len - i < 1 + 2 * FIELD_DIGITS + 1) return NOT_A_DATE;
    hour = digits(ptr, i + 1, FIELD_DIGITS);
    minute = digits(ptr, i + 1 + FIELD_DIGITS + 1, FIELD_DIGITS);
    if (hour < 0 || minute < 0 || byteAt(ptr, i + 1 + FIELD_DIGITS) != CHAR_COLON) return NOT_A_DATE;
    hasTime = true;
    i += 1 + 2 * FIELD_DIGITS + 1;
    if (i < len && byteAt(ptr, i) == CHAR_COLON) {
      if (len - i < 1 + FIELD_DIGITS) return NOT_A_DATE;
      second = digits(ptr, i + 1, FIELD_DIGITS);
      if (second < 0) return NOT_A_DATE;
      i += 1 + FIELD_DIGITS;
      if (i < len && byteAt(ptr, i) == CHAR_DOT) {
        i++;
        const fractionStart = i;
        while (i < len && digit(ptr, i) < DECIMAL_BASE) i++;
        if (i == fractionStart) return NOT_A_DATE;
      }
    }
  }
  if (i < len) {
    const c = byteAt(ptr, i);
    if (c == CHAR_Z) {
      i++;
    } else if (c == CHAR_PLUS || c == CHAR_DASH) {
      i++;
      if (len - i < FIELD_DIGITS || digits(ptr, i, FIELD_DIGITS) < 0) return NOT_A_DATE;
      i += FIELD_DIGITS;
      if (i < len && byteAt(ptr, i) == CHAR_COLON) i++;
      if (len - i < FIELD_DIGITS || digits(ptr, i, FIELD_DIGITS) < 0) return NOT_A_DATE;
      i += FIELD_DIGITS;
    }
  }
  if (i != len) return NOT_A_DATE;

  if (month < 1 || <u32>month > MONTHS || day < 1) return NOT_A_DATE;
  if (<u32>day > <u32>load<u8>(DAYS_IN_MONTH + <usize>(month - 1))) return NOT_A_DATE;
  if (<u32>month == FEBRUARY && <u32>day == LEAP_DAY && !isLeapYear(year)) return NOT_A_DATE;
  if (<u32>hour > MAX_HOUR || <u32>minute > MAX_MINUTE || <u32>second > MAX_SECOND) return NOT_A_DATE;
  switch (part) {
    case TIME_YEAR:
      return year;
    case TIME_MONTH:
      return month;
    case TIME_DAY:
      return day;
    case TIME_WEEK:
      return <i32>isoWeek(year, month, day);
    case TIME_HOUR:
      return hasTime ? hour : NOT_A_DATE;
    case TIME_MINUTE:
      return hasTime ? minute : NOT_A_DATE;
  }
  return NOT_A_DATE;
}
