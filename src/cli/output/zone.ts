/**
 * The zone times are shown in (`--timezone`): UTC (the default, written `Z`), the machine's local zone (its offset
 * at each instant, so daylight saving is followed) or a fixed offset. Also reads the zone-less date-times of
 * `--from/--to` in that zone.
 */
import { formatTime } from '../../correlation/index.js';

export type DisplayZone = { kind: 'utc' } | { kind: 'local' } | { kind: 'fixed'; minutes: number };

export const UTC: DisplayZone = { kind: 'utc' };

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
/** Offsets in use on Earth run from -12:00 to +14:00. */
const MIN_OFFSET_MINUTES = -12 * MINUTES_PER_HOUR;
const MAX_OFFSET_MINUTES = 14 * MINUTES_PER_HOUR;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** `local`, `UTC` (or `Z`) or `+hh:mm` / `-hh:mm` (`+hhmm` too); null for anything else. */
export function parseZone(text: string): DisplayZone | null {
  const t = text.trim();
  if (/^(utc|z)$/i.test(t)) return UTC;
  if (/^local$/i.test(t)) return { kind: 'local' };
  const m = OFFSET.exec(t);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (minutes >= MINUTES_PER_HOUR) return null;
  const total = (m[1] === '-' ? -1 : 1) * (hours * MINUTES_PER_HOUR + minutes);
  if (total < MIN_OFFSET_MINUTES || total > MAX_OFFSET_MINUTES) return null;
  return { kind: 'fixed', minutes: total };
}

/** The zone's offset from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(zone: DisplayZone, ms: number): number {
  if (zone.kind === 'utc') return 0;
  if (zone.kind === 'fixed') return zone.minutes;
  return -new Date(ms).getTimezoneOffset();
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / MINUTES_PER_HOUR)).padStart(2, '0');
  const mm = String(abs % MINUTES_PER_HOUR).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/**
 * ISO 8601 with milliseconds: `2026-11-28T07:37:34.069Z` in UTC, `2026-11-28T08:37:34.069+01:00` elsewhere (an
 * offset of zero outside UTC is written `+00:00`: the reader asked for that zone).
 */
export function formatInZone(ms: number, zone: DisplayZone): string {
  if (zone.kind === 'utc') return formatTime(ms);
  const offset = offsetMinutes(zone, ms);
  const shifted = formatTime(ms + offset * MS_PER_MINUTE);
  return `${shifted.slice(0, -1)}${offsetText(offset)}`;
}

/**
 * The instant of a wall-clock time read as if it were UTC (`wall`) in this zone. Local zones: the offset of the
 * guess, then of the corrected guess (right on both sides of a daylight-saving change but the skipped hour).
 */
export function fromWallClock(wall: number, zone: DisplayZone): number {
  if (zone.kind === 'utc') return wall;
  const first = wall - offsetMinutes(zone, wall) * MS_PER_MINUTE;
  return wall - offsetMinutes(zone, first) * MS_PER_MINUTE;
}
