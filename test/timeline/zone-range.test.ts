/** Display zones (--timezone) and time ranges (--from/--to), in process: offsets, local time across DST, day ends. */
import { afterEach, describe, expect, test } from 'vitest';
import { formatInZone, fromWallClock, parseZone, UTC } from '../../src/cli/output/zone.js';
import { inRange, parseRange } from '../../src/cli/timeline/range.js';

const T = Date.UTC(2026, 10, 28, 7, 37, 34, 69);
const savedTz = process.env.TZ;

afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('zones', () => {
  test('parse: UTC, Z, local, offsets with and without a colon; anything else is null', () => {
    expect(parseZone('UTC')).toEqual(UTC);
    expect(parseZone('z')).toEqual(UTC);
    expect(parseZone('Local')).toEqual({ kind: 'local' });
    expect(parseZone('+05:30')).toEqual({ kind: 'fixed', minutes: 330 });
    expect(parseZone('-0800')).toEqual({ kind: 'fixed', minutes: -480 });
    expect(parseZone('+14:00')).toEqual({ kind: 'fixed', minutes: 840 });
    for (const bad of ['', 'Europe/Paris', '+14:01', '-12:30', '+5:30', '+05:60', '05:00', '+05:00:00']) expect(parseZone(bad), bad).toBeNull();
  });

  test('format: Z for UTC, the offset otherwise (+00:00 for a zero offset asked for)', () => {
    expect(formatInZone(T, UTC)).toBe('2026-11-28T07:37:34.069Z');
    expect(formatInZone(T, { kind: 'fixed', minutes: 0 })).toBe('2026-11-28T07:37:34.069+00:00');
    expect(formatInZone(T, { kind: 'fixed', minutes: -570 })).toBe('2026-11-27T22:07:34.069-09:30');
    expect(formatInZone(Date.UTC(2026, 11, 31, 23, 0), { kind: 'fixed', minutes: 120 })).toBe('2027-01-01T01:00:00.000+02:00');
  });

  test('local follows daylight saving; a local wall-clock time maps back to its instant on both sides', () => {
    process.env.TZ = 'Europe/Berlin';
    const local = { kind: 'local' } as const;
    expect(formatInZone(T, local)).toBe('2026-11-28T08:37:34.069+01:00');
    expect(formatInZone(Date.UTC(2026, 6, 1, 12), local)).toBe('2026-07-01T14:00:00.000+02:00');
    expect(fromWallClock(Date.UTC(2026, 6, 1, 14), local)).toBe(Date.UTC(2026, 6, 1, 12));
    expect(fromWallClock(Date.UTC(2026, 10, 28, 8), local)).toBe(Date.UTC(2026, 10, 28, 7));
    // 2026-03-29 03:30 Berlin is just after the spring change (CEST, +02:00).
    expect(fromWallClock(Date.UTC(2026, 2, 29, 3, 30), local)).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });
});

describe('ranges', () => {
  test('inclusive bounds; a date alone as --to reaches to its last millisecond; zone-less bounds in the zone', () => {
    const r = parseRange('scan', '2026-11-28', '2026-11-28', UTC)!;
    expect(r).toEqual({ from: Date.UTC(2026, 10, 28), to: Date.UTC(2026, 10, 29) - 1 });
    expect(inRange(Date.UTC(2026, 10, 28), r)).toBe(true);
    expect(inRange(Date.UTC(2026, 10, 29) - 1, r)).toBe(true);
    expect(inRange(Date.UTC(2026, 10, 29), r)).toBe(false);
    expect(inRange(null, r)).toBe(false);
    const tokyo = parseRange('scan', '2026-11-28T09:00', undefined, { kind: 'fixed', minutes: 540 })!;
    expect(tokyo.from).toBe(Date.UTC(2026, 10, 28, 0));
    expect(parseRange('scan', '2026-11-28T09:00+01:00', undefined, { kind: 'fixed', minutes: 540 })!.from).toBe(Date.UTC(2026, 10, 28, 8));
    expect(parseRange('scan', undefined, undefined, UTC)).toBeNull();
    expect(parseRange('scan', '2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z', UTC)).toEqual({ from: Date.UTC(2026, 10, 28, 10), to: Date.UTC(2026, 10, 28, 10) });
  });

  test('bad bounds and empty ranges throw usage errors', () => {
    expect(() => parseRange('scan', '2026-11-29', '2026-11-28T23:59:59Z', UTC)).toThrow(/is after --to/);
    for (const bad of ['1764315454', 'today', '2026-13-01', '2026-11-28T24:00', '2026-11-28 07:00 +01:00', '28/11/2026']) {
      expect(() => parseRange('scan', bad, undefined, UTC), bad).toThrow(/--from takes an ISO 8601 date/);
    }
  });
});
