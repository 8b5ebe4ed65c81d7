/**
 * Event time and field values as correlations read them: every time form against an independent computation, the
 * fast paths (ISO without a regular expression, flat scalars without a field lookup, cached formatting) against the
 * general ones, and group keys that never confuse two values.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { eventSource, formatTime, parseTime } from '../../src/correlation/index.js';
import { eventView } from '../../src/eval/reference.js';
import { fieldValue, numericFieldValue, readValue, valuesKey } from '../../src/correlation/values.js';
import { eventTimeOf } from '../../src/correlation/time.js';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

describe('parseTime', () => {
  test('ISO 8601 with Z, any fraction length, T or space: the instant, cut to the millisecond', () => {
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1970, max: 9999 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.integer({ min: 0, max: 59 }),
          fraction: fc.stringMatching(/^[0-9]{0,9}$/),
          separator: fc.constantFrom('T', ' '),
        }),
        (t) => {
          const text = `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}${t.separator}${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction ? `.${t.fraction}` : ''}Z`;
          const ms = Number(t.fraction.slice(0, 3).padEnd(3, '0'));
          expect(parseTime(text)).toBe(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, ms));
          // Without the Z (UTC), and with an offset, the general path reads the same instant.
          expect(parseTime(text.slice(0, -1))).toBe(parseTime(text));
          expect(parseTime(text.replace('Z', '+02:30'))).toBe(parseTime(text)! - 150 * 60_000);
        },
      ),
      { numRuns: 500 },
    );
  });

  test.each<[unknown, number | null]>([
    ['2026-11-28T07:37:34.069Z', Date.UTC(2026, 10, 28, 7, 37, 34, 69)],
    ['2026-11-28 07:37:34.069', Date.UTC(2026, 10, 28, 7, 37, 34, 69)],
    ['2019-03-19T23:34:25.4823530Z', Date.UTC(2019, 2, 19, 23, 34, 25, 482)],
    ['2026-11-28T08:37:34+0100', Date.UTC(2026, 10, 28, 7, 37, 34)],
    ['2026-11-28T07:37', Date.UTC(2026, 10, 28, 7, 37)],
    ['2026-11-28', Date.UTC(2026, 10, 28)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    [1795849054, 1795849054000],
    [1795849054.0691, 1795849054069],
    ['1795849054', 1795849054000],
    [1795849054069, 1795849054069],
    ['1795849054069', 1795849054069],
    [-1.5, -1500],
    ['2023-02-29T00:00:00Z', null],
    ['2026-13-01T00:00:00Z', null],
    ['2026-11-28T24:00:00Z', null],
    ['2026-11-28T07:60:00Z', null],
    ['2026-11-28T07:00:00.Z', null],
    ['2026-11-28T07:00:00+25:00', null],
    ['yesterday', null],
    ['', null],
    [' 2026-11-28T07:00:00Z', null],
    [Number.NaN, null],
    [1e300, null],
    [true, null],
    [null, null],
    [{ t: 1 }, null],
  ])('%j -> %j', (value, expected) => {
    expect(parseTime(value)).toBe(expected);
  });

  test('after a time of the same second (the cached second), the rest of the text is still checked', () => {
    const second = Date.UTC(2026, 10, 28, 7, 0, 1);
    expect(parseTime('2026-11-28T07:00:01.500Z')).toBe(second + 500);
    expect(parseTime('2026-11-28T07:00:01Z')).toBe(second);
    expect(parseTime('2026-11-28T07:00:01.07Z')).toBe(second + 70);
    expect(parseTime('2026-11-28T07:00:01.Z')).toBe(null);
    expect(parseTime('2026-11-28T07:00:01x123Z')).toBe(null);
    expect(parseTime('2026-11-28T07:00:01.12aZ')).toBe(null);
    expect(parseTime('2026-11-28T07:00:01.999999Z')).toBe(second + 999);
  });

  test('the first field with a usable time decides; arrays give their first value', () => {
    const fields = ['@timestamp', 'timestamp'];
    expect(eventTimeOf(eventSource({ '@timestamp': 'soon', timestamp: [1795849054, 1] }), fields)).toBe(1795849054000);
    expect(eventTimeOf(eventSource({ timestamp: null }), fields)).toBe(null);
  });
});

describe('formatTime', () => {
  test('is Date.prototype.toISOString, cached or not', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), { maxLength: 20 }), fc.integer({ min: 0, max: 3000 }), (times, step) => {
        for (const t of times) {
          expect(formatTime(t)).toBe(new Date(t).toISOString());
          expect(formatTime(t + step)).toBe(new Date(t + step).toISOString());
        }
      }),
    );
    expect(formatTime(-62_198_755_200_000)).toBe(new Date(-62_198_755_200_000).toISOString());
  });
});

describe('field values', () => {
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant('\ud800x'));
  const value = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b'), leaf));
  const event = fc.dictionary(fc.constantFrom('f', 'g', 'a.b', 'a', 'Event'), value);

  test('the scalar fast path reads what the field lookup reads', () => {
    fc.assert(
      fc.property(event, (e) => {
        const fast = eventSource(e);
        const slow = eventView(e);
        for (const name of ['f', 'g', 'a.b', 'a', 'missing']) {
          expect(readValue(fast, name), name).toEqual(fieldValue(slow.field(name)));
          expect(numericFieldValue(fast, name), name).toEqual(numericFieldValue({ field: (n) => slow.field(n) }, name));
        }
      }),
      { numRuns: 500 },
    );
  });

  test('keys tell every pair of different value tuples apart', () => {
    const group = fc.oneof(fc.constant(null), fc.string({ maxLength: 4, unit: fc.constantFrom('a', ':', '1', '\u0001', '\u0002', '\u0003', '[') }), fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(fc.array(group, { minLength: n, maxLength: n }), fc.array(group, { minLength: n, maxLength: n }))), ([a, b]) => {
        expect(valuesKey(a) === valuesKey(b)).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { numRuns: 2000 },
    );
  });
});
