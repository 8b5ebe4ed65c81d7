import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compare, isoWeek, numericValue, timePartOf } from '../../src/eval/scalars.js';
import type { TimePart } from '../../src/rule/values.js';

describe('numericValue', () => {
  test.each<[string, unknown, number | null]>([
    ['integer', 5, 5],
    ['float', 1.5, 1.5],
    ['negative', -3, -3],
    ['NaN', NaN, null],
    ['Infinity', Infinity, null],
    ['decimal string', '42', 42],
    ['signed string', '-42', -42],
    ['plus sign', '+7', 7],
    ['fraction', '3.25', 3.25],
    ['leading dot', '.5', 0.5],
    ['trailing dot', '5.', 5],
    ['exponent', '1e3', 1000],
    ['negative exponent', '25E-1', 2.5],
    ['leading zeros', '007', 7],
    ['whitespace', ' 5', null],
    ['trailing whitespace', '5 ', null],
    ['hex', '0x10', null],
    ['Infinity text', 'Infinity', null],
    ['empty', '', null],
    ['sign only', '-', null],
    ['dot only', '.', null],
    ['too large', '1e400', null],
    ['boolean', true, null],
    ['null', null, null],
    ['object', { a: 1 }, null],
    ['comma decimal', '1,5', null],
  ])('%s', (_name, value, expected) => {
    expect(numericValue(value)).toBe(expected);
  });
});

describe('compare', () => {
  test.each<[Parameters<typeof compare>[0], number, number, boolean]>([
    ['eq', 1, 1, true], ['eq', 1, 2, false],
    ['gt', 2, 1, true], ['gt', 1, 1, false],
    ['gte', 1, 1, true], ['gte', 0, 1, false],
    ['lt', 0, 1, true], ['lt', 1, 1, false],
    ['lte', 1, 1, true], ['lte', 2, 1, false],
  ])('%s %d %d', (op, a, b, expected) => {
    expect(compare(op, a, b)).toBe(expected);
  });
});

describe('isoWeek at year boundaries', () => {
  test.each<[string, number]>([
    ['2021-01-01', 53], // Friday: last week of 2020
    ['2021-01-03', 53], // Sunday
    ['2021-01-04', 1], // Monday
    ['2020-12-31', 53], // Thursday
    ['2019-12-30', 1], // Monday: first week of 2020
    ['2019-12-29', 52], // Sunday
    ['2024-12-30', 1], // Monday: first week of 2025
    ['2026-12-31', 53], // 2026 starts on a Thursday: 53 weeks
    ['2027-01-01', 53],
    ['2027-01-04', 1],
    ['2018-01-01', 1], // Monday
    ['2016-01-03', 53], // 2015 had 53 weeks
    ['2024-02-29', 9], // leap day
    ['2000-03-01', 9],
    ['2008-12-29', 1], // Monday: first week of 2009
    ['2010-01-03', 53], // 2009 had 53 weeks
  ])('%s is week %d', (date, week) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(isoWeek(y, m, d)).toBe(week);
  });

  /** An independent statement: the week of the Thursday of this date's Monday-based week, counted from that year. */
  function oracleWeek(y: number, m: number, d: number): number {
    const date = new Date(Date.UTC(y, m - 1, d));
    const weekday = date.getUTCDay() || 7; // Monday = 1 .. Sunday = 7
    const thursday = new Date(date);
    thursday.setUTCDate(date.getUTCDate() + 4 - weekday);
    const start = Date.UTC(thursday.getUTCFullYear(), 0, 1);
    const ordinal = Math.round((thursday.getTime() - start) / 86_400_000) + 1;
    return Math.ceil(ordinal / 7);
  }
  test('property: agrees with an independent computation for every day 1970-2100', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }), (date) => {
        const y = date.getUTCFullYear();
        const m = date.getUTCMonth() + 1;
        const d = date.getUTCDate();
        expect(isoWeek(y, m, d)).toBe(oracleWeek(y, m, d));
      }),
      { numRuns: 2000 },
    );
  });
  test('every Dec 28 is in the last week of its year (52 or 53) and every Jan 4 in week 1', () => {
    for (let y = 1990; y <= 2060; y++) {
      expect([52, 53]).toContain(isoWeek(y, 12, 28));
      expect(isoWeek(y, 1, 4)).toBe(1);
    }
  });
});

describe('timePartOf', () => {
  const ALL: TimePart[] = ['year', 'month', 'day', 'week', 'hour', 'minute'];
  const parts = (v: unknown) => ALL.map((p) => timePartOf(v, p));
  test.each<[string, unknown, (number | null)[]]>([
    ['ISO with Z', '2024-03-05T14:07:09Z', [2024, 3, 5, 10, 14, 7]],
    ['space separator', '2024-03-05 14:07:09', [2024, 3, 5, 10, 14, 7]],
    ['no seconds', '2024-03-05T14:07', [2024, 3, 5, 10, 14, 7]],
    ['fraction', '2024-03-05T14:07:09.123456Z', [2024, 3, 5, 10, 14, 7]],
    ['offset is ignored (no timezone conversion)', '2024-12-31T23:30:00-05:00', [2024, 12, 31, 1, 23, 30]],
    ['offset without colon', '2024-12-31T23:30:00+0530', [2024, 12, 31, 1, 23, 30]],
    ['date only: no hour or minute', '2024-03-05', [2024, 3, 5, 10, null, null]],
    ['leap day in a leap year', '2024-02-29T00:00:00Z', [2024, 2, 29, 9, 0, 0]],
    ['leap day in 2000', '2000-02-29', [2000, 2, 29, 9, null, null]],
    ['leap day in a common year', '2023-02-29', [null, null, null, null, null, null]],
    ['leap day in 1900', '1900-02-29', [null, null, null, null, null, null]],
    ['April 31', '2024-04-31', [null, null, null, null, null, null]],
    ['month 13', '2024-13-01', [null, null, null, null, null, null]],
    ['month 0', '2024-00-10', [null, null, null, null, null, null]],
    ['day 0', '2024-01-00', [null, null, null, null, null, null]],
    ['hour 24', '2024-01-01T24:00:00', [null, null, null, null, null, null]],
    ['minute 60', '2024-01-01T10:60:00', [null, null, null, null, null, null]],
    ['leap second', '2016-12-31T23:59:60Z', [2016, 12, 31, 52, 23, 59]],
    ['second 61', '2016-12-31T23:59:61Z', [null, null, null, null, null, null]],
    ['US format', '03/05/2024', [null, null, null, null, null, null]],
    ['trailing text', '2024-03-05T14:07:09Z extra', [null, null, null, null, null, null]],
    ['a number', 1709647629, [null, null, null, null, null, null]],
    ['null', null, [null, null, null, null, null, null]],
  ])('%s', (_name, value, expected) => {
    expect(parts(value)).toEqual(expected);
  });
});
