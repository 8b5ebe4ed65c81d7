/**
 * timePart against timePartOf of src/eval/scalars.ts: the grammar's named cases, every day of whole 400-year cycles
 * (all six parts, ISO weeks included), the years 0000-0099 (proleptic Gregorian, not 19xx), and
 * random strings over the grammar's characters (fast-check).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as F from '../../src/compiler/format.js';
import type { TimePart } from '../../src/rule/values.js';
import { timePartOf } from '../../src/eval/scalars.js';
import { assemblyConstants, InputSlot, loadMatchVm, type MatchVm } from './support.js';

const PARTS: readonly [TimePart, number][] = [
  ['minute', F.TIME_MINUTE],
  ['hour', F.TIME_HOUR],
  ['day', F.TIME_DAY],
  ['week', F.TIME_WEEK],
  ['month', F.TIME_MONTH],
  ['year', F.TIME_YEAR],
];
const NOT_A_DATE = -1;

let m: MatchVm;

beforeAll(async () => {
  m = await loadMatchVm();
});

function check(s: string): void {
  for (const [name, code] of PARTS) {
    expect(m.timePart(s, code), `${name} of ${JSON.stringify(s)}`).toBe(timePartOf(s, name) ?? NOT_A_DATE);
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const NAMED: readonly string[] = [
  '', '2024', '2024-01-01', '2024-1-01', '2024-01-1', '24-01-01', '2024/01/01', '2024-01-01T', '2024-01-01T10',
  '2024-01-01T10:2', '2024-01-01T10:20', '2024-01-01 10:20', '2024-01-01t10:20', '2024-01-01T10:20:3',
  '2024-01-01T10:20:30', '2024-01-01T10:20:30.', '2024-01-01T10:20:30.1', '2024-01-01T10:20:30.123456789',
  '2024-01-01T10:20.5', '2024-01-01T10:20:30Z', '2024-01-01T10:20:30z', '2024-01-01Z', '2024-01-01+01:00',
  '2024-01-01-0100', '2024-01-01T10:20+0100', '2024-01-01T10:20+01:00', '2024-01-01T10:20+01:0', '2024-01-01T10:20+1:00',
  '2024-01-01T10:20:30.5-05:30', '2024-01-01T10:20:30.5-05:30 ', ' 2024-01-01', '2024-01-01T10:20:30ZZ',
  '2024-00-10', '2024-13-10', '2024-12-00', '2024-12-32', '2024-04-31', '2024-02-29', '2023-02-29', '1900-02-29',
  '2000-02-29', '2024-01-01T24:00', '2024-01-01T23:60', '2024-01-01T23:59:60', '2024-01-01T23:59:61',
  '2024-12-30', '2024-12-31', '2021-01-03', '2021-01-04', '2020-12-31', '2026-01-01', '2027-01-01', '9999-12-31',
  '0000-01-01', '0000-02-29', '0001-01-01', '0050-06-15', '0099-12-31', '0100-01-01', '0100-01-03', '0100-01-04',
  '0400-02-29', '2024-01-01T10:20:30+01:00:00', '２０２４-01-01',
];

describe('timePart', () => {
  test('part codes are the program format\'s TIME_* (and the AssemblyScript mirror agrees)', () => {
    const as = assemblyConstants('assembly/match/date.ts');
    for (const name of ['TIME_MINUTE', 'TIME_HOUR', 'TIME_DAY', 'TIME_WEEK', 'TIME_MONTH', 'TIME_YEAR'] as const) {
      expect(as.get(name), name).toBe(F[name]);
    }
  });

  test.each(NAMED)('%j', (s) => check(s));

  test('years 0-99 are proleptic Gregorian years, not 1900-1999', () => {
    // 0000-01-08 is a Saturday in ISO week 1 of year 0; 0100-01-01 (a Friday) is in week 53 of year 99, which starts on a Thursday.
    expect(timePartOf('0000-01-08', 'week')).toBe(1);
    expect(m.timePart('0000-01-08', F.TIME_WEEK)).toBe(1);
    expect(timePartOf('0100-01-01', 'week')).toBe(53);
    expect(m.timePart('0100-01-01', F.TIME_WEEK)).toBe(53);
  });

  test('every day of 0000-0499, 1600-2099 and 9600-9999, all parts', () => {
    const slot = new InputSlot(m.vm);
    const timePart = m.x.timePart;
    const failures: string[] = [];
    for (const [from, to] of [[0, 499], [1600, 2099], [9600, 9999]]) {
      for (let year = from; year <= to; year++) {
        for (let month = 1; month <= 12; month++) {
          for (let day = 1; day <= 31; day++) {
            const s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(day % 24, 2)}:${pad((day * 7) % 60, 2)}`;
            const [ptr, len] = slot.put(s);
            for (const [name, code] of PARTS) {
              const want = timePartOf(s, name) ?? NOT_A_DATE;
              const got = timePart(ptr, len, code);
              if (got !== want && failures.length < 10) failures.push(`${name} of ${s}: ${got} vs ${want}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test('random strings over the grammar characters (fast-check)', () => {
    const piece = fc.constantFrom(
      ...'0123456789-:. TZ+'.split(''),
      '2024-', '02-', '29', '12:', '30:', '60', '.5', '+01:00', '-0130', 'T23:59', ' 00:00',
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => check(pieces.join(''))), { numRuns: 20000 });
  });

  test('random valid-looking timestamps (fast-check)', () => {
    const two = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((n) => pad(n, 2));
    const stamp = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((n) => pad(n, 4)),
        two(13), two(32),
        fc.option(fc.tuple(fc.constantFrom('T', ' '), two(24), two(60), fc.option(fc.tuple(two(61), fc.option(fc.stringMatching(/^[0-9]{1,4}$/)))))),
        fc.constantFrom('', 'Z', '+01:00', '-0530', '+1', 'z'),
      )
      .map(([y, mo, d, time, zone]) => {
        let s = `${y}-${mo}-${d}`;
        if (time) {
          s += `${time[0]}${time[1]}:${time[2]}`;
          if (time[3]) s += `:${time[3][0]}${time[3][1] === null ? '' : `.${time[3][1]}`}`;
        }
        return s + zone;
      });
    fc.assert(fc.property(stamp, (s) => check(s)), { numRuns: 20000 });
  });
});
