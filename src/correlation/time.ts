/**
 * Event time for correlations, in whole milliseconds since the Unix epoch (UTC).
 *
 * Read forms: ISO 8601 date-times (`2026-11-28T07:37:34.069Z`, an offset `+02:00` / `+0200`, or none for UTC),
 * Sysmon's `2026-11-28 07:37:34.069` (a space for the T, UTC), a date alone (midnight UTC), and epoch numbers, as JSON
 * numbers or digit strings: seconds, or milliseconds when the magnitude is 1e11 or more (1e11 seconds is the year
 * 5138; 1e11 milliseconds is 1973). Fractions finer than a millisecond are cut off, never rounded up, so every form
 * of one instant reads the same.
 */
import type { FieldValues } from '../eval/event.js';

/** Where field values come from: an `EventView` (or anything that resolves fields as it does). */
export interface FieldSource {
  field(name: string): FieldValues;
  /**
   * Optional fast path: the field's value when it is one string, number or boolean at the top level of the event
   * (what `field(name)` would find as its only value); undefined when `field` must decide.
   */
  scalar?(name: string): string | number | boolean | undefined;
}

/** Fields tried in order when none are configured: ECS and most JSON logs, Sysmon, evtx (flattened and nested). */
export const DEFAULT_TIME_FIELDS: readonly string[] = ['@timestamp', 'timestamp', 'UtcTime', 'TimeCreated_SystemTime', 'System.TimeCreated.SystemTime'];

/** An epoch number this large or larger is milliseconds; smaller is seconds. */
const EPOCH_MILLISECONDS_FROM = 1e11;
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
/** Date.UTC's range: times outside ±8.64e15 ms are not dates. */
const MAX_TIME_MS = 8.64e15;

const ISO = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?$/;
const EPOCH = /^-?[0-9]+(?:\.[0-9]+)?$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function fromIso(m: RegExpExecArray): number | null {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && !isLeap(year))) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 19xx
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - offsetMinutes * MS_PER_MINUTE;
}

/** Epoch seconds or milliseconds from their decimal text, cut to the millisecond. */
function fromEpochText(text: string): number | null {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const magnitude = Number(whole);
  let ms: number;
  if (magnitude >= EPOCH_MILLISECONDS_FROM) ms = magnitude;
  else ms = magnitude * MS_PER_SECOND + Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (!Number.isSafeInteger(ms) || ms > MAX_TIME_MS) return null;
  return negative ? -ms : ms;
}

const DIGIT_0 = 0x30;
const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `d` digits of `s` from `at` as a number, or -1 when one is not a digit. */
function digits(s: string, at: number, d: number): number {
  let n = 0;
  for (let i = at; i < at + d; i++) {
    const c = s.charCodeAt(i) - DIGIT_0;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The common shape, without a regular expression: `YYYY-MM-DDTHH:MM:SS` (T or space), an optional fraction of any
 * length and a final Z. Returns null for anything else (the general path then decides).
 */
/** The last second fastIso read (events come in time order, many per second): its text up to the seconds, its start. */
let lastSecondText = '';
let lastSecondStart = 0;
const SECONDS_END = 19;

/** Whether `s` starts with lastSecondText (compared by hand: a startsWith call costs more than 19 code units). */
function sameSecond(s: string): boolean {
  for (let i = SECONDS_END - 1; i >= 0; i--) if (s.charCodeAt(i) !== lastSecondText.charCodeAt(i)) return false;
  return true;
}

function fastIso(s: string): number | null {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 0x5a /* Z */) return null;
  if (lastSecondText !== '' && sameSecond(s)) {
    const ms = fraction(s, n);
    return ms === null ? null : lastSecondStart + ms;
  }
  if (s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':' || s[16] !== ':') return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && !isLeap(year))) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  const ms = fraction(s, n);
  if (ms === null) return null;
  lastSecondText = s.slice(0, SECONDS_END);
  lastSecondStart = daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND;
  return lastSecondStart + ms;
}

/** The milliseconds of `…:SS[.fraction]Z` (any fraction length, cut to 3 digits), or null when malformed. */
function fraction(s: string, n: number): number | null {
  if (n === 20) return 0;
  if (s[19] !== '.' && s[19] !== ',') return null;
  const length = n - 21;
  if (length < 1 || digits(s, 20, length) < 0) return null;
  return digits(s, 20, Math.min(3, length)) * (length === 1 ? 100 : length === 2 ? 10 : 1);
}

/** The time a value states, in epoch milliseconds, or null when it states none. */
export function parseTime(value: unknown): number | null {
  if (typeof value === 'string') {
    const fast = fastIso(value);
    if (fast !== null) return fast;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const text = String(value);
    return EPOCH.test(text) ? fromEpochText(text) : Number.isSafeInteger(Math.trunc(value)) ? parseTime(value.toFixed(3)) : null;
  }
  if (typeof value !== 'string') return null;
  const iso = ISO.exec(value);
  if (iso) {
    const t = fromIso(iso);
    return t !== null && Math.abs(t) <= MAX_TIME_MS ? t : null;
  }
  return EPOCH.test(value) ? fromEpochText(value) : null;
}

/**
 * The time an ISO 8601 date or date-time states (no zone: UTC), or null; epoch numbers are not read, so a person's
 * `2026` is not a second of 1970 (time filters typed by hand: the workbench's; the CLI's --from/--to check the same).
 */
export function parseIsoTime(text: string): number | null {
  const iso = ISO.exec(text.trim());
  if (!iso) return null;
  const t = fromIso(iso);
  return t !== null && Math.abs(t) <= MAX_TIME_MS ? t : null;
}

/** The first usable time among `fields` of an event: the first value of the first field that reads as one. */
export function eventTimeOf(event: FieldSource, fields: readonly string[]): number | null {
  for (const f of fields) {
    const scalar = event.scalar?.(f);
    const first = scalar !== undefined ? scalar : event.field(f).values[0];
    if (first === undefined) continue;
    const t = parseTime(first);
    if (t !== null) return t;
  }
  return null;
}

/**
 * Seconds formatted lately, by second modulo the cache size (an alert formats its time and its window's first and
 * last, seconds or minutes apart, and alerts come in bursts): each second's start and ISO text up to the dot.
 */
const FORMAT_CACHE = 8;
const formattedSeconds = new Array<number>(FORMAT_CACHE).fill(NaN);
const formattedPrefixes = new Array<string>(FORMAT_CACHE).fill('');

/** ISO 8601 text of an epoch-millisecond time (UTC, milliseconds), as Date.prototype.toISOString writes it. */
export function formatTime(ms: number): string {
  const seconds = Math.floor(ms / MS_PER_SECOND);
  const slot = ((seconds % FORMAT_CACHE) + FORMAT_CACHE) % FORMAT_CACHE;
  const start = seconds * MS_PER_SECOND;
  if (formattedSeconds[slot] !== start) {
    const text = new Date(ms).toISOString();
    if (text.length !== 24) return text; // years outside 0000-9999 have another layout
    formattedSeconds[slot] = start;
    formattedPrefixes[slot] = text.slice(0, 20);
  }
  const milli = ms - start;
  return `${formattedPrefixes[slot]}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
